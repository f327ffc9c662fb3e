//! Procedures as a dossier's handling reads them, kept in each portal
//! process's memory while the catalogue's change counter has not moved (see
//! `change_counter` and `published`): a workflow step reads one row, the
//! counter, instead of the procedure, its documents, fees, and every agency
//! and field. Every change of a procedure, an agency or a field moves the
//! counter in its own transaction, so no process uses a view older than the
//! last change committed before it read the counter.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use entity::dossier;
use sea_orm::ConnectionTrait;

use super::view::{self, ProcedureView};
use crate::change_counter;
use crate::error::AppError;

/// One process's views by procedure id, and the counter they were read at.
#[derive(Default)]
pub struct Views {
    held: RwLock<(i64, HashMap<i32, Arc<ProcedureView>>)>,
}

impl Views {
    /// Procedure `id` as the catalogue has it now.
    pub async fn live(&self, db: &impl ConnectionTrait, id: i32) -> Result<Arc<ProcedureView>, AppError> {
        let counter = change_counter::read(db, change_counter::CATALOGUE).await?;
        if let Ok(held) = self.held.read()
            && held.0 == counter
            && let Some(v) = held.1.get(&id)
        {
            return Ok(v.clone());
        }
        // Read after the counter: at worst newer than the counter says, and read again next time.
        let fresh = Arc::new(view::by_id(db, id).await?);
        if let Ok(mut held) = self.held.write() {
            if held.0 != counter {
                if held.0 > counter {
                    return Ok(fresh);
                }
                *held = (counter, HashMap::new());
            }
            held.1.insert(id, fresh.clone());
        }
        Ok(fresh)
    }

    /// As `revisions::of_dossier`, the live view from memory.
    pub async fn of_dossier(&self, db: &impl ConnectionTrait, d: &dossier::Model) -> Result<ProcedureView, AppError> {
        let live = self.live(db, d.procedure_id).await?;
        super::revisions::as_dossier_knows(db, d, (*live).clone()).await
    }
}
