//! The daily reconciliation (QĐ 766/QĐ-TTg indicator 1.4 counts the dossiers
//! the national portal holds of those received): ask the national portal
//! (`TraCuuHoSo` by `NgayTiepNhan` range) which dossiers received in a period
//! it holds, and queue the current record of each one it lacks — unless the
//! dossier still has sync events on their way or waiting for an operator.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::outbox::{self, OutboxStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::TOPIC;
use super::client::SyncClient;
use crate::context::Context;
use crate::dossier::national_record::date;
use crate::error::AppError;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reconciled {
    /// Dossiers the portal received in the period.
    pub received: usize,
    /// Of those, the ones the national portal lacked.
    pub missing: usize,
    /// Of the missing ones, those queued again now (the others still have events on their way).
    pub queued: usize,
}

/// Reconciles the dossiers received from `from` to `to`.
pub async fn run(
    ctx: &Context,
    client: &SyncClient,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Reconciled, String> {
    let answer = client.call("TraCuuHoSo", false, &[json!({"TuNgay": date(from), "DenNgay": date(to)})]).await?;
    if answer["error_code"].as_i64() != Some(0) {
        return Err(format!("TraCuuHoSo: {}", answer["message"].as_str().unwrap_or_default()));
    }
    let held: HashSet<&str> =
        answer["result"].as_array().into_iter().flatten().filter_map(|r| r["MaHoSo"].as_str()).collect();
    let ours = received_between(ctx, from, to).await.map_err(|e| e.to_string())?;
    let missing: Vec<&entity::dossier::Model> =
        ours.iter().filter(|d| d.code.as_deref().is_some_and(|c| !held.contains(c))).collect();
    let mut queued = 0;
    for d in &missing {
        if requeue(ctx, d, now).await.map_err(|e| e.to_string())? {
            queued += 1;
        }
    }
    Ok(Reconciled { received: ours.len(), missing: missing.len(), queued })
}

async fn received_between(
    ctx: &Context,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<entity::dossier::Model>, AppError> {
    use entity::dossier;
    Ok(dossier::Entity::find()
        .filter(dossier::Column::ReceivedAt.gte(from))
        .filter(dossier::Column::ReceivedAt.lte(to))
        .filter(dossier::Column::Code.is_not_null())
        .all(&ctx.db)
        .await?)
}

/// Queues the dossier's current record, in one transaction with the check
/// that none of its events is still pending or dead; false when one is.
async fn requeue(ctx: &Context, d: &entity::dossier::Model, now: DateTime<Utc>) -> Result<bool, AppError> {
    let txn = crate::db::begin_write(&ctx.db).await?;
    let waiting = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::Topic.eq(TOPIC))
        .filter(outbox::Column::OrderingKey.eq(d.code.clone()))
        .filter(Expr::col(outbox::Column::Status).is_in([OutboxStatus::Pending.as_str(), OutboxStatus::Dead.as_str()]))
        .into_tuple::<i64>()
        .one(&txn)
        .await?;
    if waiting.is_some() {
        return Ok(false);
    }
    crate::dossier::lifecycle::sync_now(&txn, d, d.event_seq, &ctx.settings.public_url, now).await?;
    txn.commit().await?;
    Ok(true)
}
