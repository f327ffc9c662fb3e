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

pub async fn forward(state: Data<MockState>, body: Json<ForwardIn>) -> HttpResponse {
    let body = body.into_inner();
    let fail = |e: String| HttpResponse::InternalServerError().json(json!({"error": e}));
    let mut documents = Vec::new();
    for f in &body.files {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&f.content) else {
            return HttpResponse::BadRequest().body("file content must be base64");
        };
        let Ok(id) = crate::random::token() else { return fail("randomness".into()) };
        let saved = state
            .db
            .execute_raw(stmt(
                "INSERT INTO forwarded_file VALUES (?, ?, ?)",
                vec![id.clone().into(), f.name.clone().into(), bytes.into()],
            ))
            .await;
        if let Err(e) = saved {
            return fail(e.to_string());
        }
        documents.push(json!({"MaThanhPhanHoSo": f.slot, "TenTepDinhKem": f.name,
                              "DuongDanTaiTepTin": format!("{}/tep/{id}", state.issuer)}));
    }
    for (slot, name, url) in &body.urls {
        documents.push(json!({"MaThanhPhanHoSo": slot, "TenTepDinhKem": name, "DuongDanTaiTepTin": url}));
    }
    let national_id = match body.national_id {
        Some(id) => id,
        None => match crate::random::token() {
            Ok(t) => format!("QG{}", &t[..16]),
            Err(e) => return fail(e.to_string()),
        },
    };
    let code = match body.code {
        Some(c) => c,
        None => match next_code(&state).await {
            Ok(c) => c,
            Err(e) => return fail(e.to_string()),
        },
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
    let sent = state.http.post(&to).basic_auth(id, Some(secret)).json(&dossier).send().await;
    match sent {
        Ok(res) => {
            let status = res.status().as_u16();
            let answer: Value = res.json().await.unwrap_or(Value::Null);
            HttpResponse::Ok()
                .json(json!({"status": status, "answer": answer, "national_id": national_id, "code": code}))
        }
        Err(e) => fail(format!("the ministry did not answer: {e}")),
    }
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
