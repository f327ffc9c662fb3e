//! The transactional outbox (DESIGN: "nothing is lost"). A change enqueues its
//! messages in its own transaction; workers on any node claim due messages
//! with a lease (a conditional update, so exactly one claims each), deliver
//! them, and on failure back off exponentially with jitter until a message
//! is declared dead and shown to the operator.

use chrono::{DateTime, Duration, Utc};
use entity::outbox::{self, OutboxStatus};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::error::AppError;

pub mod operator;
pub mod ordered;

/// After this many failed attempts a message is dead (about two days of retries).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a worker may hold a claimed message before another may retry it.
pub const LEASE_SECS: i64 = 120;

tokio::task_local! {
    /// The messages a `batched` piece of work enqueued, written when it ends.
    static HELD: std::cell::RefCell<Vec<outbox::ActiveModel>>;
}

/// Runs `work`, holding back the messages it enqueues, then writes them in
/// one statement in `db` (the transaction the work ran in), in the order they
/// were enqueued. For a transaction whose round trips keep others waiting: a
/// submission holds its agency's code sequence of the day until it commits,
/// and its four messages (two national records, two mails) were four round
/// trips under that lock. Nothing is written when `work` fails.
pub async fn batched<T>(
    db: &impl ConnectionTrait,
    work: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let (done, held) = crate::held_back::collecting(&HELD, work).await;
    let done = done?;
    if !held.is_empty() {
        outbox::Entity::insert_many(held).exec_without_returning(db).await?;
    }
    Ok(done)
}

/// Queues a message in the transaction `db` (held back inside `batched`).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    topic: &str,
    ordering_key: Option<&str>,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enqueue_all(db, topic, ordering_key, std::slice::from_ref(payload), now).await
}

/// As `enqueue` for several messages of one topic and key, in one statement:
/// their ids keep the order given, which is the order they are delivered in.
pub async fn enqueue_all(
    db: &impl ConnectionTrait,
    topic: &str,
    ordering_key: Option<&str>,
    payloads: &[serde_json::Value],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if payloads.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<_> =
        payloads.iter().map(|p| pending(topic, ordering_key.map(str::to_owned), p.to_string(), now)).collect();
    if HELD.try_with(|held| held.borrow_mut().append(&mut rows)).is_ok() {
        return Ok(());
    }
    outbox::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// A new message due now, not yet written.
pub fn pending(topic: &str, ordering_key: Option<String>, payload: String, now: DateTime<Utc>) -> outbox::ActiveModel {
    outbox::ActiveModel {
        topic: Set(topic.into()),
        ordering_key: Set(ordering_key),
        payload: Set(payload),
        status: Set(outbox::OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        delivered_at: Set(None),
        ..Default::default()
    }
}

/// Due messages of `topic` that this worker now holds, oldest first.
pub async fn claim(
    db: &DatabaseConnection,
    topic: &str,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>, AppError> {
    let free = Condition::any().add(outbox::Column::LeaseUntil.is_null()).add(outbox::Column::LeaseUntil.lt(now));
    let candidates = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::Topic.eq(topic))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(free.clone())
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for row in candidates {
        let taken = outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseUntil, Expr::value(now + Duration::seconds(LEASE_SECS)))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .filter(free.clone())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

pub async fn delivered(db: &DatabaseConnection, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Done.as_str()))
        .col_expr(outbox::Column::DeliveredAt, Expr::value(now))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Delay before attempt `attempts + 1`: 30 s doubling to at most 6 h, with up
/// to a fifth more at random so that retries from many messages spread out.
pub fn backoff(attempts: i32, jitter: f64) -> Duration {
    backoff_within(attempts, jitter, 30, 6 * 3600)
}

/// Delay before attempt `attempts + 1`: `base_secs` doubling to at most
/// `cap_secs`, with up to a fifth more at random.
pub fn backoff_within(attempts: i32, jitter: f64, base_secs: i64, cap_secs: i64) -> Duration {
    let base = base_secs.saturating_mul(1i64 << attempts.clamp(0, 30)).min(cap_secs);
    Duration::seconds(base + (base as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as i64)
}

pub async fn failed(
    db: &DatabaseConnection,
    row: &outbox::Model,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let attempts = row.attempts + 1;
    let mut jitter = [0u8; 1];
    let jitter = getrandom::fill(&mut jitter).map_or(0.5, |_| f64::from(jitter[0]) / 255.0);
    let status = if attempts >= MAX_ATTEMPTS { OutboxStatus::Dead } else { OutboxStatus::Pending };
    let mut m: outbox::ActiveModel = row.clone().into();
    m.attempts = Set(attempts);
    m.status = Set(status);
    m.next_attempt_at = Set(now + backoff(row.attempts, jitter));
    m.lease_until = Set(None);
    m.last_error = Set(Some(error.chars().take(2000).collect()));
    m.update(db).await?;
    tracing::warn!(outbox.id = row.id, outbox.topic = %row.topic, attempts, status = status.as_str(), error, "outbox delivery failed");
    Ok(())
}

/// Forgets messages delivered before `before` (daily job); pending and dead
/// ones stay until delivered or looked at.
pub async fn purge_delivered(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, AppError> {
    let result = outbox::Entity::delete_many()
        .filter(outbox::Column::Status.eq(OutboxStatus::Done))
        .filter(outbox::Column::DeliveredAt.lt(before))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The newest messages of a topic, for the operator's view.
pub async fn recent(db: &DatabaseConnection, topic: &str, limit: u64) -> Result<Vec<outbox::Model>, AppError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Topic.eq(topic))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn retries_back_off_and_level_out() {
        assert_eq!(backoff(0, 0.0).num_seconds(), 30);
        assert_eq!(backoff(1, 0.0).num_seconds(), 60);
        assert_eq!(backoff(3, 0.0).num_seconds(), 240);
        assert_eq!(backoff(30, 0.0).num_seconds(), 6 * 3600);
        assert_eq!(backoff(0, 1.0).num_seconds(), 36);
        assert_eq!(super::backoff_within(4, 0.0, 1, 10).num_seconds(), 10);
        assert_eq!(super::backoff_within(2, 0.0, 0, 0).num_seconds(), 0);
    }
}
