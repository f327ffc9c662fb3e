//! The reception desk (Bộ phận Một cửa): the agency's dossiers, reception
//! of online dossiers (receive, ask for a supplement, refuse), and counter
//! intake of a walk-in applicant's dossier with scanned papers. The full
//! back office (workflow steps, inboxes) builds on these pages.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use entity::{dossier, procedure};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use super::dossier_edit;
use super::form::FormData;
use super::multipart_form;
use super::render::{Ui, see_other};
use super::{csrf, eform_view, error_summary};
use crate::auth::role::Role;
use crate::catalogue::model::ProcedureStatus;
use crate::catalogue::view::ProcedureView;
use crate::dossier::applicant::Details;
use crate::dossier::documents;
use crate::dossier::draft::{self, NewDossier, RESULT_DELIVERY};
use crate::dossier::{Channel, DossierStatus, access, receive, refuse, submit, supplement, view};
use crate::error::{AppError, FieldError};

const PAGE: u64 = 100;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

/// The dossiers of the official's agency, newest first; drafts are the applicants' own.
pub async fn list(ui: Ui, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    // An official outside any unit (a portal admin) has no dossiers to see.
    let unit = ui.principal()?.unit_id.unwrap_or(-1);
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            DossierStatus::parse(s)
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("status", "invalid_choice")]))?,
        ),
        None => None,
    };
    let mut find = dossier::Entity::find()
        .filter(dossier::Column::AgencyId.eq(unit))
        .filter(dossier::Column::Status.ne(DossierStatus::Draft));
    if let Some(s) = status {
        find = find.filter(dossier::Column::Status.eq(s.as_str()));
    }
    let rows = find.order_by_desc(dossier::Column::Id).limit(PAGE).all(&ui.state.db).await?;
    let mut ctx = ui.context();
    ctx.insert("items", &view::summaries(&ui.state.db, &rows).await?);
    ctx.insert("statuses", &DossierStatus::ALL.iter().skip(1).map(|s| s.as_str()).collect::<Vec<_>>());
    ctx.insert("status", &status.map(|s| s.as_str()));
    ui.render("reception/list.html", &ctx)
}

pub async fn show(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    let (step, actions) = super::processing::step_and_actions(&ui, &d).await?;
    let can_claim = d.assignee_id.is_none()
        && step
            .as_ref()
            .and_then(|s| s.role)
            .is_some_and(|r| crate::dossier::process::roles_of(who, &d).iter().any(|mine| mine.as_str() == r))
        && crate::dossier::process::in_processing(&d);
    // A leader may hand the step to another official who works it.
    let mut reassign_to = Vec::new();
    if who.has_role(Role::Leader)
        && crate::dossier::process::in_processing(&d)
        && let Some(role) = step.as_ref().and_then(|s| s.role).and_then(crate::workflow::model::WfRole::parse)
    {
        reassign_to = crate::dossier::officials::with_role(&ui.state.db, d.agency_id, role)
            .await?
            .into_iter()
            .filter(|o| Some(o.id) != d.assignee_id)
            .map(|o| (o.id, o.full_name))
            .collect();
    }
    let holder = match d.assignee_id {
        Some(id) => entity::account::Entity::find_by_id(id).one(&ui.state.db).await?.map(|a| a.full_name),
        None => None,
    };
    let mut ctx = ui.form_context();
    ctx.insert("d", &view::load(&ui.state.db, &d).await?);
    ctx.insert("reassign_to", &reassign_to);
    if actions.iter().any(|a| a.inputs.contains(&"agency")) {
        let mut partners: Vec<(String, String)> = entity::agency::Entity::find()
            .all(&ui.state.db)
            .await?
            .into_iter()
            .filter(|a| a.id != d.agency_id)
            .map(|a| (a.code, a.name))
            .collect();
        partners.sort_by(|a, b| a.1.cmp(&b.1));
        ctx.insert("partners", &partners);
    }
    ctx.insert(
        "can_apologise",
        // Not once the result is ready: there is no deadline left to move.
        &(who.has_role(Role::Leader)
            && crate::dossier::process::in_processing(&d)
            && d.rescheduled_from.is_none()
            && d.finished_at.is_none()),
    );
    ctx.insert("holder", &holder);
    ctx.insert("can_receive", &who.has_role(Role::Reception));
    let open = !d.status.is_closed();
    let owed = if open && who.unit_id == Some(d.agency_id) {
        crate::dossier::money::owed_now(&ui.state.db, &d).await?
    } else {
        0
    };
    ctx.insert("owed", &owed);
    // What the applicant owes and has paid, for every official who opens the dossier.
    let procedure = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
    ctx.insert("pay", &super::payments::applicant_summary(&ui.state.db, &d, &procedure.record.fees).await?);
    ctx.insert("step", &step);
    ctx.insert("actions", &actions);
    ctx.insert("can_claim", &can_claim);
    ctx.insert("held_by_me", &(d.assignee_id == Some(who.id)));
    ui.render("reception/show.html", &ctx)
}

