//! The officials' back office on top of the workflow: the inbox of the
//! dossiers waiting for one's roles in one's unit, taking a dossier from the
//! pool, and the workflow actions on the dossier page (each with its inputs).

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use entity::dossier;
use sea_orm::sea_query::Condition;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::form::FormData;
use super::multipart_form::{self, Limits};
use super::render::{Ui, see_other};
use super::{csrf, uploads};
use crate::documents::store;
use crate::dossier::process::{self, Given};
use crate::dossier::{DossierStatus, access, handover};
use crate::error::{AppError, FieldError};
use crate::values::DueState;
use crate::workflow::engine;
use crate::workflow::model::{Input, WfRole};

const PAGE: u64 = 200;

#[derive(Serialize)]
pub struct ActionView {
    pub key: String,
    pub label: String,
    pub inputs: Vec<&'static str>,
    /// It ends the dossier without a result (refused, stopped): shown apart, confirmed.
    pub destructive: bool,
}

#[derive(Serialize)]
pub struct StepView {
    pub key: String,
    pub label: String,
    pub role: Option<&'static str>,
    pub clock: &'static str,
}

/// What the dossier page offers `who` in the dossier's current step.
pub async fn step_and_actions(ui: &Ui, d: &dossier::Model) -> Result<(Option<StepView>, Vec<ActionView>), AppError> {
    let Some(wf) = process::workflow_of(&ui.state.db, d).await? else { return Ok((None, Vec::new())) };
    let Some(state) = d.workflow_state.as_deref().and_then(|k| wf.states.iter().find(|s| s.key == k)) else {
        return Ok((None, Vec::new()));
    };
    let en = ui.lang == crate::i18n::Lang::En;
    let step = StepView {
        key: state.key.clone(),
        label: if en { state.label_en.clone() } else { state.label.clone() },
        role: state.role.map(WfRole::as_str),
        clock: state.clock.as_str(),
    };
    if !process::in_processing(d) {
        return Ok((Some(step), Vec::new()));
    }
    let roles = process::roles_of(ui.principal()?, d);
    let here = wf.state_index(&state.key).unwrap_or(wf.initial);
    let dist = wf.distances();
    let mut available = engine::available(&wf, &state.key, &roles);
    // The step's main action first (the page makes the first one primary): one that moves the
    // dossier on to officials or to its end; then those that wait for the applicant or go back;
    // last those that end it without a result.
    let rank = |a: &&crate::workflow::model::Action| {
        let to = &wf.states[a.to];
        match to.status {
            crate::values::DossierStatus::Refused | crate::values::DossierStatus::Stopped => 2,
            _ if dist[a.to] <= dist[here] || to.role == Some(WfRole::Applicant) => 1,
            _ => 0,
        }
    };
    available.sort_by_key(rank);
    let actions = available
        .into_iter()
        .map(|a| ActionView {
            key: a.key.clone(),
            label: if en { a.label_en.clone() } else { a.label.clone() },
            inputs: a.inputs.iter().map(|i| i.as_str()).collect(),
            destructive: matches!(
                wf.states[a.to].status,
                crate::values::DossierStatus::Refused | crate::values::DossierStatus::Stopped
            ),
        })
        .collect();
    Ok((Some(step), actions))
}

