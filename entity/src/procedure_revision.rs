//! One published version of a procedure, as its catalogue record (JSON): a
//! dossier keeps the procedure as it was when submitted, whatever later edits.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub procedure_id: i32,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub record: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
