//! Change counters: a row per thing portal processes keep in memory, moved in
//! the transaction of every change of it, read by each process (one row by
//! its key) to know whether what it keeps is stale.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppError;
use entity::change_counter;

/// The workflows in use: versions saved and activations.
pub const WORKFLOWS: &str = "workflows";
/// The catalogue: procedures, agencies, fields; and what a dossier's
/// clock reads with them: the time-rule versions and the special days (see
/// `sla_rules::kept`).
pub const CATALOGUE: &str = "catalogue";

pub async fn read(db: &impl ConnectionTrait, name: &str) -> Result<i64, AppError> {
    Ok(change_counter::Entity::find_by_id(name.to_owned()).one(db).await?.map_or(0, |c| c.value))
}

/// Moves counter `name` on, in the caller's transaction.
pub async fn bump(db: &impl ConnectionTrait, name: &str) -> Result<(), AppError> {
    change_counter::Entity::update_many()
        .col_expr(change_counter::Column::Value, Expr::col(change_counter::Column::Value).add(1))
        .filter(change_counter::Column::Name.eq(name))
        .exec(db)
        .await?;
    Ok(())
}

/// Reads of one counter shared by the requests that wait at the same time:
/// under load, one statement answers every request that arrived before it
/// was sent, instead of one each (the public catalogue is read thousands of
/// times a second, and each read was a round trip to the database).
///
/// It stays exact: a request takes the value of a read sent after the
/// request arrived, so it sees every change committed before it arrived, as
/// if it had read the counter itself. Reads go one at a time; a request that
/// arrives while one is on its way waits for the next.
pub struct Shared {
    name: &'static str,
    /// Held while a read is on its way; Tokio's mutex serves waiters in order.
    turn: tokio::sync::Mutex<()>,
    /// How many reads have been sent.
    sent: AtomicU64,
    /// The newest read's number (of `sent`) and the value it read.
    last: std::sync::Mutex<(u64, i64)>,
}

impl Shared {
    pub const fn new(name: &'static str) -> Shared {
        Shared {
            name,
            turn: tokio::sync::Mutex::const_new(()),
            sent: AtomicU64::new(0),
            last: std::sync::Mutex::new((0, 0)),
        }
    }

    /// The counter's value as of a moment after this call began.
    pub async fn read(&self, db: &impl ConnectionTrait) -> Result<i64, AppError> {
        let arrived = self.sent.load(Ordering::SeqCst);
        let _turn = self.turn.lock().await;
        let (number, value) = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        // Read number `number` was sent after this call loaded `arrived`: it sees what we would.
        if number > arrived {
            return Ok(value);
        }
        let number = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        let value = read(db, self.name).await?;
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = (number, value);
        Ok(value)
    }
}
