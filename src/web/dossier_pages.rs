//! The applicant's dossier pages: start a dossier from a procedure, fill
//! in and keep the draft, review and submit, follow it ("Hồ sơ của tôi"),
//! answer a request for supplement, withdraw, and download files and the receipt.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use entity::dossier;
use sea_orm::EntityTrait;
use serde::Serialize;

use super::dossier_edit::{self, Edits};
use super::form::FormData;
use super::multipart_form;
use super::render::{Ui, see_other};
use super::{csrf, eform_view, error_summary};
use crate::auth::accounts;
use crate::catalogue::view::ProcedureView;
use crate::documents::store;
use crate::dossier::applicant::{self, Details};
use crate::dossier::documents::{self, Slot};
use crate::dossier::draft::{self, NewDossier, RESULT_DELIVERY};
use crate::dossier::{Channel, DossierStatus, access, receipt, submit, supplement, view, withdraw};
use crate::error::{AppError, FieldError};

#[derive(Serialize)]
struct SlotView<'a> {
    slot: &'a Slot,
    files: Vec<&'a documents::Attached>,
    error: Option<String>,
}

/// Reads a multipart post after checking its CSRF token.
async fn read_post(ui: &Ui, payload: Multipart) -> Result<multipart_form::MultipartForm, AppError> {
    let form = read_draft_post(ui, payload).await?;
    if form.file_errors.is_empty() { Ok(form) } else { Err(AppError::Validation(form.file_errors)) }
}

/// A post of the draft's form: a file that cannot be taken is left out and
/// named, so the form is shown again with everything else that was sent.
async fn read_draft_post(ui: &Ui, payload: Multipart) -> Result<multipart_form::MultipartForm, AppError> {
    let limits = dossier_edit::request_limits(&ui.state);
    let form = multipart_form::read_keeping_going(payload, &ui.state.settings.data_dir.join("tmp"), &limits).await?;
    if !csrf::verify(&ui.session, Some(form.get(csrf::FIELD))) {
        return Err(AppError::Forbidden);
    }
    Ok(form)
}

/// The files a draft's post left out, each named by its document slot (`file.2` → `documents.2`).
fn left_out(form: &mut multipart_form::MultipartForm) -> Vec<FieldError> {
    std::mem::take(&mut form.file_errors)
        .into_iter()
        .map(|e| match e.field.strip_prefix("file.") {
            Some(slot) if slot.parse::<i32>().is_ok() => FieldError::new(format!("documents.{slot}"), e.code),
            _ => FieldError::new("documents", e.code),
        })
        .collect()
}

/// The e-form and document slots, with what was typed and what is wrong.
async fn edit_page(
    ui: &Ui,
    p: &ProcedureView,
    d: Option<&dossier::Model>,
    values: &BTreeMap<String, String>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let schema = submit::schema_of(p)?;
    let messages = ui.field_messages(errors);
    let slots = documents::slots(p);
    let attached = match d {
        Some(d) => documents::list(&ui.state.db, d.id).await?,
        None => Vec::new(),
    };
    let slot_views: Vec<SlotView> = slots
        .iter()
        .map(|s| SlotView {
            slot: s,
            files: attached.iter().filter(|a| a.slot == Some(s.position)).collect(),
            error: messages.get(&format!("documents.{}", s.position)).cloned(),
        })
        .collect();
    let extras: Vec<_> = attached.iter().filter(|a| a.slot.is_none()).collect();
    let mut ctx = ui.form_context();
    ctx.insert("p", p);
    ctx.insert("fields", &eform_view::build(&schema, values, &messages, ui.lang));
    ctx.insert("slots", &slot_views);
    ctx.insert("extras", &extras);
    ctx.insert("store", &store::mine(&ui.state.db, ui.principal()?.id).await?);
    ctx.insert("documents_error", &messages.get("documents"));
    ctx.insert("delivery", values.get(RESULT_DELIVERY).map_or("electronic", String::as_str));
    ctx.insert("delivery_error", &messages.get(RESULT_DELIVERY));
    ctx.insert("error_list", &error_summary::items(ui, &schema, &slots, errors, &messages, &[]));
    match d {
        Some(d) => {
            ctx.insert("action", &format!("/ho-so/{}/sua", d.public_id));
            ctx.insert("dossier_id", &d.public_id);
        }
        None => {
            ctx.insert("action", &format!("/thu-tuc/{}/nop-ho-so", p.record.code));
            let token = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            ctx.insert("draft_token", &token);
        }
    }
    ctx.insert("saved", &ui.query_has("saved"));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ui.render_status(status, "dossier/edit.html", &ctx)
}

