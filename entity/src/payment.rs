//! One attempt to pay a dossier's fees at the gateway, and its refund.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "payment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    /// `vnp_TxnRef`: unique, never reused.
    #[sea_orm(unique)]
    pub txn_ref: String,
    /// Whole đồng.
    pub amount_vnd: i64,
    /// `pending`, `paid`, `failed`, `cancelled` or `expired`.
    pub status: String,
    pub order_info: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
    pub gateway_txn_no: Option<String>,
    pub bank_code: Option<String>,
    pub response_code: Option<String>,
    pub pay_date: Option<DateTimeUtc>,
    /// `none`, `requested`, `refunded` or `failed`.
    pub refund_status: String,
    pub refunded_vnd: i64,
    /// What this payment took beyond what the dossier owed (refunded).
    pub overpaid_vnd: i64,
    pub refund_requested_at: Option<DateTimeUtc>,
    pub refunded_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    /// `gateway` (paid online) or `counter` (cash or card at the one-stop desk, recorded by an officer).
    pub method: String,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