/// A workflow action posted from the dossier page (multipart: it may carry the result document).
pub async fn act(ui: Ui, path: web::Path<(String, String)>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let who = ui.principal()?.clone();
    let d = access::load(&ui.state.db, &who, &id).await?;
    let limits = Limits {
        file_bytes: ui.state.settings.upload_max_bytes,
        files: 1,
        total_bytes: ui.state.settings.upload_max_bytes,
    };
    let form = multipart_form::read(payload, &ui.state.settings.data_dir.join("tmp"), &limits).await?;
    if !csrf::verify(&ui.session, Some(form.get(csrf::FIELD))) {
        return Err(AppError::Forbidden);
    }
    let version: i32 =
        form.get("version").parse().map_err(|_| AppError::Validation(vec![FieldError::new("version", "required")]))?;
    let now = ui.now();
    let mut given = Given {
        reason: form.get("reason").to_owned(),
        documents: form.get("documents").to_owned(),
        note: form.get("note").to_owned(),
        agency: form.get("agency").to_owned(),
        assignee: None,
        result_upload: None,
    };
    let mut kept = None;
    if let Some(file) = form.files.iter().find(|f| f.field == Input::ResultDocument.as_str()) {
        let upload = store::keep(&ui.state.db, &ui.state.storage, who.id, &file.received, now).await?;
        given.result_upload = Some(upload.id);
        kept = Some(upload);
    }
    match process::act(&ui.state, &d, version, &who, &ui.actor(), &action, &given, now).await {
        Ok(_) => Ok(see_other(&format!("/can-bo/ho-so/{id}"))),
        Err(e) => Err(super::dossier_edit::discard_after(&ui.state, kept.into_iter().collect(), e).await),
    }
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct InboxQuery {
    #[serde(default)]
    tab: Option<String>,
    /// A procedure code.
    #[serde(default)]
    procedure: Option<String>,
    #[serde(default)]
    status: Option<String>,
    /// `on_time`, `due_soon` or `overdue`.
    #[serde(default)]
    due: Option<String>,
    /// `step` (the step's deadline, the default) or `dossier` (the appointment).
    #[serde(default)]
    sort: Option<String>,
    /// 1 for the first page of `PAGE` dossiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
}

const DUE_STATES: &[DueState] = &[DueState::OnTime, DueState::DueSoon, DueState::Overdue];

/// The official's inbox: dossiers of the unit whose current step is worked
/// by one of the official's roles — "mine" (held by them) and "pool"
/// (nobody holds them yet) — soonest deadline first, filtered by procedure,
/// status and deadline state.
pub async fn inbox(ui: Ui, query: web::Query<InboxQuery>) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let unit = who.unit_id.unwrap_or(-1);
    let mine_tab = query.tab.as_deref() != Some("pool");
    let page = query.page.unwrap_or(1);
    if page == 0 || page > 100_000 {
        return Err(AppError::Validation(vec![FieldError::new("page", "invalid_choice")]));
    }
    let given = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let mut find = dossier::Entity::find()
        .filter(dossier::Column::AgencyId.eq(unit))
        .filter(dossier::Column::WorkflowState.is_not_null())
        .filter(dossier::Column::ReceivedAt.is_not_null())
        .filter(dossier::Column::ClosedAt.is_null());
    let procedures = entity::procedure::Entity::find()
        .filter(entity::procedure::Column::AgencyId.eq(unit))
        .order_by_asc(entity::procedure::Column::Code)
        .all(&ui.state.db)
        .await?;
    if let Some(code) = given(&query.procedure) {
        let p = procedures
            .iter()
            .find(|p| p.code == code)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("procedure", "invalid_choice")]))?;
        find = find.filter(dossier::Column::ProcedureId.eq(p.id));
    }
    if let Some(status) = given(&query.status) {
        let s = DossierStatus::parse(&status)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("status", "invalid_choice")]))?;
        find = find.filter(dossier::Column::Status.eq(s.as_str()));
    }
    if let Some(due) = given(&query.due) {
        let due = DueState::parse(&due)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("due", "invalid_choice")]))?;
        find = find.filter(dossier::Column::DueState.eq(due));
    }
    // The steps this official works: (workflow version, state) pairs whose
    // state names one of their roles, so that lists and counts are exact in SQL.
    let versions: Vec<Option<i64>> = dossier::Entity::find()
        .select_only()
        .column(dossier::Column::WorkflowVersionId)
        .distinct()
        .filter(dossier::Column::AgencyId.eq(unit))
        .filter(dossier::Column::ClosedAt.is_null())
        .filter(dossier::Column::WorkflowVersionId.is_not_null())
        .into_tuple()
        .all(&ui.state.db)
        .await?;
    let my_roles = process::official_roles(&who);
    let mut steps = Condition::any();
    for version in versions.into_iter().flatten() {
        let wf = crate::workflow_registry::version(&ui.state.db, version).await?;
        let states: Vec<&str> = wf
            .states
            .iter()
            .filter(|s| s.role.is_some_and(|r| my_roles.contains(&r)))
            .map(|s| s.key.as_str())
            .collect();
        if !states.is_empty() {
            steps = steps.add(
                Condition::all()
                    .add(dossier::Column::WorkflowVersionId.eq(version))
                    .add(dossier::Column::WorkflowState.is_in(states)),
            );
        }
    }
    // No step of theirs: nothing matches (an empty OR would match everything).
    let find = find.filter(if steps.is_empty() { Condition::all().add(Expr::value(false)) } else { steps });
    let mine_find = find.clone().filter(dossier::Column::AssigneeId.eq(who.id));
    let pool_find = find.filter(dossier::Column::AssigneeId.is_null());
    let (mine_count, pool_count) =
        (mine_find.clone().count(&ui.state.db).await?, pool_find.clone().count(&ui.state.db).await?);
    let shown_find = if mine_tab { mine_find } else { pool_find };
    let by_appointment = query.sort.as_deref() == Some("dossier");
    let shown = if by_appointment {
        shown_find.order_by_asc(dossier::Column::DueAt)
    } else {
        shown_find.order_by_asc(dossier::Column::StepDueAt)
    }
    .order_by_asc(dossier::Column::Id)
    .offset((page - 1) * PAGE)
    .limit(PAGE)
    .all(&ui.state.db)
    .await?;
    let shown = &shown;
    let total = if mine_tab { mine_count } else { pool_count };
    let pages = total.div_ceil(PAGE).max(1);
    let mut ctx = ui.form_context();
    ctx.insert("items", &crate::dossier::view::summaries(&ui.state.db, shown).await?);
    ctx.insert(
        "steps",
        &shown.iter().map(|d| (d.public_id.clone(), d.step_due_at)).collect::<std::collections::HashMap<_, _>>(),
    );
    ctx.insert("tab", if mine_tab { "mine" } else { "pool" });
    ctx.insert("q", &*query);
    ctx.insert("procedures", &procedures.iter().map(|p| (&p.code, &p.name)).collect::<Vec<_>>());
    ctx.insert(
        "statuses",
        &[
            DossierStatus::Received,
            DossierStatus::InProgress,
            DossierStatus::AwaitingSupplement,
            DossierStatus::AwaitingPayment,
            DossierStatus::ResultReady,
        ]
        .map(|s| s.as_str()),
    );
    ctx.insert("due_states", DUE_STATES);
    let filters =
        serde_urlencoded::to_string(InboxQuery { tab: None, page: None, ..(*query).clone() }).unwrap_or_default();
    ctx.insert("filters", &filters);
    ctx.insert("page", &page);
    ctx.insert("pages", &pages);
    ctx.insert("mine_count", &mine_count);
    ctx.insert("pool_count", &pool_count);
    ui.render("reception/inbox.html", &ctx)
}

