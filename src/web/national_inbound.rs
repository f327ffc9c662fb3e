//! `POST /api/v1/national/dossiers`: a dossier filed on the national portal,
//! forwarded to the ministry. The national portal authenticates with HTTP
//! Basic, the client id and secret an admin registered for it
//! (`national_sync::clients`); the dossier is taken by
//! `dossier::forwarded`, once per `MaHoSoQuocGia`.

use std::collections::BTreeMap;

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, http::header};
use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::dossier::applicant::Details;
use crate::dossier::forwarded::{self, Forwarded, ForwardedDocument, Taken};
use crate::error::{AppError, FieldError};
use crate::national_sync::clients;

#[derive(Deserialize)]
pub struct ForwardRequest {
    #[serde(rename = "MaHoSoQuocGia")]
    national_id: String,
    #[serde(rename = "MaHoSo")]
    code: String,
    #[serde(rename = "MaTTHC")]
    procedure: String,
    #[serde(rename = "ChuHoSo")]
    applicant: Applicant,
    #[serde(rename = "DuLieuBieuMau", default)]
    form: BTreeMap<String, Value>,
    #[serde(rename = "TaiLieuNop", default)]
    documents: Vec<Document>,
}

#[derive(Deserialize)]
struct Applicant {
    #[serde(rename = "HoVaTen")]
    name: String,
    #[serde(rename = "SoDinhDanh")]
    id_number: String,
    #[serde(rename = "DiaChi", default)]
    address: String,
    #[serde(rename = "SoDienThoai", default)]
    phone: String,
    #[serde(rename = "Email", default)]
    email: String,
}

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "MaThanhPhanHoSo")]
    slot: i32,
    #[serde(rename = "TenTepDinhKem")]
    name: String,
    #[serde(rename = "DuongDanTaiTepTin")]
    url: String,
}

/// Client id and secret of an HTTP Basic `Authorization` header.
fn basic(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn checked(body: ForwardRequest) -> Result<Forwarded, AppError> {
    let mut errors = Vec::new();
    let code_like = |s: &str| (1..=64).contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_graphic());
    for (field, value) in [("MaHoSoQuocGia", &body.national_id), ("MaHoSo", &body.code), ("MaTTHC", &body.procedure)] {
        if !code_like(value) {
            errors.push(FieldError::new(field, "required"));
        }
    }
    let a = body.applicant;
    if a.name.trim().chars().count() < 2 {
        errors.push(FieldError::new("ChuHoSo.HoVaTen", "required"));
    }
    if a.id_number.is_empty() || !a.id_number.chars().all(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new("ChuHoSo.SoDinhDanh", "citizen_id"));
    }
    if !a.email.is_empty() && a.email.parse::<lettre::Address>().is_err() {
        errors.push(FieldError::new("ChuHoSo.Email", "email"));
    }
    let mut form = BTreeMap::new();
    for (k, v) in body.form {
        match v {
            Value::String(s) => form.insert(k, s),
            Value::Number(n) => form.insert(k, n.to_string()),
            Value::Bool(b) => form.insert(k, b.to_string()),
            _ => {
                errors.push(FieldError::new(format!("DuLieuBieuMau.{k}"), "invalid"));
                None
            }
        };
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Forwarded {
        national_id: body.national_id,
        code: body.code,
        procedure: body.procedure,
        applicant: Details {
            name: a.name.trim().to_owned(),
            id_number: a.id_number,
            address: a.address.trim().to_owned(),
            phone: a.phone.trim().to_owned(),
            email: a.email.trim().to_lowercase(),
        },
        form,
        documents: body
            .documents
            .into_iter()
            .map(|d| ForwardedDocument { slot: d.slot, name: d.name, url: d.url })
            .collect(),
    })
}

pub async fn receive(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<ForwardRequest>,
) -> Result<HttpResponse, AppError> {
    let allowed = match basic(&req) {
        Some((id, secret)) => clients::authenticate(&state.db, &id, &secret).await?,
        None => false,
    };
    if !allowed {
        return Err(AppError::Unauthorized);
    }
    let forwarded = checked(body.into_inner())?;
    let (status, d) = match forwarded::take(&state.core, forwarded, state.clock.now()).await? {
        Taken::Created(d) => (actix_web::http::StatusCode::CREATED, d),
        Taken::Again(d) => (actix_web::http::StatusCode::OK, d),
    };
    Ok(HttpResponse::build(status).json(json!({"id": d.public_id, "code": d.code, "status": d.status.as_str()})))
}