async fn accepting(ui: &Ui, code: &str) -> Result<ProcedureView, AppError> {
    let p = ui.state.procedures.public(&ui.state.db, code).await?;
    if p.accepts_online_submission {
        Ok(ProcedureView::clone(&p))
    } else {
        Err(AppError::Conflict("procedure_closed".into()))
    }
}

/// The entry point of an online dossier: the e-form, pre-filled.
pub async fn start_page(ui: Ui, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let p = ui.state.procedures.public(&ui.state.db, &code).await?;
    if !p.accepts_online_submission {
        let mut ctx = ui.context();
        ctx.insert("p", &p);
        return ui.render_status(StatusCode::CONFLICT, "public/start_dossier.html", &ctx);
    }
    let account = accounts::find(&ui.state.db, ui.principal()?.id).await?;
    let values = applicant::prefill(&ui.state.db, &account, &submit::schema_of(&p)?).await?;
    edit_page(&ui, &p, None, &values, &[]).await
}

/// The first post of the e-form creates the draft; the form's one-time
/// token makes a repeated post find the same draft.
pub async fn start(ui: Ui, code: web::Path<String>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let p = accepting(&ui, &code).await?;
    let mut form = read_draft_post(&ui, payload).await?;
    let bad_files = left_out(&mut form);
    let token = form.get("draft_token").to_owned();
    let action = form.get("action").to_owned();
    let edits = dossier_edit::edits_of(form)?;
    let who = ui.principal()?;
    let account = accounts::find(&ui.state.db, who.id).await?;
    let new = NewDossier {
        procedure: &p,
        created_by: who.id,
        applicant_id: Some(who.id),
        applicant: Details::of_account(&account),
        channel: Channel::Online,
        code: None,
        form: edits.fields.clone(),
        idempotency_key: (!token.is_empty()).then(|| format!("draft:{}", token.chars().take(64).collect::<String>())),
        request_hash: None,
    };
    let (d, _) = draft::start(&ui.state.db, new, ui.now()).await?;
    after_edit(&ui, &p, &d, edits, &action, bad_files).await
}

/// Applies a post to the draft `d`, then stays, or goes on to the review.
async fn after_edit(
    ui: &Ui,
    p: &ProcedureView,
    d: &dossier::Model,
    edits: Edits,
    action: &str,
    bad_files: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    let now = ui.now();
    draft::save_form(&ui.state.db, d, &edits.fields, now).await?;
    let slots = documents::slots(p);
    let owner = ui.principal()?.id;
    match dossier_edit::apply_documents(&ui.state, d, &slots, &edits, owner, 0, now).await {
        Ok(_) => {}
        Err(AppError::Validation(mut errors)) => {
            errors.extend(bad_files);
            return edit_page(ui, p, Some(d), &edits.fields, &errors).await;
        }
        Err(e) => return Err(e),
    }
    // What was typed and the good files are kept; the files left out are named at their slots.
    if !bad_files.is_empty() {
        return edit_page(ui, p, Some(d), &edits.fields, &bad_files).await;
    }
    if action != "review" {
        return Ok(see_other(&format!("/ho-so/{}/sua?saved=1", d.public_id)));
    }
    let fresh = reload(ui, d.id).await?;
    match submit::problems(&ui.state.db, &fresh, p, submit::limits(&ui.state)).await? {
        Ok(_) => Ok(see_other(&format!("/ho-so/{}/xem-lai", d.public_id))),
        Err(errors) => edit_page(ui, p, Some(&fresh), &edits.fields, &errors).await,
    }
}

async fn reload(ui: &Ui, id: i64) -> Result<dossier::Model, AppError> {
    dossier::Entity::find_by_id(id).one(&ui.state.db).await?.ok_or(AppError::NotFound)
}

/// The applicant's own draft `id`; anything else is not editable.
async fn own_draft(ui: &Ui, id: &str) -> Result<Option<(dossier::Model, ProcedureView)>, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, id).await?;
    if d.status != DossierStatus::Draft {
        return Ok(None);
    }
    let p = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
    Ok(Some((d, p)))
}

pub async fn edit_form(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let Some((d, p)) = own_draft(&ui, &id).await? else {
        return Ok(see_other(&format!("/ho-so/{id}")));
    };
    edit_page(&ui, &p, Some(&d), &draft::typed(&d), &[]).await
}

pub async fn edit(ui: Ui, id: web::Path<String>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let Some((d, p)) = own_draft(&ui, &id).await? else {
        return Err(AppError::Conflict("dossier_not_draft".into()));
    };
    let mut form = read_draft_post(&ui, payload).await?;
    let bad_files = left_out(&mut form);
    let action = form.get("action").to_owned();
    let edits = dossier_edit::edits_of(form)?;
    after_edit(&ui, &p, &d, edits, &action, bad_files).await
}

