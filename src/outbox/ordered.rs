//! Ordered delivery for messages with an ordering key (a dossier's sync
//! events, keyed by its code): a key is sent by one worker at a time, from
//! its first undelivered message on, and a key whose first message is dead
//! waits until an operator re-drives or discards it. Other keys go on.
//!
//! A worker first leases the key (one conditional upsert, so of two portal
//! processes exactly one wins it on PostgreSQL and on SQLite alike), then
//! reads the key's pending messages in order. A worker that dies holding a
//! lease loses it when it runs out; what it had sent is then sent again,
//! which the receiver answers as a repeat (each message carries its number).

use chrono::{DateTime, Duration, Utc};
use entity::outbox::{self, OutboxStatus};
use entity::outbox_key_lease as lease;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::error::AppError;

/// The messages of one leased key, oldest first.
#[derive(Debug)]
pub struct Claimed {
    pub key: String,
    pub rows: Vec<outbox::Model>,
}

#[derive(FromQueryResult)]
struct Key {
    ordering_key: Option<String>,
}

/// The first undelivered message of each key of `topic` (pending or dead):
/// only a key's first may go out. One grouping over the undelivered rows —
/// linear in the backlog whatever the planner believes about the table (a
/// correlated "no earlier one" test went quadratic on a table not yet
/// analysed: 1.7 s for 3,000 rows).
fn first_of_each_key(topic: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .expr(Expr::col(outbox::Column::Id).min())
        .from(outbox::Entity)
        .and_where(Expr::col(outbox::Column::Topic).eq(topic))
        .and_where(
            Expr::col(outbox::Column::Status).is_in([OutboxStatus::Pending.as_str(), OutboxStatus::Dead.as_str()]),
        )
        .and_where(Expr::col(outbox::Column::OrderingKey).is_not_null())
        .group_by_col(outbox::Column::OrderingKey)
        .to_owned()
}

fn leased_now(now: DateTime<Utc>) -> sea_orm::sea_query::SimpleExpr {
    let l = Alias::new("held");
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(lease::Entity, l.clone())
            .and_where(Expr::col((l.clone(), lease::Column::Topic)).equals((outbox::Entity, outbox::Column::Topic)))
            .and_where(
                Expr::col((l.clone(), lease::Column::OrderingKey))
                    .equals((outbox::Entity, outbox::Column::OrderingKey)),
            )
            .and_where(Expr::col((l, lease::Column::LeaseUntil)).gt(now))
            .to_owned(),
    )
}

/// Leases up to `keys` keys of `topic` whose first undelivered message is
/// due and returns their pending messages in order, at most `rows` in all
/// (a key cut short keeps the rest for the next pass, still in order).
pub async fn claim(
    db: &DatabaseConnection,
    topic: &str,
    holder: &str,
    keys: u64,
    rows: u64,
    lease_for: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>, AppError> {
    let heads: Vec<String> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::OrderingKey)
        .filter(outbox::Column::Topic.eq(topic))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(outbox::Column::OrderingKey.is_not_null())
        .filter(outbox::Column::Id.in_subquery(first_of_each_key(topic)))
        .filter(leased_now(now).not())
        .order_by_asc(outbox::Column::Id)
        .limit(keys)
        .into_model::<Key>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|k| k.ordering_key)
        .collect();
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let won = take_leases(db, topic, holder, &heads, now + lease_for, now).await?;
    if won.is_empty() {
        return Ok(Vec::new());
    }
    let pending = outbox::Entity::find()
        .filter(outbox::Column::Topic.eq(topic))
        .filter(outbox::Column::OrderingKey.is_in(won.iter().cloned()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .order_by_asc(outbox::Column::Id)
        .limit(rows)
        .all(db)
        .await?;
    let mut claimed: Vec<Claimed> = won.into_iter().map(|key| Claimed { key, rows: Vec::new() }).collect();
    for row in pending {
        if let Some(c) = claimed.iter_mut().find(|c| Some(&c.key) == row.ordering_key.as_ref()) {
            c.rows.push(row);
        }
    }
    // A key whose messages another worker delivered between the two reads has nothing left.
    let (empty, claimed): (Vec<Claimed>, Vec<Claimed>) = claimed.into_iter().partition(|c| c.rows.is_empty());
    release(db, topic, holder, &empty.into_iter().map(|c| c.key).collect::<Vec<_>>()).await?;
    Ok(claimed)
}

/// The keys among `keys` this worker now holds: new leases, and ones whose lease ran out.
async fn take_leases(
    db: &DatabaseConnection,
    topic: &str,
    holder: &str,
    keys: &[String],
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let mut insert = Query::insert();
    insert.into_table(lease::Entity).columns([
        lease::Column::Topic,
        lease::Column::OrderingKey,
        lease::Column::LeaseUntil,
        lease::Column::Holder,
    ]);
    for key in keys {
        insert.values_panic([topic.into(), key.clone().into(), until.into(), holder.into()]);
    }
    insert
        .on_conflict(
            OnConflict::columns([lease::Column::Topic, lease::Column::OrderingKey])
                .update_columns([lease::Column::LeaseUntil, lease::Column::Holder])
                .action_and_where(Expr::col((lease::Entity, lease::Column::LeaseUntil)).lte(now))
                .to_owned(),
        )
        .returning_col(lease::Column::OrderingKey);
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(backend.build(&insert)).await?;
    Ok(rows.into_iter().filter_map(|r| r.try_get::<String>("", "ordering_key").ok()).collect())
}

/// Gives the keys back once their messages are dealt with.
pub async fn release(db: &DatabaseConnection, topic: &str, holder: &str, keys: &[String]) -> Result<(), AppError> {
    if keys.is_empty() {
        return Ok(());
    }
    lease::Entity::delete_many()
        .filter(lease::Column::Topic.eq(topic))
        .filter(lease::Column::Holder.eq(holder))
        .filter(lease::Column::OrderingKey.is_in(keys.iter().cloned()))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks messages delivered, all in one statement.
pub async fn delivered(db: &impl ConnectionTrait, ids: &[i64], now: DateTime<Utc>) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Done.as_str()))
        .col_expr(outbox::Column::DeliveredAt, Expr::value(now))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .exec(db)
        .await?;
    Ok(())
}

/// How a failed attempt is retried.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub base_secs: i64,
    pub cap_secs: i64,
    pub max_attempts: i32,
}

/// One more failed attempt of message `row`: retried after the back-off, or
/// dead after the last attempt, or dead at once when retrying cannot help
/// (`permanent`: the receiver refused the message itself).
pub async fn failed(
    db: &DatabaseConnection,
    row: &outbox::Model,
    error: &str,
    permanent: bool,
    retry: Retry,
    now: DateTime<Utc>,
) -> Result<OutboxStatus, AppError> {
    let attempts = row.attempts + 1;
    let status = if permanent || attempts >= retry.max_attempts { OutboxStatus::Dead } else { OutboxStatus::Pending };
    let jitter = crate::random::below(1_000) as f64 / 999.0;
    let delay = super::backoff_within(row.attempts, jitter, retry.base_secs, retry.cap_secs);
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::Status, Expr::value(status.as_str()))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now + delay))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error.chars().take(2000).collect::<String>())))
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .exec(db)
        .await?;
    tracing::warn!(outbox.id = row.id, outbox.topic = %row.topic, attempts, status = status.as_str(), error, "ordered delivery failed");
    Ok(status)
}
