//! One request for supplement (form 02) and its answer: the times and the
//! appointment before and after (REGULATIONS §6.2 `DanhSachHoSoBoSung`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "supplement_round")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// 1 for the first request since submission.
    pub round: i32,
    pub stage: Stage,
    pub requested_at: DateTimeUtc,
    pub requested_by: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub answered_at: Option<DateTimeUtc>,
    /// The reception officer who took the answer in at the counter; none when it came online.
    pub received_by: Option<String>,
    /// What the applicant wrote, or the officer noted, with the answer.
    #[sea_orm(column_type = "Text", nullable)]
    pub answer_note: Option<String>,
    pub status: RoundStatus,
    /// The appointment when the request was made, and once answered the one it gave way to.
    pub due_before: Option<DateTimeUtc>,
    pub due_after: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Before the dossier was received: the correction restarts the limit.
    #[sea_orm(string_value = "reception")]
    Reception,
    /// During processing: the clock stood still meanwhile.
    #[sea_orm(string_value = "processing")]
    Processing,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "answered")]
    Answered,
    /// Never answered; the dossier stopped.
    #[sea_orm(string_value = "expired")]
    Expired,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
