//! Dossiers over the JSON API, for integrators: submit in one request
//! (JSON naming files already uploaded, or multipart with the files),
//! honouring `Idempotency-Key`; list and read one's dossiers; and the
//! public status lookup by code.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::web::{self, Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use entity::dossier;
use futures_util::StreamExt;
use sea_orm::EntityTrait;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::access::Viewer;
use super::dossier_edit::{self, Edits};
use super::multipart_form::{self, MultipartForm};
use super::render::client_ip;
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::accounts;
use crate::dossier::applicant::Details;
use crate::dossier::documents;
use crate::dossier::draft::{self, NewDossier};
use crate::dossier::form_data::flatten;
use crate::dossier::{Channel, DossierCode, access, leftovers, lookup, submit, view};
use crate::error::{AppError, FieldError};
use crate::ratelimit::{self, Limit};

/// Status lookups per client address and minute.
const LOOKUP_LIMIT: Limit = Limit { max: 30, window_secs: 60 };
const KEY_HEADER: &str = "idempotency-key";
const JSON_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSubmission {
    procedure: String,
    #[serde(default)]
    form: Value,
    #[serde(default)]
    documents: Vec<JsonDocument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    /// The procedure's document position; none for an extra.
    slot: Option<i32>,
    /// An upload of the caller's document store.
    upload: String,
}

fn describe(d: &dossier::Model) -> Value {
    json!({
        "id": d.public_id,
        "code": d.code,
        "status": d.status,
        "national_status": d.status.national_code(),
        "channel": d.channel,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "links": { "self": format!("/api/v1/dossiers/{}", d.public_id), "page": format!("/ho-so/{}", d.public_id) },
    })
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(KEY_HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    let ok = !key.is_empty() && key.len() <= 100 && key.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(Some(format!("api:{key}")))
    } else {
        Err(AppError::Validation(vec![FieldError::new("Idempotency-Key", "idempotency_key")]))
    }
}

/// Reads either body shape into the procedure code and the edits.
async fn read_submission(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
) -> Result<(String, Edits), AppError> {
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::new(req.headers(), payload);
        let limits = dossier_edit::request_limits(state);
        let mut form: MultipartForm =
            multipart_form::read(multipart, &state.settings.data_dir.join("tmp"), &limits).await?;
        let procedure = form.get("procedure").to_owned();
        let data: Value = match form.get("form") {
            "" => Value::Object(Default::default()),
            text => serde_json::from_str(text)
                .map_err(|_| AppError::Validation(vec![FieldError::new("form", "json_object")]))?,
        };
        form.fields.retain(|(k, _)| k.starts_with("reuse.") || k == "remove");
        form.fields.extend(flatten(&data));
        return Ok((procedure, dossier_edit::edits_of(form)?));
    }
    let mut payload = payload;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("body interrupted: {e}")))?;
        if body.len() + chunk.len() > JSON_BODY_LIMIT {
            return Err(AppError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let parsed: JsonSubmission = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("the body is not a dossier submission: {e}")))?;
    if !parsed.form.is_object() && !parsed.form.is_null() {
        return Err(AppError::Validation(vec![FieldError::new("form", "json_object")]));
    }
    let edits = Edits {
        fields: flatten(&parsed.form),
        files: Vec::new(),
        reuse: parsed.documents.into_iter().map(|d| (d.slot, d.upload)).collect(),
        remove: Vec::new(),
    };
    Ok((parsed.procedure, edits))
}

/// What a retried request must repeat exactly to count as the same.
fn fingerprint(procedure: &str, edits: &Edits) -> String {
    let mut hasher = Sha256::new();
    hasher.update(procedure.as_bytes());
    hasher.update(serde_json::to_vec(&edits.fields).unwrap_or_default());
    for (slot, id) in &edits.reuse {
        hasher.update(format!("|r{slot:?}:{id}").as_bytes());
    }
    for (slot, file) in &edits.files {
        hasher.update(format!("|f{slot:?}:{}", file.received.sha256).as_bytes());
    }
    crate::digest::hex(&hasher.finalize())
}

