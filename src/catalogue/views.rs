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
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::view::{self, ProcedureView};
use crate::change_counter;
use crate::error::AppError;

/// One process's views by procedure id, and the counter they were read at.
pub struct Views {
    held: RwLock<Held>,
    /// For reads outside a transaction (`public`, `counter`).
    counter: change_counter::Shared,
}

impl Default for Views {
    fn default() -> Self {
        Views { held: RwLock::default(), counter: change_counter::Shared::new(change_counter::CATALOGUE) }
    }
}

#[derive(Default)]
struct Held {
    counter: i64,
    by_id: HashMap<i32, Arc<ProcedureView>>,
    /// Codes never change (catalogue invariant), so a code names one id.
    ids: HashMap<String, i32>,
}

impl Views {
    /// Procedure `id` as the catalogue has it now.
    pub async fn live(&self, db: &impl ConnectionTrait, id: i32) -> Result<Arc<ProcedureView>, AppError> {
        Ok(self.live_at(db, id).await?.1)
    }

    /// As `live`, with the catalogue version (change counter) it was read at:
    /// what else the caller keeps under the counter is read at the same one.
    pub async fn live_at(&self, db: &impl ConnectionTrait, id: i32) -> Result<(i64, Arc<ProcedureView>), AppError> {
        let counter = change_counter::read(db, change_counter::CATALOGUE).await?;
        Ok((counter, self.live_known(db, id, counter).await?))
    }

    /// As `live`, at `counter`, which the caller read (see `counter`).
    pub async fn live_known(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
        counter: i64,
    ) -> Result<Arc<ProcedureView>, AppError> {
        if let Some(v) = self.held(counter, |h| h.by_id.get(&id).cloned()) {
            return Ok(v);
        }
        // Read after the counter: at worst newer than the counter says, and read again next time.
        Ok(self.keep(counter, view::by_id(db, id).await?))
    }

    /// The catalogue's version now, read outside any transaction and shared with
    /// the requests waiting for it; for a transaction about to begin, which
    /// then reads its views at it (`of_dossier_known`) without a statement of its own.
    pub async fn counter(&self, db: &DatabaseConnection) -> Result<i64, AppError> {
        self.counter.read(db).await
    }

    /// Procedure `code` if the public may read it (as `view::public`); outside any
    /// transaction, sharing the counter's read with the requests waiting for it.
    pub async fn public(&self, db: &DatabaseConnection, code: &str) -> Result<Arc<ProcedureView>, AppError> {
        Ok(self.public_at(db, code).await?.1)
    }

    /// As `public`, with the catalogue version (change counter) it was read at.
    pub async fn public_at(&self, db: &DatabaseConnection, code: &str) -> Result<(i64, Arc<ProcedureView>), AppError> {
        let counter = self.counter.read(db).await?;
        let held = self.held(counter, |h| h.ids.get(code).and_then(|id| h.by_id.get(id)).cloned());
        let v = match held {
            Some(v) => v,
            None => self.keep(counter, view::any(db, code).await?),
        };
        if v.record.status.is_public() { Ok((counter, v)) } else { Err(AppError::NotFound) }
    }

    /// What `find` finds among the views held at `counter`.
    fn held<T>(&self, counter: i64, find: impl FnOnce(&Held) -> Option<T>) -> Option<T> {
        self.held.read().ok().filter(|h| h.counter == counter).and_then(|h| find(&h))
    }

    /// Keeps `fresh`, read at `counter` or later; an older counter's views go.
    fn keep(&self, counter: i64, fresh: ProcedureView) -> Arc<ProcedureView> {
        let fresh = Arc::new(fresh);
        if let Ok(mut held) = self.held.write()
            && held.counter <= counter
        {
            if held.counter < counter {
                *held = Held { counter, ..Held::default() };
            }
            held.ids.insert(fresh.record.code.clone(), fresh.id);
            held.by_id.insert(fresh.id, fresh.clone());
        }
        fresh
    }

    /// As `revisions::of_dossier`, the live view from memory.
    pub async fn of_dossier(&self, db: &impl ConnectionTrait, d: &dossier::Model) -> Result<ProcedureView, AppError> {
        let counter = change_counter::read(db, change_counter::CATALOGUE).await?;
        self.of_dossier_known(db, d, counter).await
    }

    /// As `of_dossier`, at catalogue version `counter` (see `counter`).
    pub async fn of_dossier_known(
        &self,
        db: &impl ConnectionTrait,
        d: &dossier::Model,
        counter: i64,
    ) -> Result<ProcedureView, AppError> {
        let live = self.live_known(db, d.procedure_id, counter).await?;
        super::revisions::as_dossier_knows(db, d, (*live).clone()).await
    }
}
