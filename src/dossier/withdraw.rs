//! Withdrawal at the applicant's request (status 7, "Công dân yêu cầu rút
//! hồ sơ"), allowed until the result is ready.

use chrono::{DateTime, Utc};
use entity::dossier;

use super::lifecycle::{self, Event};
use crate::audit::Actor;
use crate::error::AppError;

pub async fn withdraw(
    db: &impl sea_orm::ConnectionTrait,
    d: &dossier::Model,
    reason: &str,
    actor: &Actor,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let event = Event::Withdraw { reason: crate::text::nfc(reason.trim()) };
    let changed = lifecycle::change(db, d, event, actor, public_url, now).await?;
    let p = crate::catalogue::revisions::of_dossier(db, d).await?;
    crate::payment::refund::request(db, &changed, p.record.fee_refundable, actor, now).await?;
    Ok(changed)
}
