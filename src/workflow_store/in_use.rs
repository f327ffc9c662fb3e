//! Which workflow version a new dossier of a procedure starts on, as each
//! portal process knows it: the activations, kept in memory and read again
//! only when the workflows' change counter moved (one row read per
//! submission), so a change on any node is seen by every node at its next
//! submission, without a restart and without waiting.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::error::AppError;

/// One activation, as a process keeps it.
#[derive(Debug, Clone, PartialEq)]
struct Activation {
    procedure: i32,
    version: i64,
    from: DateTime<Utc>,
}

/// The activations as of a value of the counter.
#[derive(Debug, Default)]
pub struct InUse {
    seen: Mutex<Option<(i64, Arc<Vec<Activation>>)>>,
}

impl InUse {
    /// The activations, read again if the counter moved since they were read.
    async fn current(&self, db: &impl ConnectionTrait) -> Result<Arc<Vec<Activation>>, AppError> {
        let counter = super::counter::read(db, super::counter::WORKFLOWS).await?;
        if let Some((seen, kept)) = self.seen.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
            && *seen == counter
        {
            return Ok(kept.clone());
        }
        let read: Vec<Activation> = super::activation::all(db)
            .await?
            .into_iter()
            .map(|a| Activation { procedure: a.procedure_id, version: a.workflow_version_id, from: a.effective_from })
            .collect();
        let read = Arc::new(read);
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some((counter, read.clone()));
        Ok(read)
    }

    /// The version activated for procedure `procedure` at `at`; none: the procedure's workflow as shipped.
    pub async fn version_for(
        &self,
        db: &impl ConnectionTrait,
        procedure: i32,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, AppError> {
        let all = self.current(db).await?;
        // In effect order, the last one in force wins (of two at one moment, the later saved).
        Ok(all.iter().rfind(|a| a.procedure == procedure && a.from <= at).map(|a| a.version))
    }

    /// The counter value the process last read (for the operator and the tests).
    pub fn seen(&self) -> Option<i64> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(n, _)| *n)
    }
}
