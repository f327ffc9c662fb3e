//! What the mock national portal holds of the dossiers a ministry synced:
//! each dossier's latest `DongBoHoSoMC` record, every record it accepted in
//! order of arrival, the sync clients' tokens, and the national procedure
//! records it publishes (`LayDanhSachTTHC`, `LayThuTuc`).

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

pub const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS sync_token (token TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS synced_dossier (code TEXT PRIMARY KEY, procedure_code TEXT NOT NULL, \
     status INTEGER NOT NULL, applicant TEXT NOT NULL, received_date TEXT NOT NULL, seq INTEGER NOT NULL, \
     record TEXT NOT NULL, first_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS synced_dossier_received ON synced_dossier (received_date)",
    "CREATE TABLE IF NOT EXISTS synced_event (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, \
     service TEXT NOT NULL, seq INTEGER NOT NULL, status INTEGER, record TEXT NOT NULL, received_at INTEGER NOT NULL, \
     repeats INTEGER NOT NULL DEFAULT 0, UNIQUE (code, service, seq))",
    "CREATE TABLE IF NOT EXISTS national_procedure (code TEXT PRIMARY KEY, name TEXT NOT NULL, record TEXT NOT NULL, \
     updated_at TEXT NOT NULL)",
];

fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

pub async fn save_token(
    db: &impl ConnectionTrait,
    token: &str,
    client_id: &str,
    expires_at: i64,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO sync_token VALUES (?, ?, ?)",
        vec![token.into(), client_id.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

pub async fn token_valid(db: &impl ConnectionTrait, token: &str, now: i64) -> Result<bool, sea_orm::DbErr> {
    let row = Count::find_by_statement(stmt(
        "SELECT COUNT(*) AS n FROM sync_token WHERE token = ? AND expires_at > ?",
        vec![token.into(), now.into()],
    ))
    .one(db)
    .await?;
    Ok(row.is_some_and(|r| r.n > 0))
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Held {
    pub code: String,
    pub procedure_code: String,
    pub status: i64,
    pub applicant: String,
    pub received_date: String,
    pub seq: i64,
    pub record: String,
    pub first_at: i64,
    pub updated_at: i64,
}

pub async fn dossier(db: &impl ConnectionTrait, code: &str) -> Result<Option<Held>, sea_orm::DbErr> {
    Held::find_by_statement(stmt("SELECT * FROM synced_dossier WHERE code = ?", vec![code.into()])).one(db).await
}

/// Creates or replaces the dossier's latest record.
pub async fn put_dossier(db: &impl ConnectionTrait, h: &Held) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO synced_dossier VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET \
         procedure_code = excluded.procedure_code, status = excluded.status, applicant = excluded.applicant, \
         received_date = excluded.received_date, seq = excluded.seq, record = excluded.record, updated_at = excluded.updated_at",
        vec![
            h.code.clone().into(),
            h.procedure_code.clone().into(),
            h.status.into(),
            h.applicant.clone().into(),
            h.received_date.clone().into(),
            h.seq.into(),
            h.record.clone().into(),
            h.first_at.into(),
            h.updated_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromQueryResult, serde::Serialize)]
pub struct Arrival {
    pub id: i64,
    pub code: String,
    pub service: String,
    pub seq: i64,
    pub status: Option<i64>,
    pub record: String,
    pub received_at: i64,
    /// How many times the same record came again after it was taken.
    pub repeats: i64,
}

pub async fn add_arrival(
    db: &impl ConnectionTrait,
    code: &str,
    service: &str,
    seq: i64,
    status: Option<i64>,
    record: &str,
    now: i64,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO synced_event (code, service, seq, status, record, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        vec![code.into(), service.into(), seq.into(), status.into(), record.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Counts a record that came again (answered as already received).
pub async fn count_repeat(
    db: &impl ConnectionTrait,
    code: &str,
    service: &str,
    seq: i64,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "UPDATE synced_event SET repeats = repeats + 1 WHERE code = ? AND service = ? AND seq = ?",
        vec![code.into(), service.into(), seq.into()],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Seq {
    seq: Option<i64>,
}

/// Whether `service` already brought record `seq` of the dossier, and the highest it brought.
pub async fn arrival_seqs(
    db: &impl ConnectionTrait,
    code: &str,
    service: &str,
    seq: i64,
) -> Result<(bool, Option<i64>), sea_orm::DbErr> {
    let same = Count::find_by_statement(stmt(
        "SELECT COUNT(*) AS n FROM synced_event WHERE code = ? AND service = ? AND seq = ?",
        vec![code.into(), service.into(), seq.into()],
    ))
    .one(db)
    .await?
    .is_some_and(|c| c.n > 0);
    let highest = Seq::find_by_statement(stmt(
        "SELECT MAX(seq) AS seq FROM synced_event WHERE code = ? AND service = ?",
        vec![code.into(), service.into()],
    ))
    .one(db)
    .await?
    .and_then(|s| s.seq);
    Ok((same, highest))
}

/// Everything the dossier brought, in order of arrival.
pub async fn history(db: &impl ConnectionTrait, code: &str) -> Result<Vec<Arrival>, sea_orm::DbErr> {
    Arrival::find_by_statement(stmt("SELECT * FROM synced_event WHERE code = ? ORDER BY id", vec![code.into()]))
        .all(db)
        .await
}

/// Dossiers received (`NgayTiepNhan`) from `from` to `to` inclusive, both `yyyyMMddHHmmss`.
pub async fn received_between(db: &impl ConnectionTrait, from: &str, to: &str) -> Result<Vec<Held>, sea_orm::DbErr> {
    Held::find_by_statement(stmt(
        "SELECT * FROM synced_dossier WHERE received_date <> '' AND received_date >= ? AND received_date <= ? ORDER BY code",
        vec![from.into(), to.into()],
    ))
    .all(db)
    .await
}

/// The most recently changed dossiers, for the mock's pages.
pub async fn latest(db: &impl ConnectionTrait, limit: i64, offset: i64) -> Result<(Vec<Held>, i64), sea_orm::DbErr> {
    let rows = Held::find_by_statement(stmt(
        "SELECT * FROM synced_dossier ORDER BY updated_at DESC, code LIMIT ? OFFSET ?",
        vec![limit.into(), offset.into()],
    ))
    .all(db)
    .await?;
    let total = Count::find_by_statement(stmt("SELECT COUNT(*) AS n FROM synced_dossier", vec![]))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    Ok((rows, total))
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub record: String,
    pub updated_at: String,
}

pub async fn put_procedure(db: &impl ConnectionTrait, p: &Procedure) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO national_procedure VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET \
         name = excluded.name, record = excluded.record, updated_at = excluded.updated_at",
        vec![p.code.clone().into(), p.name.clone().into(), p.record.clone().into(), p.updated_at.clone().into()],
    ))
    .await?;
    Ok(())
}

pub async fn procedure(db: &impl ConnectionTrait, code: &str) -> Result<Option<Procedure>, sea_orm::DbErr> {
    Procedure::find_by_statement(stmt("SELECT * FROM national_procedure WHERE code = ?", vec![code.into()]))
        .one(db)
        .await
}

pub async fn procedures(db: &impl ConnectionTrait) -> Result<Vec<Procedure>, sea_orm::DbErr> {
    Procedure::find_by_statement(stmt("SELECT * FROM national_procedure ORDER BY code", vec![])).all(db).await
}

pub async fn procedure_count(db: &impl ConnectionTrait) -> Result<i64, sea_orm::DbErr> {
    Ok(Count::find_by_statement(stmt("SELECT COUNT(*) AS n FROM national_procedure", vec![]))
        .one(db)
        .await?
        .map_or(0, |c| c.n))
}

/// Every dossier held (the index reads their latest records).
pub async fn all_dossiers(db: &impl ConnectionTrait) -> Result<Vec<Held>, sea_orm::DbErr> {
    Held::find_by_statement(stmt("SELECT * FROM synced_dossier ORDER BY code", Vec::new())).all(db).await
}

/// The latest record taken of `service` for each dossier.
pub async fn latest_of_service(db: &impl ConnectionTrait, service: &str) -> Result<Vec<Arrival>, sea_orm::DbErr> {
    Arrival::find_by_statement(stmt(
        "SELECT e.* FROM synced_event e WHERE e.service = ? AND e.seq = \
         (SELECT MAX(f.seq) FROM synced_event f WHERE f.code = e.code AND f.service = e.service)",
        vec![service.into()],
    ))
    .all(db)
    .await
}
