//! A file an applicant uploaded, kept in their personal document store.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "upload")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The identifier shown outside; unguessable, unlike `id`.
    #[sea_orm(unique)]
    pub public_id: String,
    pub owner_id: i32,
    pub storage_key: String,
    /// The name the applicant gave, made safe.
    pub file_name: String,
    /// `pdf`, `jpeg`, `png` or `docx`, from the content.
    pub kind: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
