//! A procedure's own budget for one step of a workflow, in place of the workflow's.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "procedure_step_budget")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub procedure_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub workflow_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_key: String,
    /// `days` (whole or half working days) or `hours` (working hours).
    pub unit: String,
    pub amount: f64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
