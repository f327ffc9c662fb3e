//! A session ended by signing out: its id (hashed) until it would have expired.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ended_session")]
pub struct Model {
    /// SHA-256 (hex) of the session id the cookie carries.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sid_hash: String,
    pub ended_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
