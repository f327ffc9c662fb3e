//! A client id the national portal calls the inbound API with; the secret is kept as its SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "national_client")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: String,
    pub secret_sha256: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
