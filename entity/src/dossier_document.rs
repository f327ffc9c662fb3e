//! A file in one of a dossier's document slots.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// The position of the procedure's document this file answers; none for extras.
    pub slot: Option<i32>,
    /// The slot's name when the file was added, so later catalogue edits don't rename it.
    pub name: String,
    pub required: bool,
    pub upload_id: i64,
    /// 0 for the submission, n for the n-th supplement.
    pub round: i32,
    pub added_at: DateTimeUtc,
    pub origin: Origin,
}

/// How a document came into the dossier (QĐ 766 indicators 4.2, 4.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The applicant uploaded the file.
    #[sea_orm(string_value = "uploaded")]
    Uploaded,
    /// The reception officer digitised the paper at the counter.
    #[sea_orm(string_value = "counter_scan")]
    CounterScan,
    /// Taken from the applicant's store of digitised documents.
    #[sea_orm(string_value = "reused")]
    Reused,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::upload::Entity", from = "Column::UploadId", to = "super::upload::Column::Id")]
    Upload,
}

impl Related<super::upload::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Upload.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
