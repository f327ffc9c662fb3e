//! One version of the time rules an admin set for the portal, an agency or a
//! procedure, in force from its effective moment. Never changed or deleted:
//! a change is a new version, so running dossiers and the audit can say
//! what was in force when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `portal`, `agency` or `procedure`.
    pub level: String,
    pub agency_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub effective_from: DateTimeUtc,
    /// The rules this version sets, as JSON; those left out come from further up.
    #[sea_orm(column_type = "Text")]
    pub rules: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
