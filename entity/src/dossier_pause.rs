//! An interval during which a dossier's clock stood still (a supplement
//! asked in processing, a fee asked for), which QĐ 766 subtracts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "dossier_pause")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub reason: Reason,
    pub started_at: DateTimeUtc,
    /// None while the clock still stands.
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    #[sea_orm(string_value = "supplement")]
    Supplement,
    #[sea_orm(string_value = "fee")]
    Fee,
    #[sea_orm(string_value = "other")]
    Other,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
