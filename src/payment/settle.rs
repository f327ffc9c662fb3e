//! Settling a payment exactly once. The gateway's IPN and reconciliation
//! both end here: one UPDATE … WHERE status = 'pending' decides who settles
//! it, and the winner writes the history, the audit entry and the mail in
//! the same transaction. The loser changes nothing and says so.
//!
//! A payment the portal closed as expired (abandoned, or an older order
//! closed before a new one) may still be confirmed by the gateway: money
//! taken is never ignored, so "paid" settles an expired payment too. What a
//! payment takes beyond what the dossier still owes is recorded as an
//! overpayment and marked for refund in the same transaction.

use chrono::{DateTime, Utc};
use entity::{dossier, payment};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::PaymentStatus;
use super::vnpay::{self, IpnAnswer, Outcome, Params};
use crate::audit::{self, Actor};
use crate::context::Context;
use crate::dossier::{DossierStatus, lifecycle};
use crate::error::AppError;
use entity::dossier_event::Kind;

/// What the gateway reported about a payment.
#[derive(Debug, Clone)]
pub struct Report {
    pub outcome: Outcome,
    pub response_code: String,
    pub transaction_no: String,
    pub bank_code: String,
    pub pay_date: Option<DateTime<Utc>>,
}

/// A payment or refund entry in the dossier's history; the dossier's status stays as it is.
pub async fn history(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    action: &str,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let kind = if action.starts_with("refund") { Kind::Refund } else { Kind::Payment };
    lifecycle::record(db, d, kind, action, note, actor, now).await
}

