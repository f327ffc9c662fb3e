//! Refusal to receive (form 03 of TT 03/2025/TT-VPCP, "Phiếu từ chối tiếp
//! nhận giải quyết hồ sơ"): only before reception, always with the reason.

use chrono::{DateTime, Utc};
use entity::dossier;

use super::lifecycle::{self, Event};
use crate::audit::Actor;
use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::error::{AppError, FieldError};
use crate::notify::dossier as mail;

pub async fn refuse(
    db: &impl sea_orm::ConnectionTrait,
    rules: &Rules,
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
    let event = Event::Refuse { reason: reason.clone() };
    let changed = lifecycle::change(db, d, event, actor, &rules.settings.public_url, now).await?;
    crate::payment::refund::request(db, &changed, p.record.fee_refundable, actor, now).await?;
    mail::notify_applicant(db, rules, "dossier_refused", &changed, p, &[("reason", reason)], false, now).await?;
    Ok(changed)
}
