//! Versions of a workflow saved by admins: the YAML checked as the shipped
//! files are (`workflow::check`), kept by content (saving the same text again
//! is the same version), with the admin's name; a version is tried once a
//! dry run of it reaches an end.

use chrono::{DateTime, Utc};
use entity::workflow_version;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::audit::{self, Actor};
use crate::error::AppError;
use crate::workflow::check::{Problem, check};

/// Why a text was not saved.
#[derive(Debug)]
pub enum Refused {
    /// The checker's problems, each with its line.
    Problems(Vec<Problem>),
    Other(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Other(e)
    }
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Other(e.into())
    }
}

/// Saves `source` as a version of workflow `key` in the transaction `db`;
/// the version's id. The text must check, its `key:` naming `key` (as a file's names its file).
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    key: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Result<i64, Refused> {
    let file = format!("{key}.yaml");
    let wf = check(&file, source).map_err(Refused::Problems)?;
    workflow_version::Entity::insert(workflow_version::ActiveModel {
        key: Set(key.to_owned()),
        version: Set(i32::try_from(wf.version).unwrap_or(i32::MAX)),
        content_hash: Set(wf.hash.clone()),
        source: Set(source.to_owned()),
        loaded_at: Set(now),
        made_by: Set(Some(actor.label.chars().take(250).collect())),
        tried_at: Set(None),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([workflow_version::Column::Key, workflow_version::Column::ContentHash])
    .exec_without_returning(db)
    .await?;
    let row = workflow_version::Entity::find()
        .filter(workflow_version::Column::Key.eq(key))
        .filter(workflow_version::Column::ContentHash.eq(&wf.hash))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = serde_json::json!({"version": row.id, "declared": wf.version, "hash": wf.hash});
    audit::record(db, actor, "workflow.save", key, detail, now).await?;
    super::counter::bump(db, super::counter::WORKFLOWS).await?;
    Ok(row.id)
}

/// Every version of workflow `key`, newest first.
pub async fn of_key(db: &impl ConnectionTrait, key: &str) -> Result<Vec<workflow_version::Model>, AppError> {
    Ok(workflow_version::Entity::find()
        .filter(workflow_version::Column::Key.eq(key))
        .order_by_desc(workflow_version::Column::Id)
        .all(db)
        .await?)
}

/// A dry run of version `id` reached an end at `now`: it may be activated.
pub async fn tried(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    workflow_version::Entity::update_many()
        .col_expr(workflow_version::Column::TriedAt, Expr::value(Some(now)))
        .filter(workflow_version::Column::Id.eq(id))
        .filter(workflow_version::Column::TriedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Whether version `v` may be put to use: a shipped file, or one whose dry run reached an end.
pub fn usable(v: &workflow_version::Model) -> bool {
    v.made_by.is_none() || v.tried_at.is_some()
}
