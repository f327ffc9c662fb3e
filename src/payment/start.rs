//! Starting a payment: the amount still owed, a fresh transaction
//! reference and an expiry, recorded before the payer leaves for the
//! gateway; the signed address of the gateway's payment page.

use chrono::{DateTime, Duration, Utc};
use entity::{dossier, payment};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, SqlErr};

use super::vnpay::{self, Params};
use super::{PaymentStatus, RETURN_PATH};
use crate::audit::{self, Actor};
use crate::catalogue::model::Vnd;
use crate::context::Context;
use crate::dossier::DossierStatus;
use crate::error::AppError;

/// The gateway's payment page for `p`, signed.
pub fn pay_url(state: &Context, p: &payment::Model, ip: &str) -> String {
    let s = &state.settings.payment;
    let params: Params = [
        ("vnp_Version", vnpay::VERSION.to_owned()),
        ("vnp_Command", "pay".to_owned()),
        ("vnp_TmnCode", s.tmn_code.clone()),
        ("vnp_Amount", vnpay::amount_field(p.amount_vnd)),
        ("vnp_CurrCode", "VND".to_owned()),
        ("vnp_Locale", "vn".to_owned()),
        ("vnp_OrderInfo", p.order_info.clone()),
        ("vnp_OrderType", "other".to_owned()),
        ("vnp_TxnRef", p.txn_ref.clone()),
        ("vnp_IpAddr", if ip.is_empty() { "127.0.0.1".to_owned() } else { ip.to_owned() }),
        ("vnp_ReturnUrl", format!("{}{RETURN_PATH}", state.settings.public_url)),
        ("vnp_CreateDate", vnpay::time(p.created_at)),
        ("vnp_ExpireDate", vnpay::time(p.expires_at)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    format!("{}?{}", s.pay_url, vnpay::signed_query(&params, &s.hash_secret))
}

/// "MC" + the Hà Nội date and time + random digits: unique, and never reused.
pub(super) fn txn_ref(now: DateTime<Utc>) -> String {
    let stamp = crate::sla::local_time::to_local(now).format("%y%m%d%H%M%S");
    format!("MC{stamp}{:06}", crate::random::below(1_000_000))
}

/// Whether the open order `p` can still take the payment of `owed`.
fn usable(p: &payment::Model, owed: i64, now: DateTime<Utc>) -> bool {
    p.expires_at > now && p.amount_vnd == owed
}

/// The payment to send the payer of `d` to: the open order while it is still
/// good (two clicks, two tabs: the same order), else a new one for what is
/// owed. A dossier has at most one open order — checked in the write
/// transaction and enforced by a unique index on both engines; an open order
/// the payer left (expired, or for an amount no longer owed) is first asked
/// about at the gateway, settled if it was paid, else closed.
pub async fn start(
    state: &Context,
    d: &dossier::Model,
    fee_total: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<payment::Model, AppError> {
    let status = d.status;
    if matches!(status, DossierStatus::Draft) || status.is_closed() {
        return Err(AppError::Conflict("no fee can be paid for this dossier now".into()));
    }
    if let Some(open) = super::open_order(&state.db, d.id).await? {
        if usable(&open, super::owed_vnd(&state.db, d.id, fee_total).await?, now) {
            return Ok(open);
        }
        super::reconcile::ask(state, &open, actor, true, now).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let owed = super::owed_vnd(&txn, d.id, fee_total).await?;
    if owed == 0 {
        return Err(AppError::Conflict("nothing is owed".into()));
    }
    if let Some(open) = super::open_order(&txn, d.id).await? {
        txn.rollback().await?;
        return match usable(&open, owed, now) {
            true => Ok(open),
            false => Err(AppError::Conflict("an earlier payment is still being confirmed; try again shortly".into())),
        };
    }
    let code = d.code.clone().unwrap_or_default();
    let inserted = payment::ActiveModel {
        dossier_id: Set(d.id),
        txn_ref: Set(txn_ref(now)),
        amount_vnd: Set(owed),
        status: Set(PaymentStatus::Pending),
        order_info: Set(vnpay::plain(&format!("Thanh toan phi, le phi ho so {code}"))),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(state.settings.payment.expire_minutes)),
        refund_status: Set(super::RefundStatus::None),
        refunded_vnd: Set(0),
        overpaid_vnd: Set(0),
        created_by: Set(actor.id),
        method: Set(super::PaymentMethod::Gateway),
        version: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(created) => created,
        // PostgreSQL: a concurrent click inserted first (the unique index); go with its order.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            let open = super::open_order(&state.db, d.id).await?;
            return open.filter(|p| usable(p, owed, now)).ok_or_else(|| AppError::Conflict("try again".into()));
        }
        Err(e) => return Err(e.into()),
    };
    let note = format!("Khởi tạo thanh toán {} — {} (mã giao dịch {})", code, Vnd(owed), created.txn_ref);
    super::settle::history(&txn, d, "payment_started", &note, actor, now).await?;
    audit::record(&txn, actor, "payment.start", &created.txn_ref, serde_json::json!({"amount_vnd": owed}), now).await?;
    txn.commit().await?;
    Ok(created)
}
