//! An administrative procedure (thủ tục hành chính) of the catalogue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// National procedure code, e.g. `1.004227`.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub agency_id: i32,
    pub field_id: i32,
    /// `full_online` (toàn trình), `partial_online` (một phần) or `information`.
    pub online_mode: String,
    pub for_citizen: bool,
    pub for_business: bool,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub steps: String,
    /// Time limit in hours: 8 per working day, 24 per calendar day.
    pub time_limit_hours: i32,
    /// `working_days` or `calendar_days`.
    pub time_limit_unit: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub result: String,
    pub presence_required: bool,
    /// `draft`, `published` or `abolished`.
    pub status: String,
    /// The e-form schema as JSON text.
    #[sea_orm(column_type = "Text")]
    pub eform_schema: String,
    pub workflow_key: String,
    /// Online dossiers are received at once, without a reception officer.
    pub auto_receive: bool,
    /// A paid fee is returned when the dossier is refused or withdrawn.
    pub fee_refundable: bool,
    /// An online dossier is received once its fee collected with it is paid.
    pub clock_waits_for_fee: bool,
    /// A reception-stage correction restarts the limit (else the time away is subtracted).
    pub correction_restarts_clock: bool,
    /// Folded (lower case, no diacritics) code, name and texts, for search.
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// Folded code and name, to rank name matches first.
    pub name_search: String,
    /// Bumped by every edit; an edit names the version it started from.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::agency::Entity", from = "Column::AgencyId", to = "super::agency::Column::Id")]
    Agency,
    #[sea_orm(belongs_to = "super::field::Entity", from = "Column::FieldId", to = "super::field::Column::Id")]
    Field,
    #[sea_orm(has_many = "super::procedure_document::Entity")]
    Document,
    #[sea_orm(has_many = "super::procedure_fee::Entity")]
    Fee,
}

impl Related<super::agency::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agency.def()
    }
}

impl Related<super::field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Field.def()
    }
}

impl Related<super::procedure_document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Document.def()
    }
}

impl Related<super::procedure_fee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Fee.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
