//! Fixed-window rate limits kept in the database, so that every portal
//! process behind a load balancer counts the same requests.

use chrono::{DateTime, Utc};
use entity::rate_limit;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window_secs: i64,
}

/// Counts one hit on `key`; false when the window's limit is used up.
pub async fn allow(db: &DatabaseConnection, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<bool, AppError> {
    let now = now.timestamp();
    let txn = crate::db::begin_write(db).await?;
    rate_limit::Entity::insert(rate_limit::ActiveModel {
        key: sea_orm::ActiveValue::Set(key.into()),
        window_start: sea_orm::ActiveValue::Set(now),
        hits: sea_orm::ActiveValue::Set(0),
    })
    .on_conflict_do_nothing_on([rate_limit::Column::Key])
    .exec(&txn)
    .await?;
    rate_limit::Entity::update_many()
        .col_expr(rate_limit::Column::WindowStart, Expr::value(now))
        .col_expr(rate_limit::Column::Hits, Expr::value(0))
        .filter(rate_limit::Column::Key.eq(key))
        .filter(rate_limit::Column::WindowStart.lte(now - limit.window_secs))
        .exec(&txn)
        .await?;
    rate_limit::Entity::update_many()
        .col_expr(rate_limit::Column::Hits, Expr::col(rate_limit::Column::Hits).add(1))
        .filter(rate_limit::Column::Key.eq(key))
        .exec(&txn)
        .await?;
    let hits = rate_limit::Entity::find_by_id(key.to_owned()).one(&txn).await?.map_or(1, |r| r.hits);
    txn.commit().await?;
    Ok(hits <= limit.max)
}

/// Whether `key` has used up `limit` in its current window (counts nothing).
pub async fn exhausted(db: &DatabaseConnection, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<bool, AppError> {
    let row = rate_limit::Entity::find_by_id(key.to_owned()).one(db).await?;
    Ok(row.is_some_and(|r| r.window_start > now.timestamp() - limit.window_secs && r.hits >= limit.max))
}

/// Forgets the count of `key` (after a success the failures before it no longer count).
pub async fn clear(db: &DatabaseConnection, key: &str) -> Result<(), AppError> {
    rate_limit::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Forgets counters whose window ended more than `keep_secs` ago (daily job).
pub async fn purge_expired(db: &DatabaseConnection, now: DateTime<Utc>, keep_secs: i64) -> Result<u64, AppError> {
    let result = rate_limit::Entity::delete_many()
        .filter(rate_limit::Column::WindowStart.lt(now.timestamp() - keep_secs))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
