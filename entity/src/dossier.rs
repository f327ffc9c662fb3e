//! A dossier (hồ sơ): an applicant's request under one procedure.

use sea_orm::entity::prelude::*;

pub use super::values::{Channel, DossierStatus, DueState, ResultDelivery};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The identifier in URLs; unguessable, unlike `id`.
    #[sea_orm(unique)]
    pub public_id: String,
    /// The national dossier code, given at submission.
    #[sea_orm(unique)]
    pub code: Option<String>,
    pub procedure_id: i32,
    /// The procedure's version when the dossier was started.
    pub procedure_version: i32,
    /// The processing agency.
    pub agency_id: i32,
    /// The applicant's account; none for a walk-in applicant without one.
    pub applicant_id: Option<i32>,
    /// Who created it: the applicant, or the reception officer at the counter.
    pub created_by: i32,
    pub channel: Channel,
    pub status: DossierStatus,
    /// Where a dossier waiting for a supplement goes back to when it arrives.
    pub resume_status: Option<DossierStatus>,
    /// The e-form data as JSON text.
    #[sea_orm(column_type = "Text")]
    pub form_data: String,
    pub applicant_name: String,
    /// Số định danh cá nhân or mã số thuế.
    pub applicant_id_number: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request that used `idempotency_key`.
    pub request_hash: Option<String>,
    /// What the officials asked the applicant to supplement, while it is asked.
    #[sea_orm(column_type = "Text", nullable)]
    pub supplement_request: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub received_at: Option<DateTimeUtc>,
    /// The appointment (hẹn trả kết quả).
    pub due_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The workflow version the dossier started with, and its state there.
    pub workflow_version_id: Option<i64>,
    pub workflow_state: Option<String>,
    /// The official holding the dossier in its current step; none while it waits in the unit's pool.
    pub assignee_id: Option<i32>,
    pub step_started_at: Option<DateTimeUtc>,
    pub step_due_at: Option<DateTimeUtc>,
    /// Since when the clock stands still (a supplement, a fee), while it does.
    pub paused_at: Option<DateTimeUtc>,
    /// As the deadline sweep last set it.
    pub due_state: DueState,
    /// When the time left falls under the due-soon share of the limit.
    pub due_soon_at: Option<DateTimeUtc>,
    /// The result document (an upload), once issued.
    pub result_upload_id: Option<i64>,
    /// An online dossier is accepted or queried by then (8 working hours by default).
    pub accept_due_at: Option<DateTimeUtc>,
    /// Set once by the sweep when the dossier was still waiting at `accept_due_at`.
    pub accept_late: bool,
    /// Supplement requests made since submission; more than one counts as late.
    pub supplement_count: i32,
    /// An unanswered supplement request closes the dossier then (15 working days by default).
    pub supplement_due_at: Option<DateTimeUtc>,
    /// The appointment before the apology moved it (form 04); the date moves once only.
    pub rescheduled_from: Option<DateTimeUtc>,
    pub apology_at: Option<DateTimeUtc>,
    /// The apology came later than one working day before the deadline.
    pub apology_late: bool,
    /// The partner agency of an inter-agency transfer (liên thông): its officials may read the dossier.
    pub partner_agency_id: Option<i32>,
    /// The appointment first given at reception (or at a restart of the limit), kept when it moves.
    pub first_due_at: Option<DateTimeUtc>,
    /// When the dossier first passed its appointment; kept whatever happens to the date later.
    pub late_at: Option<DateTimeUtc>,
    /// When processing ended: the result ready, the dossier refused, stopped or withdrawn (QĐ 766 `NgayKetThucXuLy`).
    pub finished_at: Option<DateTimeUtc>,
    /// The applicant's account was verified with VNeID when the dossier was submitted.
    pub vneid_verified: bool,
    /// Set once by the sweep when the current step passed its own deadline; a new step clears it.
    pub step_late: bool,
    /// Where the applicant asked to receive the result.
    pub result_delivery: ResultDelivery,
    /// When a national record of it was first delivered (QĐ 766 1.4, 3.3).
    pub synced_at: Option<DateTimeUtc>,
    /// A fee of it was paid through the payment gateway (QĐ 766 3.6).
    pub paid_online: bool,
    /// Its documents, and those of them reused from the applicant's store (QĐ 766 4.2, 4.3).
    pub documents: i32,
    pub reused_documents: i32,
    /// Its rating has some criterion "Không hài lòng"; none while it is not rated (QĐ 766 5.4).
    pub rating_dislike: Option<bool>,
    /// Its rating's answers, `criterion:level` by criterion, comma-separated; none while it is not rated.
    pub rating_answers: Option<String>,
    /// The time it waited for supplements between reception and the end of processing (QĐ 766 2.2).
    pub supplement_seconds: i64,
    /// The time rules in force when it was submitted (`sla::rules::Rules` as JSON); none from before they were kept.
    #[sea_orm(column_type = "Text", nullable)]
    pub sla_rules: Option<String>,
    /// The sequence number of the dossier's latest history entry.
    pub event_seq: i32,
    /// Bumped by every change; a change names the version it started from.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::procedure::Entity",
        from = "Column::ProcedureId",
        to = "super::procedure::Column::Id"
    )]
    Procedure,
}

impl Related<super::procedure::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Procedure.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
