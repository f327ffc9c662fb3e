//! Online payment of a dossier's fees through a VNPay-style gateway: an
//! attempt (`payment` row) with a unique reference and an expiry, settled
//! exactly once — by the gateway's server-to-server notice (IPN) or by
//! reconciliation asking the gateway (`querydr`), whichever comes first —
//! and refunded when a paid dossier is refused or withdrawn and its
//! procedure returns the fee. Money is whole đồng; every state change goes
//! into the dossier's history and the audit log in its own transaction.

pub mod counter;
pub mod gateway;
pub mod reconcile;
pub mod refund;
pub mod settle;
pub mod start;
pub mod vnpay;

use entity::payment;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::AppError;

/// Where the gateway sends its IPN, under the portal's public address.
pub const IPN_PATH: &str = "/api/v1/thanh-toan/vnpay/ipn";
/// Where the payer's browser comes back.
pub const RETURN_PATH: &str = "/thanh-toan/ket-qua";

pub use entity::payment::{PaymentMethod, PaymentStatus, RefundStatus};

/// The dossier's payments, newest first.
pub async fn of_dossier(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<payment::Model>, AppError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::DossierId.eq(dossier_id))
        .order_by_desc(payment::Column::Id)
        .all(db)
        .await?)
}

/// What has been paid for a dossier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paid {
    /// Paid and not refunded, in đồng.
    pub vnd: i64,
    /// Whether any of it was paid online, through the gateway (the national record tells).
    pub online: bool,
}

/// What has been paid for the dossier, in one statement.
pub async fn paid(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Paid, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back, on both engines.
    let paid: Option<(i64, i32)> = payment::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(amount_vnd - refunded_vnd), 0) AS BIGINT)"), "vnd")
        .column_as(
            Expr::cust("CAST(COALESCE(MAX(CASE WHEN method = 'gateway' THEN 1 ELSE 0 END), 0) AS INTEGER)"),
            "online",
        )
        .filter(payment::Column::DossierId.eq(dossier_id))
        .filter(payment::Column::Status.eq(PaymentStatus::Paid.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(paid.map_or_else(Paid::default, |(vnd, online)| Paid { vnd, online: online == 1 }))
}

/// What has been paid (and not refunded) for the dossier, in đồng.
pub async fn paid_vnd(db: &impl ConnectionTrait, dossier_id: i64) -> Result<i64, AppError> {
    Ok(paid(db, dossier_id).await?.vnd)
}

/// The dossier's open (pending) payment: at most one (a unique index says so).
pub async fn open_order(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Option<payment::Model>, AppError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::DossierId.eq(dossier_id))
        .filter(payment::Column::Status.eq(PaymentStatus::Pending.as_str()))
        .one(db)
        .await?)
}

/// What is still owed on a dossier whose fees total `fee_total`.
pub async fn owed_vnd(db: &impl ConnectionTrait, dossier_id: i64, fee_total: i64) -> Result<i64, AppError> {
    Ok((fee_total - paid_vnd(db, dossier_id).await?).max(0))
}
