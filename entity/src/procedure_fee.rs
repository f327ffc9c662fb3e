//! A fee or charge (phí, lệ phí) of a procedure, in whole đồng.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_fee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub procedure_id: i32,
    pub position: i32,
    /// `phi` (service fee) or `le_phi` (administrative charge).
    pub kind: String,
    pub name: String,
    pub amount_vnd: i64,
    pub note: String,
    /// The e-form number field counting the items, or empty for a fixed fee.
    pub per_item: String,
    /// `submission`, `before_result`, `at_result` or `exempt`.
    pub collected: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::procedure::Entity",
        from = "Column::ProcedureId",
        to = "super::procedure::Column::Id",
        on_delete = "Cascade"
    )]
    Procedure,
}

impl Related<super::procedure::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Procedure.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
