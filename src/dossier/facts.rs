//! The per-dossier facts the QĐ 766 index and the dashboard read
//! (REGULATIONS §5.2), kept on the dossier row so that an agency's year is
//! one indexed scan: when a national record of it was first delivered (1.4,
//! 3.3), a fee paid through the gateway (3.6), its documents and those
//! reused from the store (4.2, 4.3), its rating's "Không hài lòng" (5.4) and answers,
//! and the time it waited for supplements until processing ended (2.2).
//!
//! Each fact has one definition here, an SQL expression over its source
//! rows, and one writer: the function that changes those rows calls the
//! refresh of its fact in its own transaction (the sync worker on delivery,
//! a gateway payment's settlement, a change of documents, a rating, the
//! transition that ends processing). A writer sets only its own fact, so two
//! writers at once never put back each other's old value. [`recompute`]
//! applies every definition at once, for rows written in bulk (the seeder).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::AppError;

/// The first delivery of a national record of the dossier; kept once set, as
/// delivered outbox rows are purged later.
const SYNCED_AT: &str = "COALESCE(dossier.synced_at, (SELECT MIN(o.delivered_at) FROM outbox o \
                         WHERE o.topic = 'national_sync' AND o.ordering_key = dossier.code AND o.status = 'done'))";
const PAID_ONLINE: &str = "EXISTS (SELECT 1 FROM payment y WHERE y.dossier_id = dossier.id AND y.status = 'paid' \
                           AND y.method = 'gateway')";
const DOCUMENTS: &str = "(SELECT COUNT(*) FROM dossier_document x WHERE x.dossier_id = dossier.id)";
const REUSED_DOCUMENTS: &str =
    "(SELECT COUNT(*) FROM dossier_document x WHERE x.dossier_id = dossier.id AND x.origin = 'reused')";
const RATING_DISLIKE: &str = "(SELECT r.dislike FROM rating r WHERE r.dossier_id = dossier.id)";

/// The rating's answers as `criterion:level`, by criterion, comma-separated (the dashboard counts
/// the answers per criterion and level from these, one group per distinct set of answers).
fn rating_answers(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "(SELECT string_agg(a.criterion || ':' || a.level, ',' ORDER BY a.criterion) FROM rating_answer a \
             JOIN rating r ON r.id = a.rating_id WHERE r.dossier_id = dossier.id)"
        }
        _ => {
            "(SELECT group_concat(x, ',') FROM (SELECT a.criterion || ':' || a.level AS x FROM rating_answer a \
              JOIN rating r ON r.id = a.rating_id WHERE r.dossier_id = dossier.id ORDER BY a.criterion))"
        }
    }
}

/// The supplement pauses that began between reception and the end of
/// processing, an open one counted to the end (QĐ 766 2.2 subtracts them).
fn supplement_seconds(backend: DbBackend) -> String {
    let span = match backend {
        DbBackend::Postgres => {
            "CAST(EXTRACT(EPOCH FROM (COALESCE(q.ended_at, dossier.finished_at) - q.started_at)) AS BIGINT)"
        }
        _ => {
            "CAST(ROUND((julianday(COALESCE(q.ended_at, dossier.finished_at)) - julianday(q.started_at)) * 86400) \
              AS INTEGER)"
        }
    };
    format!(
        "COALESCE((SELECT SUM({span}) FROM dossier_pause q WHERE q.dossier_id = dossier.id \
         AND q.reason = 'supplement' AND q.started_at >= dossier.received_at \
         AND q.started_at < dossier.finished_at), 0)"
    )
}

async fn set(
    db: &impl ConnectionTrait,
    sets: &[(&str, String)],
    filter: &str,
    values: Vec<Value>,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let sets = sets.iter().map(|(column, sql)| format!("{column} = {sql}")).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE dossier SET {sets} WHERE {filter}");
    db.execute_raw(Statement::from_sql_and_values(backend, &sql, values)).await?;
    Ok(())
}

async fn refresh(db: &impl ConnectionTrait, sets: &[(&str, String)], dossier_id: i64) -> Result<(), AppError> {
    let filter = format!("id = {}", crate::db::placeholder(db.get_database_backend(), 1));
    set(db, sets, &filter, vec![dossier_id.into()]).await
}

/// The sync worker delivered records of the dossiers `codes` at `now`.
pub async fn synced(db: &impl ConnectionTrait, codes: &[String], now: DateTime<Utc>) -> Result<(), AppError> {
    if codes.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let list = (2..codes.len() + 2).map(|i| crate::db::placeholder(backend, i)).collect::<Vec<_>>().join(", ");
    let mut values: Vec<Value> = vec![now.into()];
    values.extend(codes.iter().map(|c| Value::from(c.clone())));
    let filter = format!("code IN ({list}) AND synced_at IS NULL");
    set(db, &[("synced_at", crate::db::placeholder(backend, 1))], &filter, values).await
}

/// A payment of dossier `dossier_id` was settled or changed.
pub async fn payments_changed(db: &impl ConnectionTrait, dossier_id: i64) -> Result<(), AppError> {
    refresh(db, &[("paid_online", PAID_ONLINE.into())], dossier_id).await
}

/// The documents of dossier `dossier_id` were changed.
pub async fn documents_changed(db: &impl ConnectionTrait, dossier_id: i64) -> Result<(), AppError> {
    refresh(db, &[("documents", DOCUMENTS.into()), ("reused_documents", REUSED_DOCUMENTS.into())], dossier_id).await
}

/// Dossier `dossier_id` was rated, or its rating changed.
pub async fn rated(db: &impl ConnectionTrait, dossier_id: i64) -> Result<(), AppError> {
    let answers = rating_answers(db.get_database_backend()).to_owned();
    refresh(db, &[("rating_dislike", RATING_DISLIKE.into()), ("rating_answers", answers)], dossier_id).await
}

/// Processing of dossier `dossier_id` ended (its pauses are closed by then).
pub async fn processing_ended(db: &impl ConnectionTrait, dossier_id: i64) -> Result<(), AppError> {
    refresh(db, &[("supplement_seconds", supplement_seconds(db.get_database_backend()))], dossier_id).await
}

/// Every fact of the dossiers whose ids lie in `from..=to`, from its sources.
pub async fn recompute(db: &impl ConnectionTrait, from: i64, to: i64) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let sets = [
        ("synced_at", SYNCED_AT.to_owned()),
        ("paid_online", PAID_ONLINE.to_owned()),
        ("documents", DOCUMENTS.to_owned()),
        ("reused_documents", REUSED_DOCUMENTS.to_owned()),
        ("rating_dislike", RATING_DISLIKE.to_owned()),
        ("rating_answers", rating_answers(backend).to_owned()),
        ("supplement_seconds", supplement_seconds(backend)),
    ];
    let filter =
        format!("id >= {} AND id <= {}", crate::db::placeholder(backend, 1), crate::db::placeholder(backend, 2));
    set(db, &sets, &filter, vec![from.into(), to.into()]).await
}
