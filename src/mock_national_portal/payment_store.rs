//! The gateway stub's records in the mock's SQLite file: transactions by
//! reference, API request ids (a repeated one is refused), and the fault
//! switch tests flip.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult, Statement, Value};

pub const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS vnp_txn (txn_ref TEXT PRIMARY KEY, amount INTEGER NOT NULL, order_info TEXT NOT NULL, \
     return_url TEXT NOT NULL, create_date TEXT NOT NULL, status TEXT NOT NULL, response_code TEXT NOT NULL DEFAULT '', \
     transaction_no TEXT NOT NULL DEFAULT '', bank_code TEXT NOT NULL DEFAULT '', pay_date TEXT NOT NULL DEFAULT '', \
     refunded INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS vnp_request (request_id TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS vnp_fault (id INTEGER PRIMARY KEY CHECK (id = 1), ipn TEXT NOT NULL, delay_secs INTEGER NOT NULL)",
];

fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Txn {
    pub txn_ref: String,
    /// VND × 100, as the protocol carries it.
    pub amount: i64,
    pub order_info: String,
    pub return_url: String,
    pub create_date: String,
    /// `pending`, `paid`, `failed`, `cancelled`.
    pub status: String,
    pub response_code: String,
    pub transaction_no: String,
    pub bank_code: String,
    pub pay_date: String,
    pub refunded: i64,
}

/// Records a new transaction; false when the reference is taken by one no longer pending.
pub async fn open(db: &DatabaseConnection, t: &Txn) -> Result<bool, sea_orm::DbErr> {
    if let Some(old) = find(db, &t.txn_ref).await? {
        return Ok(old.status == "pending" && old.amount == t.amount);
    }
    db.execute_raw(stmt(
        "INSERT INTO vnp_txn (txn_ref, amount, order_info, return_url, create_date, status) VALUES (?, ?, ?, ?, ?, 'pending')",
        vec![
            t.txn_ref.clone().into(),
            t.amount.into(),
            t.order_info.clone().into(),
            t.return_url.clone().into(),
            t.create_date.clone().into(),
        ],
    ))
    .await?;
    Ok(true)
}

pub async fn find(db: &DatabaseConnection, txn_ref: &str) -> Result<Option<Txn>, sea_orm::DbErr> {
    Txn::find_by_statement(stmt("SELECT * FROM vnp_txn WHERE txn_ref = ?", vec![txn_ref.into()])).one(db).await
}

/// Finishes a pending transaction; false when it was finished already.
pub async fn finish(db: &DatabaseConnection, t: &Txn) -> Result<bool, sea_orm::DbErr> {
    let done = db
        .execute_raw(stmt(
            "UPDATE vnp_txn SET status = ?, response_code = ?, transaction_no = ?, bank_code = ?, pay_date = ? \
             WHERE txn_ref = ? AND status = 'pending'",
            vec![
                t.status.clone().into(),
                t.response_code.clone().into(),
                t.transaction_no.clone().into(),
                t.bank_code.clone().into(),
                t.pay_date.clone().into(),
                t.txn_ref.clone().into(),
            ],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn refund(db: &DatabaseConnection, txn_ref: &str, amount: i64) -> Result<bool, sea_orm::DbErr> {
    let done = db
        .execute_raw(stmt(
            "UPDATE vnp_txn SET refunded = refunded + ? WHERE txn_ref = ? AND status = 'paid' AND refunded = 0",
            vec![amount.into(), txn_ref.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a request id; false when it was seen before.
pub async fn take_request(db: &DatabaseConnection, id: &str) -> Result<bool, sea_orm::DbErr> {
    let done = db
        .execute_raw(stmt("INSERT INTO vnp_request (request_id) VALUES (?) ON CONFLICT DO NOTHING", vec![id.into()]))
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Fault {
    pub ipn: String,
    pub delay_secs: i64,
}

pub async fn fault(db: &DatabaseConnection) -> Result<Fault, sea_orm::DbErr> {
    Ok(Fault::find_by_statement(stmt("SELECT ipn, delay_secs FROM vnp_fault WHERE id = 1", vec![]))
        .one(db)
        .await?
        .unwrap_or(Fault { ipn: "normal".into(), delay_secs: 0 }))
}

pub async fn set_fault(db: &DatabaseConnection, ipn: &str, delay_secs: i64) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO vnp_fault (id, ipn, delay_secs) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET ipn = excluded.ipn, delay_secs = excluded.delay_secs",
        vec![ipn.into(), delay_secs.into()],
    ))
    .await?;
    Ok(())
}
