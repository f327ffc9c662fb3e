//! A workflow version put to use for a procedure from a moment: dossiers of
//! the procedure submitted from then on start on it. Never changed: a later
//! activation (of another version, or an earlier one again) follows it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_activation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub procedure_id: i32,
    pub workflow_version_id: i64,
    pub effective_from: DateTimeUtc,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
