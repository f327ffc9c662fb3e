//! Forwarding a dossier filed on the national portal to the ministry: the
//! mock keeps the files it was given and serves them at `/tep/{id}`, then
//! posts the dossier — applicant, procedure, form data, documents by URL —
//! to the ministry's inbound API with HTTP Basic credentials, and answers
//! with what the ministry said. `POST /_test/forward` (JSON) drives it.

use actix_web::HttpResponse;
use actix_web::web::{Data, Json, Path};
use base64::Engine;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde::Deserialize;
use serde_json::{Value, json};

use super::server::MockState;

pub const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS forwarded_file (id TEXT PRIMARY KEY, name TEXT NOT NULL, content BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS forwarded_sequence (day TEXT PRIMARY KEY, last INTEGER NOT NULL)",
];

#[derive(Deserialize)]
pub struct FileIn {
    slot: i32,
    name: String,
    /// The file's bytes, base64.
    content: String,
}

#[derive(Deserialize)]
pub struct Credentials {
    id: String,
    secret: String,
}

#[derive(Deserialize)]
pub struct ForwardIn {
    procedure: String,
    applicant: Value,
    #[serde(default)]
    form: Value,
    #[serde(default)]
    files: Vec<FileIn>,
    /// The national dossier id; a new one when absent (send the same to forward it again).
    national_id: Option<String>,
    code: Option<String>,
    /// Where and as whom to forward; the mock's settings when absent.
    to: Option<String>,
    credentials: Option<Credentials>,
    /// Documents given by these URLs instead of files the mock keeps.
    #[serde(default)]
    urls: Vec<(i32, String, String)>,
}

fn stmt(sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

#[derive(FromQueryResult)]
struct Last {
    last: i64,
}

/// The national portal's code for a new dossier: `DVCQG-yyMMdd-NNNNNN`.
async fn next_code(state: &MockState) -> Result<String, sea_orm::DbErr> {
    let day = Utc::now().format("%y%m%d").to_string();
    state
        .db
        .execute_raw(stmt(
            "INSERT INTO forwarded_sequence VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = last + 1",
            vec![day.clone().into()],
        ))
        .await?;
    let last =
        Last::find_by_statement(stmt("SELECT last FROM forwarded_sequence WHERE day = ?", vec![day.clone().into()]))
            .one(&state.db)
            .await?
            .map_or(1, |l| l.last);
    Ok(format!("DVCQG-{day}-{last:06}"))
}

/// Keeps the files, posts the dossier to the ministry: its status, answer, national id and code.
async fn send(state: &MockState, body: ForwardIn) -> Result<Value, String> {
    let mut documents = Vec::new();
    for f in &body.files {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&f.content)
            .map_err(|_| "file content must be base64".to_owned())?;
        let id = crate::random::token().map_err(|e| e.to_string())?;
        state
            .db
            .execute_raw(stmt(
                "INSERT INTO forwarded_file VALUES (?, ?, ?)",
                vec![id.clone().into(), f.name.clone().into(), bytes.into()],
            ))
            .await
            .map_err(|e| e.to_string())?;
        documents.push(json!({"MaThanhPhanHoSo": f.slot, "TenTepDinhKem": f.name,
                              "DuongDanTaiTepTin": format!("{}/tep/{id}", state.issuer)}));
    }
    for (slot, name, url) in &body.urls {
        documents.push(json!({"MaThanhPhanHoSo": slot, "TenTepDinhKem": name, "DuongDanTaiTepTin": url}));
    }
    let national_id = match body.national_id {
        Some(id) => id,
        None => format!("QG{}", &crate::random::token().map_err(|e| e.to_string())?[..16]),
    };
    let code = match body.code {
        Some(c) => c,
        None => next_code(state).await.map_err(|e| e.to_string())?,
    };
    let dossier = json!({
        "MaHoSoQuocGia": national_id, "MaHoSo": code, "MaTTHC": body.procedure,
        "ChuHoSo": body.applicant, "DuLieuBieuMau": body.form, "TaiLieuNop": documents,
    });
    let to = body.to.unwrap_or_else(|| state.forward_url.clone());
    let (id, secret) = match body.credentials {
        Some(c) => (c.id, c.secret),
        None => (state.forward_client_id.clone(), state.forward_client_secret.clone()),
    };
    let res = state
        .http
        .post(&to)
        .basic_auth(id, Some(secret))
        .json(&dossier)
        .send()
        .await
        .map_err(|e| format!("the ministry did not answer: {e}"))?;
    let status = res.status().as_u16();
    let answer: Value = res.json().await.unwrap_or(Value::Null);
    Ok(json!({"status": status, "answer": answer, "national_id": national_id, "code": code}))
}

