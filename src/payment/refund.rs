//! Refunds: when a paid dossier is refused or withdrawn and its procedure
//! returns the fee, its paid payments are marked for refund in the same
//! transaction as the refusal; `send_requested` asks the gateway and
//! records the answer, again and again until the gateway has it.

use chrono::{DateTime, Utc};
use entity::{dossier, payment};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::settle;
use super::{PaymentStatus, RefundStatus};
use crate::audit::{self, Actor};
use crate::catalogue::model::Vnd;
use crate::context::Context;
use crate::error::AppError;

/// Marks the paid payments of `d` for refund, in the caller's transaction; returns how many.
pub async fn request(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    refundable: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    if !refundable {
        return Ok(0);
    }
    let marked = payment::Entity::update_many()
        .col_expr(payment::Column::RefundStatus, Expr::value(RefundStatus::Requested.as_str()))
        .col_expr(payment::Column::RefundRequestedAt, Expr::value(Some(now)))
        .filter(payment::Column::DossierId.eq(d.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Paid.as_str()))
        .filter(payment::Column::RefundStatus.eq(RefundStatus::None))
        .exec_with_returning(db)
        .await?;
    for p in &marked {
        let note =
            format!("Đề nghị hoàn trả {} (mã giao dịch {})", crate::catalogue::model::Vnd(p.amount_vnd), p.txn_ref);
        settle::history(db, d, "refund_requested", &note, actor, now).await?;
        audit::record(db, actor, "payment.refund_request", &p.txn_ref, serde_json::json!({}), now).await?;
    }
    Ok(marked.len())
}

const BATCH: u64 = 100;

/// What is returned of `p`: its excess when it overpaid, else all of it.
pub fn refund_amount(p: &payment::Model) -> i64 {
    if p.overpaid_vnd > 0 { p.overpaid_vnd } else { p.amount_vnd }
}

/// Sends the refunds waiting for the gateway; returns how many it took.
pub async fn send_requested(state: &Context, now: DateTime<Utc>) -> Result<usize, AppError> {
    let waiting = payment::Entity::find()
        .filter(payment::Column::RefundStatus.eq(RefundStatus::Requested))
        .order_by_asc(payment::Column::RefundRequestedAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    let actor = Actor::system("hoàn phí");
    let mut done = 0;
    for p in waiting {
        let answer =
            match super::gateway::refund(&state.http, &state.settings.payment, &p, refund_amount(&p), "motcua", now)
                .await
            {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(txn_ref = %p.txn_ref, error = %e, "refund not sent; tried again next time");
                    continue;
                }
            };
        // 00 taken; 94 the gateway has it already (an earlier attempt whose answer was lost).
        let code = answer["vnp_ResponseCode"].as_str().unwrap_or_default().to_owned();
        let (status, note) = match code.as_str() {
            "00" | "94" => {
                (RefundStatus::Refunded, format!("Đã hoàn trả {} (mã giao dịch {})", Vnd(refund_amount(&p)), p.txn_ref))
            }
            "91" | "95" => (
                RefundStatus::Failed,
                format!("Cổng thanh toán từ chối hoàn trả, mã {code} (mã giao dịch {})", p.txn_ref),
            ),
            _ => continue,
        };
        let txn = crate::db::begin_write(&state.db).await?;
        let changed = payment::Entity::update_many()
            .col_expr(payment::Column::RefundStatus, Expr::value(status.as_str()))
            .col_expr(
                payment::Column::RefundedVnd,
                Expr::value(if status == RefundStatus::Refunded { refund_amount(&p) } else { 0 }),
            )
            .col_expr(payment::Column::RefundedAt, Expr::value(Some(now)))
            .filter(payment::Column::Id.eq(p.id))
            .filter(payment::Column::RefundStatus.eq(RefundStatus::Requested))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            txn.rollback().await?;
            continue;
        }
        let d = dossier::Entity::find_by_id(p.dossier_id).one(&txn).await?.ok_or(AppError::NotFound)?;
        settle::history(&txn, &d, &format!("refund_{status}"), &note, &actor, now).await?;
        audit::record(&txn, &actor, "payment.refund", &p.txn_ref, serde_json::json!({"code": code}), now).await?;
        txn.commit().await?;
        done += 1;
    }
    Ok(done)
}
