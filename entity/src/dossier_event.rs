//! One entry of a dossier's history: who did what, when, from which status to which.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "dossier_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    pub actor_label: String,
    /// The role the official acted in (reception, specialist, leader), for the control slip.
    pub actor_role: Option<String>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// The workflow states moved between, for processing steps.
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