/// POST /_test/forward.
pub async fn forward(state: Data<MockState>, body: Json<ForwardIn>) -> HttpResponse {
    match send(&state, body.into_inner()).await {
        Ok(result) => HttpResponse::Ok().json(result),
        Err(e) => HttpResponse::InternalServerError().json(json!({"error": e})),
    }
}

const DEMO_FORM: &str = r#"{"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "001190012399", "ngay_sinh": "02/02/1990", "dia_chi": "Số 5 Hàng Gai, Hà Nội", "dien_thoai": "0912000999"}"#;

/// GET /chuyen-ho-so: a dossier filed on the national portal, to forward (the demo's way in).
pub async fn form_page(state: Data<MockState>) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("form", DEMO_FORM);
    super::sso::page(&state, actix_web::http::StatusCode::OK, "mock/forward.html", &ctx)
}

/// POST /chuyen-ho-so (multipart): forwards what the form holds and shows the ministry's answer.
pub async fn form_submit(state: Data<MockState>, mut payload: actix_multipart::Multipart) -> HttpResponse {
    use futures_util::StreamExt;
    let mut fields = std::collections::HashMap::new();
    let mut files = Vec::new();
    while let Some(Ok(mut field)) = payload.next().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > 20 * 1024 * 1024 {
                return HttpResponse::PayloadTooLarge().finish();
            }
        }
        match (name.strip_prefix("slot."), file_name) {
            (Some(slot), Some(file_name)) if !bytes.is_empty() => files.push(FileIn {
                slot: slot.parse().unwrap_or(0),
                name: file_name,
                content: base64::engine::general_purpose::STANDARD.encode(&bytes),
            }),
            (None, None) => {
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
            _ => {}
        }
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let form: Value = serde_json::from_str(&get("form")).unwrap_or(Value::Null);
    let body = ForwardIn {
        procedure: get("procedure"),
        applicant: json!({"HoVaTen": get("name"), "SoDinhDanh": get("id_number"), "DiaChi": get("address"),
                          "SoDienThoai": get("phone"), "Email": get("email")}),
        form,
        files,
        national_id: None,
        code: None,
        to: None,
        credentials: None,
        urls: Vec::new(),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("form", &get("form"));
    match send(&state, body).await {
        Ok(result) => ctx.insert("result", &result),
        Err(e) => ctx.insert("error", &e),
    }
    super::sso::page(&state, actix_web::http::StatusCode::OK, "mock/forward.html", &ctx)
}

#[derive(FromQueryResult)]
struct File {
    name: String,
    content: Vec<u8>,
}

/// GET /tep/{id}: a file of a forwarded dossier, for the ministry to fetch.
pub async fn file(state: Data<MockState>, id: Path<String>) -> HttpResponse {
    let found = File::find_by_statement(stmt(
        "SELECT name, content FROM forwarded_file WHERE id = ?",
        vec![id.as_str().into()],
    ))
    .one(&state.db)
    .await;
    match found {
        Ok(Some(f)) => HttpResponse::Ok()
            .content_type("application/octet-stream")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{}\"", f.name.replace('"', ""))))
            .body(f.content),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}
