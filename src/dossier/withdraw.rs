//! Withdrawal at the applicant's request (status 7, "Công dân yêu cầu rút
//! hồ sơ"), allowed until the result is ready.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::sea_query::Expr;

use super::change::{self, Change};
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::error::AppError;

pub async fn withdraw(
    db: &impl sea_orm::ConnectionTrait,
    d: &dossier::Model,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let allowed = DossierStatus::parse(&d.status).is_some_and(DossierStatus::withdrawable);
    if !allowed {
        return Err(AppError::Conflict("the dossier can no longer be withdrawn".into()));
    }
    let reason = crate::text::nfc(reason.trim());
    let change = Change {
        from_state: None,
        to_state: None,
        action: "withdraw",
        to: DossierStatus::Withdrawn,
        note: &reason,
        also: vec![(dossier::Column::ClosedAt, Expr::value(now))],
    };
    let changed = change::apply(db, d, change, actor, now).await?;
    let p = crate::catalogue::view::by_id(db, d.procedure_id).await?;
    crate::payment::refund::request(db, &changed, p.record.fee_refundable, actor, now).await?;
    Ok(changed)
}
