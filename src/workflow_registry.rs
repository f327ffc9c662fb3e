//! The workflow versions the portal knows: at start-up each loaded file is
//! recorded by its content hash (a changed file adds a version, an unchanged
//! one reuses its row); dossiers point at the version they started with, so
//! editing a file never moves a running dossier onto new rules.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};
use entity::workflow_version;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::catalogue::model::TimeLimit;
use crate::error::AppError;
use crate::workflow::check::check;
use crate::workflow::model::Workflow;

/// The current version of each workflow, with its row id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub current: BTreeMap<String, (i64, Workflow)>,
}

impl Registry {
    pub fn get(&self, key: &str) -> Option<(i64, &Workflow)> {
        self.current.get(key).map(|(id, wf)| (*id, wf))
    }

    /// Why a procedure with `limit` cannot use workflow `key`: there is no
    /// such workflow, or some way through it takes longer than the limit.
    pub fn unfit(&self, key: &str, limit: TimeLimit) -> Option<&'static str> {
        match self.get(key) {
            None => Some("unknown_workflow"),
            Some((_, wf)) => wf.fits(limit.days()).err().map(|_| "workflow_too_long"),
        }
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

/// Checked workflows by content hash. A version's text never changes, so
/// it is parsed once per process; keyed by hash rather than row id because
/// one process may serve several databases (the tests do).
static PARSED: LazyLock<Mutex<HashMap<String, Arc<Workflow>>>> = LazyLock::new(Default::default);

/// The workflow as it was in version `id`, for a dossier that started on it.
/// The workflow versions one portal process has read, by id: a version's
/// source never changes once saved, so it is read from the database once.
#[derive(Default)]
pub struct Versions {
    held: std::sync::RwLock<HashMap<i64, Arc<Workflow>>>,
}

impl Versions {
    pub async fn get(&self, db: &impl ConnectionTrait, id: i64) -> Result<Arc<Workflow>, AppError> {
        if let Some(wf) = self.held.read().ok().and_then(|h| h.get(&id).cloned()) {
            return Ok(wf);
        }
        let wf = version(db, id).await?;
        if let Ok(mut held) = self.held.write() {
            held.insert(id, wf.clone());
        }
        Ok(wf)
    }
}

pub async fn version(db: &impl ConnectionTrait, id: i64) -> Result<Arc<Workflow>, AppError> {
    let row = workflow_version::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if let Some(wf) = PARSED.lock().unwrap_or_else(|e| e.into_inner()).get(&row.content_hash) {
        return Ok(wf.clone());
    }
    let wf = check(&format!("{}.yaml", row.key), &row.source).map_err(|problems| {
        AppError::Internal(anyhow::anyhow!("stored workflow version {id} no longer checks: {}", problems[0]))
    })?;
    let wf = Arc::new(wf);
    PARSED.lock().unwrap_or_else(|e| e.into_inner()).insert(row.content_hash, wf.clone());
    Ok(wf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::TimeUnit;

    /// Reception takes two working days, then the leader half of what is left of the limit.
    const DAYS: &str = "key: hai-ngay
name: Hai ngày
version: 1
initial: a
states:
  - key: a
    label: A
    role: reception
    status: received
    budget_days: 2
  - key: b
    label: B
    role: leader
    status: in_progress
    budget_share: 0.5
  - key: done
    label: Xong
    status: returned
    outcome: returned
actions:
  - key: go
    label: Go
    from: [a]
    to: b
    roles: [reception]
  - key: finish
    label: Finish
    from: [b]
    to: done
    roles: [leader]
";

    #[test]
    fn a_procedure_needs_a_known_workflow_whose_steps_fit_its_limit() {
        let wf = check("hai-ngay.yaml", DAYS).unwrap();
        let registry = Registry { current: BTreeMap::from([("hai-ngay".to_owned(), (1, wf))]) };
        let days = |d: i32| TimeLimit { hours: d * 8, unit: TimeUnit::WorkingDays };
        assert_eq!(registry.unfit("khong-co", days(10)), Some("unknown_workflow"));
        // 2 days + half of 3 = 3.5 > 3.
        assert_eq!(registry.unfit("hai-ngay", days(3)), Some("workflow_too_long"));
        // 2 + 2 = 4 ≤ 4.
        assert_eq!(registry.unfit("hai-ngay", days(4)), None);
    }

    #[test]
    fn a_procedures_own_budgets_are_checked_along_every_way_through() {
        use crate::workflow::model::Budget;
        let wf = check("hai-ngay.yaml", DAYS).unwrap();
        // Two days, then eight working hours (one day) instead of half the rest: 3 ≤ 3.
        let own = wf.with_budgets(&[("b".into(), Budget::Hours(8.0))]);
        assert_eq!(own.fits(3.0), Ok(()));
        // Twenty hours (2.5 days) then one day: 3.5 > 3.
        assert_eq!(own.with_budgets(&[("a".into(), Budget::Hours(20.0))]).fits(3.0), Err(3.5));
        // An unknown step changes nothing.
        assert_eq!(wf.with_budgets(&[("khong-co".into(), Budget::Days(9.0))]).path_budgets, wf.path_budgets);
    }
}
