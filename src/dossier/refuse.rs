//! Refusal to receive (form 03 of TT 03/2025/TT-VPCP, "Phiếu từ chối tiếp
//! nhận giải quyết hồ sơ"): only before reception, always with the reason.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::sea_query::Expr;

use super::change::{self, Change};
use super::status::DossierStatus;
use crate::app::AppState;
use crate::audit::Actor;
use crate::catalogue::view::ProcedureView;
use crate::error::{AppError, FieldError};
use crate::notify::dossier as mail;

pub async fn refuse(
    db: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    d: &dossier::Model,
    p: &ProcedureView,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let reason = crate::text::nfc(reason.trim());
    if reason.chars().count() < 5 {
        return Err(AppError::Validation(vec![FieldError::new("note", "required")]));
    }
    if d.status != DossierStatus::Submitted.as_str() {
        return Err(AppError::Conflict("only a dossier not yet received can be refused".into()));
    }
    let change = Change {
        from_state: None,
        to_state: None,
        action: "refuse",
        to: DossierStatus::Refused,
        note: &reason,
        also: vec![(dossier::Column::ClosedAt, Expr::value(now))],
    };
    let changed = change::apply(db, d, change, actor, now).await?;
    crate::payment::refund::request(db, &changed, p.record.fee_refundable, actor, now).await?;
    mail::notify_applicant(db, state, "dossier_refused", &changed, p, &[("reason", reason)], false, now).await?;
    Ok(changed)
}