/// Loads the dossier for an action and checks the form's version against it.
async fn for_action(ui: &Ui, id: &str, form: &FormData) -> Result<(dossier::Model, ProcedureView), AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, id).await?;
    if form.get("version").parse::<i32>().ok() != Some(d.version) {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    let p = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
    Ok((d, p))
}

pub async fn receive(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let (d, p) = for_action(&ui, &id, &form).await?;
    let txn = crate::db::begin_write(&ui.state.db).await?;
    receive::receive(&txn, &ui.state, &d, &p, &ui.actor().in_role("reception"), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

pub async fn request_supplement(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let (d, p) = for_action(&ui, &id, &form).await?;
    let txn = crate::db::begin_write(&ui.state.db).await?;
    supplement::request(&txn, &ui.state, &d, &p, form.get("note"), &ui.actor().in_role("reception"), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// A walk-in applicant brought the papers a supplement request asked for:
/// the reception officer scans them and records the answer for them.
pub async fn record_supplement(ui: Ui, id: web::Path<String>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    let limits = dossier_edit::request_limits(&ui.state);
    let form = multipart_form::read(payload, &ui.state.settings.data_dir.join("tmp"), &limits).await?;
    if !csrf::verify(&ui.session, Some(form.get(csrf::FIELD))) {
        return Err(AppError::Forbidden);
    }
    let note = form.get("note").to_owned();
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let edits = dossier_edit::edits_of(form)?;
    let change = dossier_edit::change_of(&edits);
    let handed_in = supplement::HandedIn::AtCounter;
    supplement::answer_with_documents(&ui.state, &d, version, who, &ui.actor(), handed_in, &note, change, ui.now())
        .await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// The applicant's own copy of form 01 for a counter dossier: the receipt
/// with a new one-time rating link (the earlier one stops working). Posted,
/// since each print issues a link; only the PDF handed over carries it.
pub async fn applicant_copy(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    if !csrf::verify(&ui.session, Some(form.get(csrf::FIELD))) {
        return Err(AppError::Forbidden);
    }
    if who.unit_id != Some(d.agency_id) {
        return Err(AppError::Forbidden);
    }
    let lookup =
        crate::dossier::lookup::lookup_url(&ui.state.settings.public_url, d.code.as_deref().unwrap_or_default());
    let mut r = crate::dossier::receipt::load(&ui.state.db, d.id, &lookup).await?;
    let token = crate::rating::link::issue(&ui.state.db, &d, ui.now()).await?;
    r.rating_url = Some(crate::rating::link::url(&ui.state.settings.public_url, &token));
    let name = r.file_name();
    let bytes = crate::blocking::run(move || crate::dossier::receipt::pdf(&r)).await??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Content-Disposition", format!("inline; filename=\"{name}\"")))
        .body(bytes))
}

/// The officer records the fee paid at the counter, with the receipt's number.
pub async fn record_payment(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    // A partner agency reads the dossier; only its own unit takes its money.
    if who.unit_id != Some(d.agency_id) {
        return Err(AppError::Forbidden);
    }
    let actor = ui.actor().in_role("reception");
    crate::payment::counter::record(&ui.state, &d, form.get("receipt_no"), &actor, ui.now()).await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

pub async fn refuse(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let (d, p) = for_action(&ui, &id, &form).await?;
    let txn = crate::db::begin_write(&ui.state.db).await?;
    refuse::refuse(&txn, &ui.state, &d, &p, form.get("note"), &ui.actor().in_role("reception"), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&format!("/can-bo/ho-so/{id}")))
}

/// Counter intake, step 1: the procedures of the officer's agency.
pub async fn counter_choose(ui: Ui) -> Result<HttpResponse, AppError> {
    let unit = ui.principal()?.unit_id.ok_or(AppError::Forbidden)?;
    let procedures = procedure::Entity::find()
        .filter(procedure::Column::AgencyId.eq(unit))
        .filter(procedure::Column::Status.eq(ProcedureStatus::Published.as_str()))
        .order_by_asc(procedure::Column::Code)
        .all(&ui.state.db)
        .await?;
    let mut ctx = ui.context();
    ctx.insert("procedures", &procedures.iter().map(|p| (&p.code, &p.name)).collect::<Vec<_>>());
    ui.render("reception/counter_choose.html", &ctx)
}

async fn counter_procedure(ui: &Ui, code: &str) -> Result<ProcedureView, AppError> {
    let p = ui.state.procedures.public(&ui.state.db, code).await?;
    if ui.principal()?.unit_id != Some(p.agency_id) {
        return Err(AppError::Forbidden);
    }
    if p.record.status != ProcedureStatus::Published {
        return Err(AppError::Conflict("procedure_closed".into()));
    }
    Ok(ProcedureView::clone(&p))
}

/// The applicant's details the counter form asks for, each an input of that id.
const APPLICANT_FIELDS: [&str; 5] =
    ["applicant_name", "applicant_id_number", "applicant_address", "applicant_phone", "applicant_email"];

async fn counter_page(
    ui: &Ui,
    p: &ProcedureView,
    values: &std::collections::BTreeMap<String, String>,
    applicant: &Details,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let messages = ui.field_messages(errors);
    let typed: std::collections::BTreeMap<&str, &str> = [
        ("applicant_name", applicant.name.as_str()),
        ("applicant_id_number", applicant.id_number.as_str()),
        ("applicant_address", applicant.address.as_str()),
        ("applicant_phone", applicant.phone.as_str()),
        ("applicant_email", applicant.email.as_str()),
    ]
    .into();
    let schema = submit::schema_of(p)?;
    let slots = documents::slots(p);
    let mut ctx = ui.form_context();
    ctx.insert("p", p);
    ctx.insert("fields", &eform_view::build(&schema, values, &messages, ui.lang));
    ctx.insert("error_list", &error_summary::items(ui, &schema, &slots, errors, &messages, &APPLICANT_FIELDS));
    ctx.insert("slots", &slots);
    ctx.insert("applicant", &typed);
    ctx.insert("delivery", values.get(RESULT_DELIVERY).map_or("counter", String::as_str));
    ctx.insert("delivery_error", &messages.get(RESULT_DELIVERY));
    ctx.insert("errors", &messages);
    ctx.insert("draft_token", &crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ui.render_status(status, "reception/counter.html", &ctx)
}

pub async fn counter_form(ui: Ui, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let p = counter_procedure(&ui, &code).await?;
    counter_page(&ui, &p, &Default::default(), &Details::default(), &[]).await
}

/// Counter intake, step 2: the applicant's details, the e-form and the
/// scanned papers; the dossier is submitted and received at once.
pub async fn counter_create(ui: Ui, code: web::Path<String>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let p = counter_procedure(&ui, &code).await?;
    let limits = dossier_edit::request_limits(&ui.state);
    let form = multipart_form::read(payload, &ui.state.settings.data_dir.join("tmp"), &limits).await?;
    if !csrf::verify(&ui.session, Some(form.get(csrf::FIELD))) {
        return Err(AppError::Forbidden);
    }
    let details = Details {
        name: form.get("applicant_name").trim().to_owned(),
        id_number: form.get("applicant_id_number").trim().to_owned(),
        address: form.get("applicant_address").trim().to_owned(),
        phone: form.get("applicant_phone").trim().to_owned(),
        email: form.get("applicant_email").trim().to_lowercase(),
    };
    let token = form.get("draft_token").to_owned();
    let mut edits = dossier_edit::edits_of(form)?;
    let mut errors = Vec::new();
    for key in APPLICANT_FIELDS {
        edits.fields.remove(key);
    }
    if details.name.chars().count() < 2 {
        errors.push(FieldError::new("applicant_name", "required"));
    }
    if details.id_number.is_empty() || !details.id_number.chars().all(|c| c.is_ascii_digit() || c == '-') {
        errors.push(FieldError::new("applicant_id_number", "citizen_id"));
    }
    if !details.email.is_empty() && details.email.parse::<lettre::Address>().is_err() {
        errors.push(FieldError::new("applicant_email", "email"));
    }
    // Checked before anything is stored, so a refused intake leaves nothing behind.
    if let Err(form_errors) = crate::dossier::form_data::check(&submit::schema_of(&p)?, &edits.fields) {
        errors.extend(form_errors);
    }
    for slot in documents::slots(&p).iter().filter(|s| s.required) {
        if !edits.files.iter().any(|(at, _)| *at == Some(slot.position)) {
            errors.push(FieldError::new(format!("documents.{}", slot.position), "required_document"));
        }
    }
    if !errors.is_empty() {
        return counter_page(&ui, &p, &edits.fields, &details, &errors).await;
    }
    let now = ui.now();
    let officer = ui.principal()?.id;
    let details_kept = details.clone();
    let new = NewDossier {
        procedure: &p,
        created_by: officer,
        applicant_id: None,
        applicant: details,
        channel: Channel::Counter,
        code: None,
        form: edits.fields.clone(),
        idempotency_key: (!token.is_empty()).then(|| format!("counter:{}", token.chars().take(64).collect::<String>())),
        request_hash: None,
    };
    let (d, created) = draft::start(&ui.state.db, new, now).await?;
    if !created && d.status != DossierStatus::Draft {
        return Ok(see_other(&format!("/can-bo/ho-so/{}", d.public_id)));
    }
    let slots = documents::slots(&p);
    let applied = dossier_edit::apply_documents(&ui.state, &d, &slots, &edits, officer, 0, now).await;
    let result = match applied {
        Ok(new) => match submit::submit(&ui.state.core, d.id, &ui.actor(), submit::AlreadyRead::default(), now).await {
            Ok(_) => Ok(()),
            Err(e) => {
                dossier::Entity::delete_by_id(d.id).exec(&ui.state.db).await?;
                Err(dossier_edit::discard_after(&ui.state, new, e).await)
            }
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/can-bo/ho-so/{}/phieu-tiep-nhan", d.public_id))),
        // Nothing is kept of a refused intake: the officer starts again.
        Err(AppError::Validation(errors)) => counter_page(&ui, &p, &edits.fields, &details_kept, &errors).await,
        Err(e) => Err(e),
    }
}
