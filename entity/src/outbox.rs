//! A message waiting to leave the portal (an e-mail, a sync event), with its
//! delivery state. The payload is frozen when the row is written.

use sea_orm::entity::prelude::*;

use crate::db_enum;

db_enum! {
    pub enum OutboxStatus {
        Pending = "pending",
        /// Delivered.
        Done = "done",
        /// Given up after the last attempt; shown to the operator. Later
        /// messages with the same ordering key wait behind it.
        Dead = "dead",
        /// Set aside by an operator: never sent, and no longer holding the later ones back.
        Discarded = "discarded",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `email`, later `sync`.
    pub topic: String,
    /// Messages with the same key are delivered in order (e.g. per dossier).
    pub ordering_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds the row until then; after it, another may take over.
    pub lease_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
