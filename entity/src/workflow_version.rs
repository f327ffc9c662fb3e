//! One content of a workflow file: its key, declared version, hash and source.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: String,
    pub version: i32,
    /// Hex SHA-256 of the source.
    pub content_hash: String,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub loaded_at: DateTimeUtc,
    /// The admin who saved it in the portal; none for a file shipped in `workflows/`.
    pub made_by: Option<String>,
    /// When a dry run of it first reached an end: it may be put to use from then on.
    pub tried_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
