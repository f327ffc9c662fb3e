//! Admins see the processing workflows: each as a diagram with its states
//! and actions, the procedures that use it (and whether its step budgets
//! fit their time limits), and a dry run of a path of actions for one of
//! those procedures, with who acts and the due dates it would give.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use entity::{procedure, workflow_version};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::render::Ui;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::sla::local_time;
use crate::workflow::Refusal;
use crate::workflow::model::{Budget, Workflow};
use crate::workflow::{diagram, dry_run};

#[derive(Serialize)]
struct Row {
    key: String,
    name: String,
    version: u32,
    hash: String,
    states: usize,
    actions: usize,
    procedures: usize,
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    let en = ui.lang == Lang::En;
    let mut rows = Vec::new();
    for (key, (_, wf)) in &ui.state.workflows.current {
        let procedures =
            procedure::Entity::find().filter(procedure::Column::WorkflowKey.eq(key)).all(&ui.state.db).await?.len();
        rows.push(Row {
            key: key.clone(),
            name: if en { wf.name_en.clone() } else { wf.name.clone() },
            version: wf.version,
            hash: wf.hash[..12].to_owned(),
            states: wf.states.len(),
            actions: wf.actions.len(),
            procedures,
        });
    }
    let mut ctx = ui.form_context();
    ctx.insert("rows", &rows);
    ui.render("admin/workflows.html", &ctx)
}

/// A procedure on the workflow and whether the step budgets fit its limit.
#[derive(Serialize)]
struct UsedBy {
    code: String,
    name: String,
    limit_days: f64,
    /// The longest way through, in working days, when it is over the limit.
    over: Option<f64>,
}

/// How many actions a dry run offers to choose one by one.
const CHOICES: usize = 12;

