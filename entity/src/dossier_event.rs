//! One entry of a dossier's history: who did what, when, from which status to which.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "dossier_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// The dossier's own order of its events (1, 2, …), written by the change.
    pub seq: i32,
    pub kind: Kind,
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    pub actor_label: String,
    /// The role the official acted in (reception, specialist, leader), for the control slip.
    pub actor_role: Option<String>,
    /// What the history shows was done: the kind, or for a payment its outcome (`payment_paid`).
    pub action: String,
    /// The workflow file's action key, for a workflow step.
    pub step_action: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    /// The workflow states moved between, for processing steps.
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

/// What kind of change an entry records: a closed list, stored as its string.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, serde::Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[sea_orm(string_value = "submit")]
    Submit,
    #[sea_orm(string_value = "receive")]
    Receive,
    #[sea_orm(string_value = "refuse")]
    Refuse,
    /// Found complete, but the fee due with it is unpaid: received once it is paid.
    #[sea_orm(string_value = "await_fee")]
    AwaitFee,
    #[sea_orm(string_value = "request_supplement")]
    RequestSupplement,
    #[sea_orm(string_value = "answer_supplement")]
    AnswerSupplement,
    #[sea_orm(string_value = "withdraw")]
    Withdraw,
    /// A step of the dossier's workflow; `step_action` names it.
    #[sea_orm(string_value = "step")]
    Step,
    #[sea_orm(string_value = "supplement_timeout")]
    SupplementTimeout,
    #[sea_orm(string_value = "apology")]
    Apology,
    #[sea_orm(string_value = "reassign")]
    Reassign,
    /// An official takes a dossier from the unit's pool.
    #[sea_orm(string_value = "claim")]
    Claim,
    #[sea_orm(string_value = "comment")]
    Comment,
    #[sea_orm(string_value = "payment")]
    Payment,
    #[sea_orm(string_value = "refund")]
    Refund,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
