//! An applicant's satisfaction rating of a finished dossier (REGULATIONS §5.3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub dossier_id: i64,
    pub procedure_id: i32,
    pub agency_id: i32,
    /// How the applicant rated: `account` (signed in) or `link` (the counter's one-time link).
    pub via: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    /// Some criterion was rated Không hài lòng (QĐ 766 indicator 5.4 counts the dossier).
    pub dislike: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The applicant may change the rating until then.
    pub editable_until: DateTimeUtc,
    /// 1 when first given, bumped by each change: the national record's sequence.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
