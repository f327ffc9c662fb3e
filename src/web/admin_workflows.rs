//! Admins see the processing workflows: each as a diagram with its states
//! and actions, the procedures that use it (and whether its step budgets
//! fit their time limits), and a dry run of a path of actions for one of
//! those procedures, with who acts and the due dates it would give.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use entity::procedure;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::render::Ui;
use crate::catalogue::model::{TimeLimit, TimeUnit};
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
    let mut ctx = ui.context();
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

#[derive(Deserialize)]
pub struct DryRunQuery {
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    received: String,
}

pub async fn show(ui: Ui, key: web::Path<String>, query: web::Query<DryRunQuery>) -> Result<HttpResponse, AppError> {
    let en = ui.lang == Lang::En;
    let (_, wf) = ui.state.workflows.get(&key).ok_or(AppError::NotFound)?;
    let procedures = procedure::Entity::find()
        .filter(procedure::Column::WorkflowKey.eq(key.as_str()))
        .order_by_asc(procedure::Column::Code)
        .all(&ui.state.db)
        .await?;
    let mut used_by = Vec::new();
    for p in &procedures {
        let unit = TimeUnit::parse(&p.time_limit_unit).unwrap_or(TimeUnit::WorkingDays);
        let days = TimeLimit { hours: p.time_limit_hours, unit }.days();
        used_by.push(UsedBy {
            code: p.code.clone(),
            name: p.name.clone(),
            limit_days: days,
            over: wf.fits(days).err(),
        });
    }
    let mut ctx = ui.context();
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
            Budget::Share(x) => serde_json::json!({ "share": (x * 100.0).round() }),
            Budget::None => serde_json::json!({}),
        })
        .collect();
    ctx.insert("budgets", &budgets);
    ctx.insert("state_keys", &wf.states.iter().map(|s| s.key.as_str()).collect::<Vec<_>>());
    let received = if query.received.is_empty() {
        local_time::to_local(ui.now()).format("%Y-%m-%dT%H:%M").to_string()
    } else {
        query.received.clone()
    };
    ctx.insert("q", &serde_json::json!({"procedure": query.procedure, "path": query.path, "received": received}));
    let mut errors = Vec::new();
    if !query.procedure.is_empty() {
        match run(&ui, wf, &query, &received, en).await {
            Ok(Ok(run)) => ctx.insert("run", &run),
            Ok(Err(stop)) => {
                errors.push(FieldError::new("path", "dry_run_stopped"));
                let why = match stop.refusal {
                    Refusal::UnknownAction => "unknown_action",
                    _ => "not_from_here",
                };
                ctx.insert("stop", &serde_json::json!({"step": stop.index + 1, "action": stop.action, "why": why}));
            }
            Err(e) => errors = e,
        }
    }
    ui.render_form("admin/workflow.html", &mut ctx, &errors)
}

async fn run(
    ui: &Ui,
    wf: &Workflow,
    query: &DryRunQuery,
    received: &str,
    en: bool,
) -> Result<Result<dry_run::DryRun, dry_run::Stop>, Vec<FieldError>> {
    let p = crate::catalogue::view::any(&ui.state.db, &query.procedure)
        .await
        .map_err(|_| vec![FieldError::new("procedure", "invalid_choice")])?;
    let received = NaiveDateTime::parse_from_str(received, "%Y-%m-%dT%H:%M")
        .map_err(|_| vec![FieldError::new("received", "invalid_date")])?;
    let path: Vec<&str> = query.path.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).collect();
    let cal = crate::work_calendar::load(&ui.state.db, &ui.state.settings.office_hours)
        .await
        .map_err(|_| vec![FieldError::new("received", "invalid_date")])?;
    if path.is_empty() {
        return Err(vec![FieldError::new("path", "required")]);
    }
    Ok(dry_run::dry_run(wf, &cal, p.record.time_limit, received, &path, en))
}
