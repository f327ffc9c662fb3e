//! What an operator sees of a topic's queue and may do about it: counts,
//! the messages that failed with their last error, re-driving a dead
//! message (it is tried again from the first attempt) and discarding one
//! (it is never sent and stops holding back the later ones of its key).

use chrono::{DateTime, Utc};
use entity::outbox::{self, OutboxStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};

use crate::error::AppError;

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Waiting for their first attempt.
    pub pending: i64,
    /// Failed at least once, to be tried again.
    pub retrying: i64,
    pub dead: i64,
    pub delivered: i64,
    pub discarded: i64,
}

#[derive(FromQueryResult)]
struct Group {
    status: String,
    retried: bool,
    n: i64,
}

pub async fn counts(db: &impl ConnectionTrait, topic: &str) -> Result<Counts, AppError> {
    let groups = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        // Written out, not bound: PostgreSQL groups by an expression only if it is the selected one, parameter for parameter.
        .column_as(Expr::cust("attempts > 0"), "retried")
        .column_as(outbox::Column::Id.count(), "n")
        .filter(outbox::Column::Topic.eq(topic))
        .group_by(outbox::Column::Status)
        .group_by(Expr::cust("attempts > 0"))
        .into_model::<Group>()
        .all(db)
        .await?;
    let mut c = Counts::default();
    for g in groups {
        let slot = match (OutboxStatus::parse(&g.status), g.retried) {
            (Some(OutboxStatus::Pending), false) => &mut c.pending,
            (Some(OutboxStatus::Pending), true) => &mut c.retrying,
            (Some(OutboxStatus::Dead), _) => &mut c.dead,
            (Some(OutboxStatus::Done), _) => &mut c.delivered,
            (Some(OutboxStatus::Discarded), _) => &mut c.discarded,
            (None, _) => continue,
        };
        *slot += g.n;
    }
    Ok(c)
}

/// Dead, or failed and waiting for a retry.
fn failing() -> Expr {
    outbox::Column::Status
        .eq(OutboxStatus::Dead)
        .or(outbox::Column::Status.eq(OutboxStatus::Pending).and(outbox::Column::Attempts.gt(0)))
}

/// Dead messages first, then the ones being retried, newest failures first.
pub async fn failures(db: &impl ConnectionTrait, topic: &str, limit: u64) -> Result<Vec<outbox::Model>, AppError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Topic.eq(topic))
        .filter(failing())
        .order_by_asc(outbox::Column::Status)
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Sends dead message `id` (or, with `None`, every dead one) again from the
/// first attempt; returns how many. Failing messages waiting for a retry are
/// also brought forward, so an operator who fixed the cause need not wait.
pub async fn redrive(
    db: &impl ConnectionTrait,
    topic: &str,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending.as_str()))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Topic.eq(topic))
        .filter(failing());
    if let Some(id) = id {
        update = update.filter(outbox::Column::Id.eq(id));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Sets dead message `id` aside for good; false if it is not dead.
pub async fn discard(db: &impl ConnectionTrait, topic: &str, id: i64) -> Result<bool, AppError> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Discarded.as_str()))
        .filter(outbox::Column::Topic.eq(topic))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Dead))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

#[derive(FromQueryResult)]
struct Distinct {
    n: i64,
}

/// How many ordering keys (dossiers) have had a message delivered.
pub async fn keys_delivered(db: &impl ConnectionTrait, topic: &str) -> Result<i64, AppError> {
    let row = outbox::Entity::find()
        .select_only()
        .column_as(Expr::col(outbox::Column::OrderingKey).count_distinct(), "n")
        .filter(outbox::Column::Topic.eq(topic))
        .filter(outbox::Column::Status.eq(OutboxStatus::Done))
        .into_model::<Distinct>()
        .one(db)
        .await?;
    Ok(row.map_or(0, |r| r.n))
}
