//! Sessions ended one by one. A session lives in its encrypted cookie, which
//! the server cannot take back; signing out therefore records the session's
//! own id as ended, and every node refuses a cookie whose id is recorded —
//! the account's `session_epoch` ends all of an account's sessions at once,
//! this ends one. The id is kept hashed, until the session would have
//! expired anyway.

use chrono::{DateTime, Utc};
use entity::ended_session;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::AppError;

/// How an ended session's id is kept.
pub fn hash(sid: &str) -> String {
    crate::digest::sha256_hex(sid.as_bytes())
}

/// Records session `sid` as ended until `expires_at`. Ending it twice is no error.
pub async fn end(
    db: &impl ConnectionTrait,
    sid: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = ended_session::ActiveModel { sid_hash: Set(hash(sid)), ended_at: Set(now), expires_at: Set(expires_at) };
    ended_session::Entity::insert(row).on_conflict_do_nothing_on([ended_session::Column::SidHash]).exec(db).await?;
    Ok(())
}

/// Drops the records of sessions that have expired by `now` (housekeeping).
pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, AppError> {
    let gone = ended_session::Entity::delete_many().filter(ended_session::Column::ExpiresAt.lt(now)).exec(db).await?;
    Ok(gone.rows_affected)
}