pub async fn create(
    req: HttpRequest,
    viewer: Viewer,
    state: Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let who = viewer.principal()?.clone();
    let key = idempotency_key(&req)?;
    let (code, edits) = read_submission(&req, payload, &state).await?;
    let hash = fingerprint(&code, &edits);
    let (catalogue, p) = state.procedures.public_at(&state.db, &code).await?;
    if !p.accepts_online_submission {
        return Err(AppError::Conflict("the procedure takes no dossiers now".into()));
    }
    let account = accounts::find(&state.db, who.id).await?;
    let now = state.clock.now();
    let new = NewDossier {
        procedure: &p,
        created_by: who.id,
        applicant_id: Some(who.id),
        applicant: Details::of_account(&account),
        channel: Channel::Online,
        code: None,
        form: edits.fields.clone(),
        idempotency_key: key,
        request_hash: Some(hash.clone()),
    };
    let (d, created) = draft::start(&state.db, new, now).await?;
    if !created {
        if d.request_hash.as_deref() != Some(hash.as_str()) {
            return Err(AppError::Conflict("the Idempotency-Key was used for a different request".into()));
        }
        if d.status != crate::dossier::DossierStatus::Draft {
            return Ok(HttpResponse::Ok().insert_header(("Idempotent-Replayed", "true")).json(describe(&d)));
        }
        if now - d.created_at < leftovers::ABANDONED_AFTER {
            // The first request with this key is still at work: the client retries later.
            return Err(AppError::Conflict("a request with this Idempotency-Key is in progress".into()));
        }
        // The first request died half-way (its draft was never submitted): start again.
        dossier::Entity::delete_by_id(d.id).exec(&state.db).await?;
        return Err(AppError::Conflict("a request with this Idempotency-Key was interrupted; send it again".into()));
    }
    let actor = Actor { id: Some(who.id), label: who.label(), ip: client_ip(&req), role: None };
    let slots = documents::slots(&p);
    let outcome = match dossier_edit::apply_documents(&state, &d, &slots, &edits, who.id, 0, now).await {
        Ok(new_files) => {
            let read = submit::AlreadyRead { catalogue: Some(catalogue), vneid_verified: Some(account.vneid_verified) };
            submit::submit(&state.core, d.id, &actor, read, now).await.map_err(|e| (e, new_files))
        }
        Err(e) => Err((e, Vec::new())),
    };
    match outcome {
        Ok(done) => {
            let status = if done.newly { StatusCode::CREATED } else { StatusCode::OK };
            Ok(HttpResponse::build(status).json(describe(&done.dossier)))
        }
        Err((e, new_files)) => {
            // A refused submission leaves nothing: no draft, no files of its own.
            dossier::Entity::delete_by_id(d.id).exec(&state.db).await?;
            Err(dossier_edit::discard_after(&state, new_files, e).await)
        }
    }
}

pub async fn list(viewer: Viewer, state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let who = viewer.principal()?.id;
    let rows = access::mine(&state.db, who).await?;
    let items = view::summaries(&state.db, &rows).await?;
    Ok(HttpResponse::Ok().json(json!({ "total": items.len(), "items": items })))
}

pub async fn show(viewer: Viewer, state: Data<AppState>, id: Path<String>) -> Result<HttpResponse, AppError> {
    let d = access::load(&state.db, viewer.principal()?, &id).await?;
    Ok(HttpResponse::Ok().json(view::load(&state.db, &d).await?.for_applicant()))
}

/// The public status of a dossier: no personal data, rate-limited per address.
pub async fn status(req: HttpRequest, state: Data<AppState>, code: Path<String>) -> Result<HttpResponse, AppError> {
    if !ratelimit::allow(&state.db, &format!("lookup:{}", client_ip(&req)), LOOKUP_LIMIT, state.clock.now()).await? {
        return Err(AppError::TooManyRequests);
    }
    let code =
        DossierCode::parse(&code).ok_or_else(|| AppError::Validation(vec![FieldError::new("code", "dossier_code")]))?;
    Ok(HttpResponse::Ok().json(lookup::by_code(&state.db, &code).await?))
}

/// The lookup page: a form, and the status when a code is given.
pub async fn lookup_page(ui: super::render::Ui, query: web::Query<LookupQuery>) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.context();
    let typed = query.code.as_deref().unwrap_or_default().trim().to_owned();
    ctx.insert("code", &typed);
    if typed.is_empty() {
        return ui.render("public/lookup.html", &ctx);
    }
    if !ratelimit::allow(&ui.state.db, &format!("lookup:{}", ui.ip()), LOOKUP_LIMIT, ui.now()).await? {
        return Err(AppError::TooManyRequests);
    }
    let found = match DossierCode::parse(&typed) {
        None => Err("field_error_dossier_code"),
        Some(code) => match lookup::by_code(&ui.state.db, &code).await {
            Ok(found) => Ok(found),
            Err(AppError::NotFound) => Err("lookup_not_found"),
            Err(e) => return Err(e),
        },
    };
    let status = match &found {
        Ok(found) => {
            ctx.insert("found", found);
            StatusCode::OK
        }
        Err(message) => {
            ctx.insert("problem", message);
            StatusCode::NOT_FOUND
        }
    };
    ui.render_status(status, "public/lookup.html", &ctx)
}

#[derive(Deserialize)]
pub struct LookupQuery {
    code: Option<String>,
}