/// The final review before submission.
pub async fn review(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let Some((d, p)) = own_draft(&ui, &id).await? else {
        return Ok(see_other(&format!("/ho-so/{id}")));
    };
    let checked = match submit::problems(&ui.state.db, &d, &p, submit::limits(&ui.state)).await? {
        Ok(data) => data,
        Err(errors) => return edit_page(&ui, &p, Some(&d), &draft::typed(&d), &errors).await,
    };
    let mut ctx = ui.form_context();
    ctx.insert("d", &view::load(&ui.state.db, &d).await?.for_applicant());
    ctx.insert("rows", &view::rows(&submit::schema_of(&p)?, &checked));
    ctx.insert("fee_due", &crate::catalogue::fees::due(&p.record.fees, &checked));
    ctx.insert("p", &p);
    ui.render("dossier/review.html", &ctx)
}

pub async fn submit(ui: Ui, id: web::Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    match submit::submit(&ui.state.core, d.id, &ui.actor(), submit::AlreadyRead::default(), ui.now()).await {
        Ok(_) => Ok(see_other(&format!("/ho-so/{id}"))),
        Err(AppError::Validation(errors)) => {
            let p = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
            edit_page(&ui, &p, Some(&d), &draft::typed(&d), &errors).await
        }
        Err(e) => Err(e),
    }
}

/// "Hồ sơ của tôi": newest first.
pub async fn mine(ui: Ui) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.id;
    let rows = access::mine(&ui.state.db, who).await?;
    let mut ctx = ui.context();
    ctx.insert("items", &view::summaries(&ui.state.db, &rows).await?);
    ui.render("dossier/mine.html", &ctx)
}

pub async fn show(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let mut ctx = ui.form_context();
    let shown = view::load(&ui.state.db, &d).await?.for_applicant();
    ctx.insert("pay", &super::payments::applicant_summary(&ui.state.db, &d, &shown.procedure.record.fees).await?);
    ctx.insert("d", &shown);
    ctx.insert("rating", &super::ratings::panel(&ui.state.db, &ui.state, &d, ui.now()).await?);
    ctx.insert("store", &store::mine(&ui.state.db, ui.principal()?.id).await?);
    ui.render("dossier/show.html", &ctx)
}

/// A file of a dossier, to whoever may read the dossier.
pub async fn file(ui: Ui, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, file) = path.into_inner();
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let found = documents::file_of(&ui.state.db, d.id, &file).await?;
    super::uploads::serve(ui.request(), &ui.state, &found).await
}

pub async fn receipt_page(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let r = receipt::load(&ui.state.db, d.id, &lookup_url_of(&ui, &d)).await?;
    let mut ctx = ui.context();
    ctx.insert("qr", &crate::pdf::qr::svg(&r.lookup_url));
    ctx.insert("r", &r);
    ctx.insert("pdf_url", &format!("{}/phieu-tiep-nhan.pdf", ui.path().trim_end_matches("/phieu-tiep-nhan")));
    ui.render("dossier/receipt.html", &ctx)
}

pub async fn receipt_pdf(ui: Ui, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let r = receipt::load(&ui.state.db, d.id, &lookup_url_of(&ui, &d)).await?;
    let owned = r.clone();
    let bytes = crate::blocking::run(move || receipt::pdf(&owned)).await??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("inline; filename=\"{}\"", r.file_name())))
        .body(bytes))
}

fn lookup_url_of(ui: &Ui, d: &dossier::Model) -> String {
    crate::dossier::lookup::lookup_url(&ui.state.settings.public_url, d.code.as_deref().unwrap_or_default())
}

/// The applicant answers a request for supplement with the documents asked for.
pub async fn answer_supplement(ui: Ui, id: web::Path<String>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    if d.status != DossierStatus::AwaitingSupplement {
        return Err(AppError::Conflict("nothing is asked of this dossier".into()));
    }
    let form = read_post(&ui, payload).await?;
    let note = form.get("note").to_owned();
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let edits = dossier_edit::edits_of(form)?;
    let change = dossier_edit::change_of(&edits);
    supplement::answer_with_documents(
        &ui.state,
        &d,
        version,
        who,
        &ui.actor(),
        supplement::HandedIn::Online,
        &note,
        change,
        ui.now(),
    )
    .await?;
    Ok(see_other(&format!("/ho-so/{id}")))
}

pub async fn withdraw(ui: Ui, id: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let txn = crate::db::begin_write(&ui.state.db).await?;
    withdraw::withdraw(&txn, &d, form.get("note"), &ui.actor(), &ui.state.settings.public_url, ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&format!("/ho-so/{id}")))
}
