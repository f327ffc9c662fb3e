//! The mock's own state in its own SQLite file: pending authorization
//! requests, codes (single use, short-lived) and access tokens.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult, Statement, Value};

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS auth_request (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, \
     state TEXT NOT NULL, nonce TEXT NOT NULL, code_challenge TEXT NOT NULL, acr TEXT NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS auth_code (code TEXT PRIMARY KEY, request_id TEXT NOT NULL, claims TEXT NOT NULL, \
     created_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS access_token (token TEXT PRIMARY KEY, code TEXT NOT NULL, claims TEXT NOT NULL, expires_at INTEGER NOT NULL)",
];

pub async fn init(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    for sql in
        SCHEMA.iter().chain(super::payment_store::SCHEMA).chain(super::sync_store::SCHEMA).chain(super::forward::SCHEMA)
    {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct AuthRequest {
    pub id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub nonce: String,
    pub code_challenge: String,
    pub acr: String,
    pub created_at: i64,
}

pub async fn save_request(db: &DatabaseConnection, r: &AuthRequest) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO auth_request VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            r.id.clone().into(),
            r.client_id.clone().into(),
            r.redirect_uri.clone().into(),
            r.state.clone().into(),
            r.nonce.clone().into(),
            r.code_challenge.clone().into(),
            r.acr.clone().into(),
            r.created_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

pub async fn request(db: &DatabaseConnection, id: &str) -> Result<Option<AuthRequest>, sea_orm::DbErr> {
    AuthRequest::find_by_statement(stmt("SELECT * FROM auth_request WHERE id = ?", vec![id.into()])).one(db).await
}

pub async fn save_code(
    db: &DatabaseConnection,
    code: &str,
    request_id: &str,
    claims: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO auth_code (code, request_id, claims, created_at) VALUES (?, ?, ?, ?)",
        vec![code.into(), request_id.into(), claims.into(), now.timestamp().into()],
    ))
    .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
pub struct IssuedCode {
    pub request_id: String,
    pub claims: String,
    pub created_at: i64,
}

/// Takes the code for good: true only for the one caller that marked it used.
/// A code presented twice also revokes the tokens the first use obtained
/// (RFC 6749 §4.1.2).
pub async fn redeem_code(db: &DatabaseConnection, code: &str) -> Result<Option<IssuedCode>, sea_orm::DbErr> {
    let taken =
        db.execute_raw(stmt("UPDATE auth_code SET used = 1 WHERE code = ? AND used = 0", vec![code.into()])).await?;
    if taken.rows_affected() == 0 {
        db.execute_raw(stmt("DELETE FROM access_token WHERE code = ?", vec![code.into()])).await?;
        return Ok(None);
    }
    IssuedCode::find_by_statement(stmt(
        "SELECT request_id, claims, created_at FROM auth_code WHERE code = ?",
        vec![code.into()],
    ))
    .one(db)
    .await
}

pub async fn save_token(
    db: &DatabaseConnection,
    token: &str,
    code: &str,
    claims: &str,
    expires_at: i64,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO access_token VALUES (?, ?, ?, ?)",
        vec![token.into(), code.into(), claims.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct TokenRow {
    claims: String,
}

pub async fn token_claims(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, sea_orm::DbErr> {
    let row = TokenRow::find_by_statement(stmt(
        "SELECT claims FROM access_token WHERE token = ? AND expires_at > ?",
        vec![token.into(), now.timestamp().into()],
    ))
    .one(db)
    .await?;
    Ok(row.map(|r| r.claims))
}
