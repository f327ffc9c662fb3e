//! One entry of the append-only audit log: who did what, when, from where.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    /// A readable name of the actor at the time ("admin1", "SSO 0010…").
    pub actor: String,
    pub action: String,
    pub target: String,
    /// JSON with the details of the change.
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub ip: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
