//! Reconciliation: payments still pending some minutes after they began
//! are asked about at the gateway and settled as it says (a dropped IPN
//! loses nothing); those the gateway never saw are closed once expired.
//! Refunds waiting for the gateway are sent (again). Safe to run on several
//! portal processes and alongside a late IPN: settling is once only.

use chrono::{DateTime, Duration, Utc};
use entity::payment;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::PaymentStatus;
use super::settle::{self, Report};
use super::vnpay;
use crate::audit::{self, Actor};
use crate::context::Context;
use crate::error::AppError;

const BATCH: u64 = 200;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReconcileReport {
    pub asked: usize,
    pub settled: usize,
    pub expired: usize,
    pub refunded: usize,
}

pub async fn run(state: &Context, now: DateTime<Utc>) -> Result<ReconcileReport, AppError> {
    let mut report = ReconcileReport::default();
    let since = now - Duration::minutes(state.settings.payment.reconcile_after_minutes);
    let pending = payment::Entity::find()
        .filter(payment::Column::Status.eq(PaymentStatus::Pending.as_str()))
        .filter(payment::Column::CreatedAt.lte(since))
        .order_by_asc(payment::Column::CreatedAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    let actor = Actor::system("đối soát thanh toán");
    for p in pending {
        report.asked += 1;
        match ask(state, &p, &actor, p.expires_at <= now, now).await? {
            Asked::Settled => report.settled += 1,
            Asked::Closed => report.expired += 1,
            Asked::Open => {}
        }
    }
    report.refunded = super::refund::send_requested(state, now).await?;
    Ok(report)
}

/// What asking the gateway about a pending payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// The gateway had finished it: settled as it says.
    Settled,
    /// The gateway never saw it paid, and it was closed (`close` was asked).
    Closed,
    /// Still open: not to be closed yet, or the gateway could not be asked.
    Open,
}

/// Asks the gateway (`querydr`) about the pending payment `p` and settles
/// it as the gateway says; one the gateway has not seen paid is closed as
/// expired when `close` (past its time, or the payer starts another).
pub async fn ask(
    state: &Context,
    p: &payment::Model,
    actor: &Actor,
    close: bool,
    now: DateTime<Utc>,
) -> Result<Asked, AppError> {
    let answer = match super::gateway::querydr(&state.http, &state.settings.payment, p, now).await {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(txn_ref = %p.txn_ref, error = %e, "querydr failed; asked again next time");
            return Ok(Asked::Open);
        }
    };
    let code = answer["vnp_ResponseCode"].as_str().unwrap_or_default();
    let status = answer["vnp_TransactionStatus"].as_str().unwrap_or_default();
    match (code, status) {
        // Known and finished at the gateway: settle as it says (amount checked first).
        ("00", "00" | "02") => {
            if vnpay::parse_amount(answer["vnp_Amount"].as_str().unwrap_or_default()) != Some(p.amount_vnd) {
                tracing::error!(txn_ref = %p.txn_ref, "the gateway reports another amount; left for a person");
                return Ok(Asked::Open);
            }
            let r = Report {
                outcome: if status == "00" { vnpay::Outcome::Paid } else { vnpay::Outcome::Failed },
                response_code: if status == "00" { "00".into() } else { "99".into() },
                transaction_no: answer["vnp_TransactionNo"].as_str().unwrap_or_default().into(),
                bank_code: answer["vnp_BankCode"].as_str().unwrap_or_default().into(),
                pay_date: vnpay::parse_time(answer["vnp_PayDate"].as_str().unwrap_or_default()),
            };
            Ok(if settle::settle(state, p, &r, actor, now).await? { Asked::Settled } else { Asked::Open })
        }
        // Not found, or never finished: the payer did not pay (a late payment is still taken, see settle).
        _ if close && expire(state, p, actor, now).await? => Ok(Asked::Closed),
        _ => Ok(Asked::Open),
    }
}

async fn expire(state: &Context, p: &payment::Model, actor: &Actor, now: DateTime<Utc>) -> Result<bool, AppError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let changed = payment::Entity::update_many()
        .col_expr(payment::Column::Status, Expr::value(PaymentStatus::Expired.as_str()))
        .col_expr(payment::Column::SettledAt, Expr::value(Some(now)))
        .filter(payment::Column::Id.eq(p.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Pending.as_str()))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    let d = entity::dossier::Entity::find_by_id(p.dossier_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let note = format!("Giao dịch thanh toán {} hết hạn, chưa thanh toán", p.txn_ref);
    settle::history(&txn, &d, "payment_expired", &note, actor, now).await?;
    audit::record(&txn, actor, "payment.expire", &p.txn_ref, serde_json::json!({}), now).await?;
    txn.commit().await?;
    Ok(true)
}
