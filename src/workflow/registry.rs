//! The workflow versions the portal knows: at start-up each loaded file is
//! recorded by its content hash (a changed file adds a version, an unchanged
//! one reuses its row); dossiers point at the version they started with, so
//! editing a file never moves a running dossier onto new rules.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::workflow_version;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::check::check;
use super::model::Workflow;
use crate::error::AppError;

/// The current version of each workflow, with its row id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub current: BTreeMap<String, (i64, Workflow)>,
}

impl Registry {
    pub fn get(&self, key: &str) -> Option<(i64, &Workflow)> {
        self.current.get(key).map(|(id, wf)| (*id, wf))
    }
}

/// Records `workflows` and returns the registry of their current versions.
pub async fn register(
    db: &impl ConnectionTrait,
    workflows: BTreeMap<String, Workflow>,
    now: DateTime<Utc>,
) -> Result<Registry, AppError> {
    let mut current = BTreeMap::new();
    for (key, wf) in workflows {
        workflow_version::Entity::insert(workflow_version::ActiveModel {
            key: Set(key.clone()),
            version: Set(i32::try_from(wf.version).unwrap_or(i32::MAX)),
            content_hash: Set(wf.hash.clone()),
            source: Set(wf.source.clone()),
            loaded_at: Set(now),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([workflow_version::Column::Key, workflow_version::Column::ContentHash])
        .exec(db)
        .await?;
        let row = workflow_version::Entity::find()
            .filter(workflow_version::Column::Key.eq(&key))
            .filter(workflow_version::Column::ContentHash.eq(&wf.hash))
            .one(db)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("workflow version of {key} not recorded")))?;
        current.insert(key, (row.id, wf));
    }
    Ok(Registry { current })
}

/// The workflow as it was in version `id`, for a dossier that started on it.
pub async fn version(db: &impl ConnectionTrait, id: i64) -> Result<Workflow, AppError> {
    let row = workflow_version::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    check(&format!("{}.yaml", row.key), &row.source).map_err(|problems| {
        AppError::Internal(anyhow::anyhow!("stored workflow version {id} no longer checks: {}", problems[0]))
    })
}