/// Takes a dossier from the unit's pool.
pub async fn claim(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let d = access::load(&ui.state.db, &who, &id).await?;
    let wf = process::workflow_of(&ui.state.db, &d).await?.ok_or_else(|| AppError::Conflict("no workflow".into()))?;
    let role = d.workflow_state.as_deref().and_then(|k| wf.states.iter().find(|s| s.key == k)).and_then(|s| s.role);
    if !process::in_processing(&d) || !role.is_some_and(|r| process::roles_of(&who, &d).contains(&r)) {
        return Err(AppError::Forbidden);
    }
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let public_url = &ui.state.settings.public_url;
    handover::claim(&ui.state.db, &d, version, &ui.actor(), who.id, public_url, ui.now()).await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// A leader gives the dossier to another official of the step's role.
pub async fn reassign(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let d = access::load(&ui.state.db, &who, &id).await?;
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let to: i32 = form
        .get("assignee")
        .parse()
        .map_err(|_| AppError::Validation(vec![FieldError::new("assignee", "required")]))?;
    handover::reassign(&ui.state, &d, version, &who, &ui.actor(), to, ui.now()).await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// A leader apologises for a late dossier and gives the new date (form 04).
pub async fn apologise(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let d = access::load(&ui.state.db, &who, &id).await?;
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let day = chrono::NaiveDate::parse_from_str(form.get("new_due").trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Validation(vec![FieldError::new("new_due", "invalid_date")]))?;
    crate::dossier::apology::apologise(&ui.state, &d, version, &who, &ui.actor(), form.get("reason"), day, ui.now())
        .await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// The longest comment kept, in characters.
const COMMENT_MAX: usize = 2000;

/// An official's comment on the dossier, for the agency's officials only.
/// It is not a change: it does not move the version, so nobody's open
/// action form goes stale because a colleague wrote a note.
pub async fn comment(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let d = access::load(&ui.state.db, &who, &id).await?;
    let text = crate::text::nfc(form.get("comment").trim());
    if text.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("comment", "required")]));
    }
    if text.chars().count() > COMMENT_MAX {
        return Err(AppError::Validation(vec![FieldError::new("comment", "too_long")]));
    }
    let txn = crate::db::begin_write(&ui.state.db).await?;
    let comment = entity::dossier_event::Kind::Comment;
    crate::dossier::lifecycle::record(&txn, &d, comment, "comment", &text, &ui.actor(), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}#history")))
}

/// The result document, to the applicant and the agency's officials.
pub async fn result(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    let ready = matches!(d.status, DossierStatus::ResultReady | DossierStatus::Returned);
    let upload_id = d.result_upload_id.filter(|_| ready || !who.is_applicant()).ok_or(AppError::NotFound)?;
    // An electronic result is handed over by its download: not while a fee is owed.
    if who.is_applicant() && crate::dossier::money::owed_now(&ui.state.db, &d).await? > 0 {
        return Err(AppError::Conflict("not yet: fee_unpaid".into()));
    }
    let file = entity::upload::Entity::find_by_id(upload_id).one(&ui.state.db).await?.ok_or(AppError::NotFound)?;
    uploads::serve(ui.request(), &ui.state, &file).await
}
