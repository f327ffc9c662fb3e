//! The counts behind the index, in SQL over the dossiers of an agency's
//! subtree received in a period (`NgayTiepNhan`, REGULATIONS §5.2). What
//! each count reads, by the national rules:
//! - synced (1.4): a national sync record of the dossier was delivered;
//! - on time (2.1): ended (`NgayKetThucXuLy`) by the appointment, or still
//!   open and not yet due at the period's end (or now); the appointment is
//!   the one before an apology moved it, since an apology does not make a
//!   late dossier on time; supplement time is already out of it (the date
//!   moves on by the pause); more than one supplement request is late;
//! - online (3.3): filed online, here or on the national portal, and synced;
//! - paid online (3.6): of the dossiers of procedures with a fee due, those
//!   with a payment settled through the gateway;
//! - electronic result (4.1), digitised (4.2: documents and, once there is
//!   a result, an electronic one), reused (4.3: a document from the store);
//! - disliked (5.4): rated with some criterion "Không hài lòng";
//! - resolved (2.2): results ready in the period, with their days from
//!   reception to the result less the time waiting for supplements (the
//!   national rule subtracts supplement time only).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Statement, Value};

use super::index::Counts;
use super::period::Period;
use crate::error::AppError;

/// Agency `root` and every agency below it.
pub async fn subtree(db: &impl ConnectionTrait, root: i32) -> Result<Vec<i32>, AppError> {
    let all: Vec<(i32, Option<i32>)> =
        entity::agency::Entity::find().all(db).await?.into_iter().map(|a| (a.id, a.parent_id)).collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(all.iter().filter(|(_, p)| *p == Some(parent)).map(|(id, _)| *id));
        i += 1;
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

#[derive(Debug, FromQueryResult)]
struct Row {
    received: Option<i64>,
    synced: Option<i64>,
    on_time: Option<i64>,
    online_synced: Option<i64>,
    with_fee: Option<i64>,
    paid_online: Option<i64>,
    with_result: Option<i64>,
    e_result: Option<i64>,
    digitised: Option<i64>,
    reused: Option<i64>,
    disliked: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct Resolved {
    resolved: Option<i64>,
    days: Option<f64>,
}

#[derive(Debug, FromQueryResult)]
struct Services {
    services: Option<i64>,
    used: Option<i64>,
}

pub(super) fn placeholders(backend: DbBackend, n: usize) -> Vec<String> {
    // Numbered on both engines, so a value may appear anywhere in the text.
    (1..=n).map(|i| crate::db::placeholder(backend, i)).collect()
}

pub(super) fn ids(agencies: &[i32]) -> String {
    if agencies.is_empty() {
        return "NULL".into();
    }
    agencies.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// Days between two timestamp expressions, on either engine.
pub(super) fn days(backend: DbBackend, from: &str, to: &str) -> String {
    match backend {
        // date_part is double precision; EXTRACT is numeric, several times slower per row.
        DbBackend::Postgres => format!("(date_part('epoch', {to} - {from}) / 86400.0)"),
        _ => format!("(julianday({to}) - julianday({from}))"),
    }
}

pub(super) fn flag(condition: &str) -> String {
    format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
}

// What each dossier `d` reads of its facts (`dossier::facts` keeps them on its row).
/// A national sync record of dossier `d` was delivered.
pub(super) const SYNCED: &str = "d.synced_at IS NOT NULL";
/// A payment of the dossier was settled through the gateway.
pub(super) const PAID_ONLINE: &str = "d.paid_online = TRUE";
pub(super) const DOCUMENTS: &str = "d.documents > 0";
pub(super) const REUSED: &str = "d.reused_documents > 0";
pub(super) const DISLIKED: &str = "d.rating_dislike = TRUE";

/// The procedure whose id is the SQL `procedure_id` charges a fee the applicant pays
/// (the procedures with a fee are few: one lookup of them, not one per dossier).
pub(super) fn fee_of(procedure_id: &str) -> String {
    format!(
        "{procedure_id} IN (SELECT f.procedure_id FROM procedure_fee f \
         WHERE f.amount_vnd > 0 AND f.collected <> 'exempt')"
    )
}
pub(super) const HAS_RESULT: &str = "d.status IN ('result_ready', 'returned')";
/// The appointment before any apology moved it.
pub(super) const DUE: &str = "COALESCE(d.rescheduled_from, d.due_at)";

/// On time by QĐ 766 2.1, with `asof` the placeholder of the moment an open dossier is judged at.
pub(super) fn on_time(asof: &str) -> String {
    format!(
        "d.supplement_count <= 1 AND ((d.finished_at IS NOT NULL AND d.finished_at <= {DUE}) \
         OR (d.finished_at IS NULL AND {DUE} >= {asof}))"
    )
}

/// The days dossier `d` waited for supplements between reception and the end.
pub(super) const SUPPLEMENT_DAYS: &str = "(d.supplement_seconds / 86400.0)";

/// The counts of the dossiers of `agencies` over `period`, as of `now`.
pub async fn counts(
    db: &impl ConnectionTrait,
    agencies: &[i32],
    period: &Period,
    now: DateTime<Utc>,
) -> Result<Counts, AppError> {
    let backend = db.get_database_backend();
    let (start, end) = (period.start(), period.end());
    let asof = end.min(now);
    let p = placeholders(backend, 3);
    let (synced, fee, paid, result) = (SYNCED, fee_of("d.procedure_id"), PAID_ONLINE, HAS_RESULT);
    let on_time = on_time(&p[2]);
    let (documents, reused, disliked) = (DOCUMENTS, REUSED, DISLIKED);
    let sql = format!(
        "SELECT COUNT(*) AS received, {synced_n} AS synced, {on_time_n} AS on_time, {online} AS online_synced, \
         {fee_n} AS with_fee, {paid_n} AS paid_online, {result_n} AS with_result, {e_result} AS e_result, \
         {digitised} AS digitised, {reused_n} AS reused, {disliked_n} AS disliked \
         FROM dossier d WHERE d.agency_id IN ({agencies}) AND d.received_at >= {start} AND d.received_at < {end}",
        synced_n = flag(synced),
        on_time_n = flag(&on_time),
        online = flag(&format!("d.channel IN ('online', 'national') AND {synced}")),
        fee_n = flag(&fee),
        paid_n = flag(&format!("{fee} AND {paid}")),
        result_n = flag(result),
        e_result = flag(&format!("{result} AND d.result_upload_id IS NOT NULL")),
        digitised = flag(&format!("{documents} AND (NOT ({result}) OR d.result_upload_id IS NOT NULL)")),
        reused_n = flag(reused),
        disliked_n = flag(disliked),
        agencies = ids(agencies),
        start = p[0],
        end = p[1],
    );
    let values: Vec<Value> = vec![start.into(), end.into(), asof.into()];
    let row = Row::find_by_statement(Statement::from_sql_and_values(backend, &sql, values.clone()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no statistics row")))?;

    let pauses = SUPPLEMENT_DAYS;
    let p2 = placeholders(backend, 2);
    let sql = format!(
        "SELECT COUNT(*) AS resolved, SUM({elapsed} - {pauses}) AS days FROM dossier d \
         WHERE d.agency_id IN ({agencies}) AND {result} AND d.received_at IS NOT NULL \
         AND d.finished_at >= {start} AND d.finished_at < {end}",
        elapsed = days(backend, "d.received_at", "d.finished_at"),
        agencies = ids(agencies),
        start = p2[0],
        end = p2[1],
    );
    let resolved = Resolved::find_by_statement(Statement::from_sql_and_values(backend, &sql, values[..2].to_vec()))
        .one(db)
        .await?;

    let sql = format!(
        "SELECT COUNT(*) AS services, SUM(CASE WHEN EXISTS (SELECT 1 FROM dossier d WHERE d.procedure_id = p.id \
         AND d.channel IN ('online', 'national') AND d.submitted_at >= {start} AND d.submitted_at < {end}) \
         THEN 1 ELSE 0 END) AS used FROM procedure p WHERE p.agency_id IN ({agencies}) \
         AND p.status = 'published' AND p.online_mode IN ('full_online', 'partial_online')",
        agencies = ids(agencies),
        start = p2[0],
        end = p2[1],
    );
    let services = Services::find_by_statement(Statement::from_sql_and_values(backend, &sql, values[..2].to_vec()))
        .one(db)
        .await?;
    let n = |v: Option<i64>| v.unwrap_or(0);
    Ok(Counts {
        received: n(row.received),
        synced: n(row.synced),
        on_time: n(row.on_time),
        online_services: services.as_ref().map_or(0, |s| n(s.services)),
        online_services_used: services.as_ref().map_or(0, |s| n(s.used)),
        online_synced: n(row.online_synced),
        with_fee: n(row.with_fee),
        paid_online: n(row.paid_online),
        with_result: n(row.with_result),
        e_result: n(row.e_result),
        digitised: n(row.digitised),
        reused: n(row.reused),
        disliked: n(row.disliked),
        resolved: resolved.as_ref().map_or(0, |r| n(r.resolved)),
        resolved_days: resolved.and_then(|r| r.days).unwrap_or(0.0),
    })
}
