//! A fee paid at the one-stop desk (cash or card at the counter), recorded
//! by the officer with the number of the receipt they gave: the dossier is
//! then paid as if through the gateway, and a workflow waiting for the fee
//! moves on in the same transaction. It does not count as paid online
//! (QĐ 766 indicator 3.6).

use chrono::{DateTime, Utc};
use entity::{dossier, payment};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::PaymentStatus;
use crate::audit::{self, Actor};
use crate::catalogue::model::Vnd;
use crate::context::Context;
use crate::error::{AppError, FieldError};

/// Records that the applicant of `d` paid what it owes at the counter, against receipt `receipt_no`.
pub async fn record(
    cx: &Context,
    d: &dossier::Model,
    receipt_no: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<payment::Model, AppError> {
    let receipt_no = crate::text::nfc(receipt_no.trim());
    if receipt_no.is_empty() || receipt_no.chars().count() > 64 || !crate::text::is_one_line(&receipt_no) {
        return Err(AppError::Validation(vec![FieldError::new("receipt_no", "required")]));
    }
    let status = Some(d.status);
    if status.is_none_or(|s| s == crate::dossier::DossierStatus::Draft || s.is_closed()) {
        return Err(AppError::Conflict("no fee can be paid for this dossier now".into()));
    }
    let txn = crate::db::begin_write(&cx.db).await?;
    // Hold the dossier's row first, so that of two officers recording at once
    // the second reads what the first paid.
    dossier::Entity::update_many()
        .col_expr(dossier::Column::EventSeq, Expr::col(dossier::Column::EventSeq))
        .filter(dossier::Column::Id.eq(d.id))
        .exec(&txn)
        .await?;
    let owed = crate::dossier::money::owed_now(&txn, d).await?;
    if owed == 0 {
        return Err(AppError::Conflict("nothing is owed".into()));
    }
    let code = d.code.clone().unwrap_or_default();
    let note = format!("Thu phí, lệ phí tại Bộ phận Một cửa: {} (biên lai số {receipt_no})", Vnd(owed));
    let seq = super::settle::history(&txn, d, "payment_paid", &note, actor, now).await?;
    let paid = payment::ActiveModel {
        dossier_id: Set(d.id),
        txn_ref: Set(format!("TQ{}", super::start::txn_ref(now).trim_start_matches("MC"))),
        amount_vnd: Set(owed),
        status: Set(PaymentStatus::Paid),
        order_info: Set(format!("Thu tai quay ho so {code}, bien lai so {receipt_no}")),
        created_at: Set(now),
        expires_at: Set(now),
        settled_at: Set(Some(now)),
        gateway_txn_no: Set(Some(receipt_no.clone())),
        bank_code: Set(Some("TAI_QUAY".into())),
        response_code: Set(Some("00".into())),
        pay_date: Set(Some(now)),
        refund_status: Set(super::RefundStatus::None),
        refunded_vnd: Set(0),
        overpaid_vnd: Set(0),
        created_by: Set(actor.id),
        method: Set(super::PaymentMethod::Counter),
        version: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let detail = serde_json::json!({"amount_vnd": owed, "receipt_no": receipt_no});
    audit::record(&txn, actor, "payment.counter", &paid.txn_ref, detail, now).await?;
    crate::dossier::lifecycle::sync_now(&txn, d, seq, &cx.settings.public_url, now).await?;
    crate::dossier::receive::fee_paid(&txn, cx, d, &note, now).await?;
    txn.commit().await?;
    Ok(paid)
}
