//! One attempt to pay a dossier's fees at the gateway, and its refund.

use sea_orm::entity::prelude::*;

use crate::db_enum;

db_enum! {
    pub enum PaymentStatus {
        Pending = "pending",
        Paid = "paid",
        Failed = "failed",
        Cancelled = "cancelled",
        Expired = "expired",
    }
}

db_enum! {
    pub enum RefundStatus {
        None = "none",
        Requested = "requested",
        Refunded = "refunded",
        Failed = "failed",
    }
}

db_enum! {
    pub enum PaymentMethod {
        /// Paid online through the gateway.
        Gateway = "gateway",
        /// Cash or card at the one-stop desk, recorded by an officer.
        Counter = "counter",
    }
}

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
    pub status: PaymentStatus,
    pub order_info: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
    pub gateway_txn_no: Option<String>,
    pub bank_code: Option<String>,
    pub response_code: Option<String>,
    pub pay_date: Option<DateTimeUtc>,
    /// `none`, `requested`, `refunded` or `failed`.
    pub refund_status: RefundStatus,
    pub refunded_vnd: i64,
    /// What this payment took beyond what the dossier owed (refunded).
    pub overpaid_vnd: i64,
    pub refund_requested_at: Option<DateTimeUtc>,
    pub refunded_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    /// `gateway` (paid online) or `counter` (cash or card at the one-stop desk, recorded by an officer).
    pub method: PaymentMethod,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
