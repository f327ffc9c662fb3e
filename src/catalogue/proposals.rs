//! Proposals from the national database (see `national_import`): kept one
//! pending per procedure, applied as a new version of the procedure in the
//! same transaction that marks them applied, or dismissed.

use chrono::{DateTime, Utc};
use entity::procedure_proposal::{self as proposal, ProposalStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::national_import::{self, Change};
use super::store::{self, Refs};
use crate::audit::{self, Actor};
use crate::error::AppError;

/// Records `changes` for procedure `code` at `version` as its pending
/// proposal, replacing an older pending one; false when the same changes
/// are pending already, or were dismissed for this version.
pub async fn propose(
    db: &impl ConnectionTrait,
    code: &str,
    version: i32,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let text = serde_json::to_string(changes).map_err(anyhow::Error::from)?;
    // Changes an admin dismissed for this version are not proposed again, until either changes.
    let dismissed = proposal::Entity::find()
        .filter(proposal::Column::ProcedureCode.eq(code))
        .filter(proposal::Column::Status.eq(ProposalStatus::Dismissed))
        .filter(proposal::Column::BaseVersion.eq(version))
        .filter(proposal::Column::Changes.eq(text.as_str()))
        .one(db)
        .await?;
    if dismissed.is_some() {
        return Ok(false);
    }
    let pending = proposal::Entity::find()
        .filter(proposal::Column::ProcedureCode.eq(code))
        .filter(proposal::Column::Status.eq(ProposalStatus::Pending))
        .one(db)
        .await?;
    match pending {
        Some(p) if p.changes == text && p.base_version == version => Ok(false),
        Some(p) => {
            let mut m: proposal::ActiveModel = p.into();
            m.changes = Set(text);
            m.base_version = Set(version);
            m.created_at = Set(now);
            m.update(db).await?;
            Ok(true)
        }
        None => {
            proposal::ActiveModel {
                procedure_code: Set(code.into()),
                base_version: Set(version),
                changes: Set(text),
                status: Set(ProposalStatus::Pending),
                created_at: Set(now),
                decided_at: Set(None),
                decided_by: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(true)
        }
    }
}

pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<(proposal::Model, Vec<Change>)>, AppError> {
    let rows = proposal::Entity::find()
        .filter(proposal::Column::Status.eq(ProposalStatus::Pending))
        .order_by_asc(proposal::Column::ProcedureCode)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let changes = serde_json::from_str(&p.changes).unwrap_or_default();
            (p, changes)
        })
        .collect())
}

/// Applies pending proposal `id` to the procedure as it is now (a new
/// version), and marks it applied, in one transaction.
pub async fn apply(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    let p = proposal::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if p.status != ProposalStatus::Pending {
        return Err(AppError::Conflict("the proposal was decided already".into()));
    }
    let changes: Vec<Change> = serde_json::from_str(&p.changes).map_err(anyhow::Error::from)?;
    let current = store::find(&txn, &p.procedure_code).await?.ok_or(AppError::NotFound)?;
    let refs = Refs::load(&txn).await?;
    let mut record = national_import::applied(store::record(&txn, &current, &refs).await?, &changes);
    let refs = super::admin::checked_refs(&txn, &mut record).await?;
    super::admin::update_in(&txn, &refs, &p.procedure_code, current.version, record, actor, now).await?;
    decide(&txn, id, ProposalStatus::Applied, actor, now).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn dismiss(db: &impl ConnectionTrait, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<(), AppError> {
    decide(db, id, ProposalStatus::Dismissed, actor, now).await
}

async fn decide(
    db: &impl ConnectionTrait,
    id: i64,
    to: ProposalStatus,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let done = proposal::Entity::update_many()
        .col_expr(proposal::Column::Status, Expr::value(to.as_str()))
        .col_expr(proposal::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(proposal::Column::DecidedBy, Expr::value(Some(actor.label.clone())))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::Status.eq(ProposalStatus::Pending))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::Conflict("the proposal was decided already".into()));
    }
    let action =
        if to == ProposalStatus::Applied { "national_proposal_applied" } else { "national_proposal_dismissed" };
    audit::record(db, actor, action, &format!("#{id}"), serde_json::json!({}), now).await?;
    Ok(())
}
