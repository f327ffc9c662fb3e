//! What the national database changed in a procedure the portal has, for an
//! admin to apply (a new version) or dismiss.

use sea_orm::entity::prelude::*;

use crate::db_enum;

db_enum! {
    pub enum ProposalStatus {
        Pending = "pending",
        Applied = "applied",
        Dismissed = "dismissed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub procedure_code: String,
    /// The procedure's version the changes were found against.
    pub base_version: i32,
    /// JSON list of `{field, before, after}`.
    #[sea_orm(column_type = "Text")]
    pub changes: String,
    pub status: ProposalStatus,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