impl DryRunQuery {
    /// The path: the actions chosen one by one, else those typed.
    fn actions(&self) -> Vec<String> {
        let chosen = [
            &self.b1, &self.b2, &self.b3, &self.b4, &self.b5, &self.b6, &self.b7, &self.b8, &self.b9, &self.b10,
            &self.b11, &self.b12,
        ];
        let chosen: Vec<String> = chosen.iter().filter(|s| !s.is_empty()).map(|s| s.to_string()).collect();
        if !chosen.is_empty() {
            return chosen;
        }
        self.path.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DryRunQuery {
    #[serde(default)]
    procedure: String,
    /// The actions typed as keys, separated by commas or spaces.
    #[serde(default)]
    path: String,
    /// Or chosen one by one from the workflow's actions (`b1` … `b12`).
    #[serde(default)]
    b1: String,
    #[serde(default)]
    b2: String,
    #[serde(default)]
    b3: String,
    #[serde(default)]
    b4: String,
    #[serde(default)]
    b5: String,
    #[serde(default)]
    b6: String,
    #[serde(default)]
    b7: String,
    #[serde(default)]
    b8: String,
    #[serde(default)]
    b9: String,
    #[serde(default)]
    b10: String,
    #[serde(default)]
    b11: String,
    #[serde(default)]
    b12: String,
    #[serde(default)]
    received: String,
}

/// GET /quan-tri/quy-trinh/{key}: the version new dossiers of the key start on, as shipped.
pub async fn show(ui: Ui, key: web::Path<String>, query: web::Query<DryRunQuery>) -> Result<HttpResponse, AppError> {
    let (id, _) = ui.state.workflows.get(&key).ok_or(AppError::NotFound)?;
    let row = workflow_version::Entity::find_by_id(id).one(&ui.state.db).await?.ok_or(AppError::NotFound)?;
    page(&ui, &row, &query, &[]).await
}

/// The page of workflow version `row`: its diagram, states and actions, the
/// procedures it serves, its dry run, and for a version saved in the portal,
/// its activation.
pub async fn page(
    ui: &Ui,
    row: &workflow_version::Model,
    query: &DryRunQuery,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let en = ui.lang == Lang::En;
    let db = &ui.state.db;
    let wf = crate::workflow_registry::version(db, row.id).await?;
    let wf = wf.as_ref();
    let all = procedure::Entity::find().order_by_asc(procedure::Column::Code).all(db).await?;
    let fit = |p: &procedure::Model| {
        let days = crate::workflow_store::step_budgets::limit_days(p);
        UsedBy { code: p.code.clone(), name: p.name.clone(), limit_days: days, over: wf.fits(days).err() }
    };
    let used_by: Vec<UsedBy> = all.iter().filter(|p| p.workflow_key == row.key).map(fit).collect();
    let mut ctx = ui.form_context();
    ctx.insert("wf", wf);
    ctx.insert("svg", &diagram::svg(wf, en));
    ctx.insert("used_by", &used_by);
    ctx.insert("role_names", &wf.states.iter().map(|s| s.role.map(|r| r.as_str())).collect::<Vec<_>>());
    ctx.insert("short_hash", &wf.hash[..12]);
    let budgets: Vec<_> = wf
        .states
        .iter()
        .map(|s| match s.budget {
            Budget::Days(d) => serde_json::json!({ "days": d }),
            Budget::Hours(h) => serde_json::json!({ "hours": h }),
            Budget::Share(x) => serde_json::json!({ "share": (x * 100.0).round() }),
            Budget::None => serde_json::json!({}),
        })
        .collect();
    ctx.insert("budgets", &budgets);
    ctx.insert("state_keys", &wf.states.iter().map(|s| s.key.as_str()).collect::<Vec<_>>());
    let labels: Vec<&str> = wf.states.iter().map(|s| if en { s.label_en.as_str() } else { s.label.as_str() }).collect();
    ctx.insert("state_labels", &labels);
    let shipped = ui.state.workflows.get(&row.key).is_some_and(|(id, _)| id == row.id);
    let base = if shipped {
        format!("/quan-tri/quy-trinh/{}", row.key)
    } else {
        format!("/quan-tri/quy-trinh/{}/phien-ban/{}", row.key, row.id)
    };
    ctx.insert("base", &base);
    ctx.insert("version_id", &row.id);
    ctx.insert("shipped", &shipped);
    ctx.insert("made_by", &row.made_by);
    let received = if query.received.is_empty() {
        local_time::to_local(ui.now()).format("%Y-%m-%dT%H:%M").to_string()
    } else {
        query.received.clone()
    };
    let chosen = query.actions();
    ctx.insert("q", &serde_json::json!({"procedure": query.procedure, "path": query.path, "received": received}));
    let slots: Vec<String> = (0..CHOICES).map(|i| chosen.get(i).cloned().unwrap_or_default()).collect();
    ctx.insert("chosen", &slots);
    let action_labels: Vec<(String, String)> =
        wf.actions.iter().map(|a| (a.key.clone(), if en { a.label_en.clone() } else { a.label.clone() })).collect();
    ctx.insert("action_choices", &action_labels);
    // A saved version's dry run may use any procedure's limit: none may use it yet.
    let choices: Vec<UsedBy> = if row.made_by.is_some() { all.iter().map(fit).collect() } else { used_by };
    ctx.insert("choices", &choices);
    let mut errors = errors.to_vec();
    let mut tried = row.tried_at;
    if !query.procedure.is_empty() {
        match run(ui, wf, query, &chosen, &received, en).await {
            Ok(Ok(run)) => {
                if run.outcome.is_some() && tried.is_none() {
                    crate::workflow_store::versions::tried(db, row.id, ui.now()).await?;
                    tried = Some(ui.now());
                }
                ctx.insert("run", &run)
            }
            Ok(Err(stop)) => {
                errors.push(FieldError::new("path", "dry_run_stopped"));
                let why = match stop.refusal {
                    Refusal::UnknownAction => "unknown_action",
                    _ => "not_from_here",
                };
                ctx.insert("stop", &serde_json::json!({"step": stop.index + 1, "action": stop.action, "why": why}));
            }
            Err(e) => errors.extend(e),
        }
    }
    ctx.insert("usable", &(row.made_by.is_none() || tried.is_some()));
    ctx.insert("versions", &versions_of(db, &row.key).await?);
    ctx.insert("activations", &activations_of(db, row.id, &all).await?);
    ctx.insert("now_local", &local_time::to_local(ui.now()).format("%Y-%m-%dT%H:%M").to_string());
    ui.render_form("admin/workflow.html", &mut ctx, &errors)
}

/// The versions of `key`, newest first, as the page lists them.
async fn versions_of(db: &sea_orm::DatabaseConnection, key: &str) -> Result<Vec<serde_json::Value>, AppError> {
    Ok(crate::workflow_store::versions::of_key(db, key)
        .await?
        .into_iter()
        .map(|v| {
            serde_json::json!({"id": v.id, "declared": v.version, "hash": v.content_hash[..12].to_owned(),
                "made_by": v.made_by, "at": v.loaded_at, "usable": crate::workflow_store::versions::usable(&v)})
        })
        .collect())
}

/// The activations of version `id`, with their procedures' codes (of `procedures`, read once for the page).
async fn activations_of(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    procedures: &[procedure::Model],
) -> Result<Vec<serde_json::Value>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut out = Vec::new();
    let rows = entity::workflow_activation::Entity::find()
        .filter(entity::workflow_activation::Column::WorkflowVersionId.eq(id))
        .order_by_asc(entity::workflow_activation::Column::EffectiveFrom)
        .all(db)
        .await?;
    for a in rows {
        let code = procedures.iter().find(|p| p.id == a.procedure_id).map(|p| p.code.clone()).unwrap_or_default();
        let from = crate::dossier::receipt::moment_vi(a.effective_from);
        out.push(serde_json::json!({"procedure": code, "from": from, "by": a.created_by}));
    }
    Ok(out)
}

async fn run(
    ui: &Ui,
    wf: &Workflow,
    query: &DryRunQuery,
    path: &[String],
    received: &str,
    en: bool,
) -> Result<Result<dry_run::DryRun, dry_run::Stop>, Vec<FieldError>> {
    let p = crate::catalogue::view::any(&ui.state.db, &query.procedure)
        .await
        .map_err(|_| vec![FieldError::new("procedure", "invalid_choice")])?;
    let received = NaiveDateTime::parse_from_str(received, "%Y-%m-%dT%H:%M")
        .map_err(|_| vec![FieldError::new("received", "invalid_date")])?;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    if path.is_empty() {
        return Err(vec![FieldError::new("path", "required")]);
    }
    // As a dossier of the procedure would live it: its own step budgets, and the
    // time rules and calendar of its agency for a dossier received then.
    let db = &ui.state.db;
    let internal = |e: AppError| vec![FieldError::new("procedure", e.code())];
    let own = crate::workflow_store::step_budgets::of(db, p.id, &wf.key).await.map_err(internal)?;
    let wf = wf.with_budgets(&own);
    let at = local_time::to_utc(received);
    let catalogue = crate::change_counter::read(db, crate::change_counter::CATALOGUE).await.map_err(internal)?;
    let (_, cal) = ui
        .state
        .time
        .for_new_dossier(db, &ui.state.settings, p.agency_id, p.id, at, catalogue)
        .await
        .map_err(internal)?;
    Ok(dry_run::dry_run(&wf, &cal, p.record.time_limit, received, &path, en))
}