/// Settles `p` as `report` says; `Ok(false)` when it was settled already.
pub async fn settle(
    state: &Context,
    p: &payment::Model,
    report: &Report,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let to = match report.outcome {
        Outcome::Paid => PaymentStatus::Paid,
        Outcome::Cancelled => PaymentStatus::Cancelled,
        Outcome::Failed => PaymentStatus::Failed,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let changed = payment::Entity::update_many()
        .col_expr(payment::Column::Status, Expr::value(to.as_str()))
        .col_expr(payment::Column::SettledAt, Expr::value(Some(now)))
        .col_expr(payment::Column::GatewayTxnNo, Expr::value(Some(report.transaction_no.clone())))
        .col_expr(payment::Column::BankCode, Expr::value(Some(report.bank_code.clone())))
        .col_expr(payment::Column::ResponseCode, Expr::value(Some(report.response_code.clone())))
        .col_expr(payment::Column::PayDate, Expr::value(report.pay_date))
        .col_expr(payment::Column::Version, Expr::col(payment::Column::Version).add(1))
        .filter(payment::Column::Id.eq(p.id))
        .filter(payment::Column::Status.is_in(settleable_from(to)))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    let d = dossier::Entity::find_by_id(p.dossier_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let note = match to {
        PaymentStatus::Paid => format!(
            "Đã thanh toán {} (mã giao dịch {}, số giao dịch cổng thanh toán {}, ngân hàng {})",
            crate::catalogue::model::Vnd(p.amount_vnd),
            p.txn_ref,
            report.transaction_no,
            report.bank_code
        ),
        PaymentStatus::Cancelled => format!("Người nộp hủy thanh toán (mã giao dịch {})", p.txn_ref),
        _ => format!("Thanh toán không thành công, mã lỗi {} (mã giao dịch {})", report.response_code, p.txn_ref),
    };
    let action = format!("payment_{}", to.as_str());
    let seq = history(&txn, &d, &action, &note, actor, now).await?;
    let detail = serde_json::json!({"status": to.as_str(), "response_code": report.response_code,
        "transaction_no": report.transaction_no, "amount_vnd": p.amount_vnd});
    audit::record(&txn, actor, "payment.settle", &p.txn_ref, detail, now).await?;
    if to == PaymentStatus::Paid {
        crate::dossier::facts::payments_changed(&txn, d.id).await?;
        let procedure = crate::catalogue::revisions::of_dossier(&txn, &d).await?;
        // Paid after the dossier was refused or withdrawn (the payer was at the gateway meanwhile): returned.
        let closed_without_result =
            matches!(d.status, DossierStatus::Refused | DossierStatus::Withdrawn | DossierStatus::Stopped);
        if closed_without_result {
            super::refund::request(&txn, &d, procedure.record.fee_refundable, actor, now).await?;
        } else {
            let due = crate::catalogue::fees::due_for(&procedure.record.fees, &d.form_data);
            overpayment(&txn, &d, p, due, actor, now).await?;
        }
        // The national record now carries the payment (QĐ 766 indicator 3.6).
        lifecycle::sync_now(&txn, &d, seq, &state.settings.public_url, now).await?;
        // A workflow waiting for the fee moves on in this transaction: state and clock together.
        if !closed_without_result {
            let moved = crate::dossier::receive::fee_paid(&txn, state, &d, &note, now).await?;
            if let Some(moved) = moved {
                tracing::info!(dossier.code = ?moved.code, state = ?moved.workflow_state, "fee paid: workflow moved on");
            }
        }
        let extra = [("step", "Đã thanh toán phí, lệ phí".to_owned()), ("note", note.clone())];
        crate::notify::dossier::notify_applicant(&txn, state, "dossier_step", &d, &procedure, &extra, false, now)
            .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// The states a payment may be settled from with outcome `to`: an open one,
/// and for "paid" also one the portal closed (the gateway took the money).
fn settleable_from(to: PaymentStatus) -> Vec<&'static str> {
    match to {
        PaymentStatus::Paid => vec![PaymentStatus::Pending.as_str(), PaymentStatus::Expired.as_str()],
        _ => vec![PaymentStatus::Pending.as_str()],
    }
}

/// Records what the just-paid `p` took beyond the dossier's fees `due`
/// (a second order paid, a fee lowered meanwhile) and marks it for refund.
async fn overpayment(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    p: &payment::Model,
    due: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let excess = (super::paid_vnd(txn, d.id).await? - due).clamp(0, p.amount_vnd);
    if excess == 0 {
        return Ok(());
    }
    payment::Entity::update_many()
        .col_expr(payment::Column::OverpaidVnd, Expr::value(excess))
        .col_expr(payment::Column::RefundStatus, Expr::value(super::RefundStatus::Requested.as_str()))
        .col_expr(payment::Column::RefundRequestedAt, Expr::value(Some(now)))
        .filter(payment::Column::Id.eq(p.id))
        .exec(txn)
        .await?;
    let note = format!(
        "Thanh toán thừa {} (mã giao dịch {}): số tiền thừa được hoàn trả",
        crate::catalogue::model::Vnd(excess),
        p.txn_ref
    );
    history(txn, d, "payment_overpaid", &note, actor, now).await?;
    let detail = serde_json::json!({"overpaid_vnd": excess, "due_vnd": due});
    audit::record(txn, actor, "payment.overpaid", &p.txn_ref, detail, now).await
}

/// Answers the gateway's IPN: signature, order, amount, state, then settles.
pub async fn ipn(state: &Context, params: &Params, now: DateTime<Utc>) -> Result<IpnAnswer, AppError> {
    let s = &state.settings.payment;
    if !vnpay::verify(params, &s.hash_secret) || params.get("vnp_TmnCode") != Some(&s.tmn_code) {
        return Ok(IpnAnswer::InvalidSignature);
    }
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let Some(p) = payment::Entity::find().filter(payment::Column::TxnRef.eq(get("vnp_TxnRef"))).one(&state.db).await?
    else {
        return Ok(IpnAnswer::OrderNotFound);
    };
    if vnpay::parse_amount(&get("vnp_Amount")) != Some(p.amount_vnd) {
        return Ok(IpnAnswer::InvalidAmount);
    }
    let report = Report {
        outcome: vnpay::outcome(&get("vnp_ResponseCode"), &get("vnp_TransactionStatus")),
        response_code: get("vnp_ResponseCode"),
        transaction_no: get("vnp_TransactionNo"),
        bank_code: get("vnp_BankCode"),
        pay_date: vnpay::parse_time(&get("vnp_PayDate")),
    };
    let to = if report.outcome == Outcome::Paid { PaymentStatus::Paid } else { PaymentStatus::Failed };
    if !settleable_from(to).contains(&p.status.as_str()) {
        return Ok(IpnAnswer::AlreadyConfirmed);
    }
    let won = settle(state, &p, &report, &Actor::system("cổng thanh toán"), now).await?;
    Ok(if won { IpnAnswer::Confirmed } else { IpnAnswer::AlreadyConfirmed })
}
