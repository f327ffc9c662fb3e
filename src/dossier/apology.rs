//! The apology and new appointment (form 04 of TT 03/2025/TT-VPCP): when a
//! dossier will be late, the agency's leader apologises, says why and gives
//! a new date. The date moves once only; an apology later than the lead the
//! rules ask for (one working day before the deadline) is recorded as late.

use chrono::{DateTime, NaiveDate, Utc};
use entity::dossier;

use super::lifecycle::{self, Event};
use crate::audit::Actor;
use crate::auth::principal::Principal;
use crate::context::Context;
use crate::error::{AppError, FieldError};
use crate::sla::local_time;

fn invalid(field: &str, code: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

/// The leader `who` apologises for dossier `d` (read at `version`) and moves
/// its appointment to the end of office hours on `new_day`.
#[allow(clippy::too_many_arguments)]
pub async fn apologise(
    state: &Context,
    d: &dossier::Model,
    version: i32,
    who: &Principal,
    actor: &Actor,
    reason: &str,
    new_day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    super::handover::leader_may_act(who, d, version)?;
    let status = d.status;
    let Some(old_due) = d.due_at.filter(|_| d.received_at.is_some() && !status.is_closed()) else {
        return Err(AppError::Conflict("only a dossier being processed has an appointment to move".into()));
    };
    if d.rescheduled_from.is_some() {
        return Err(invalid("new_due", "rescheduled_once"));
    }
    let reason = crate::text::nfc(reason.trim());
    if reason.chars().count() < 5 {
        return Err(invalid("reason", "required"));
    }
    let (time, cal) = crate::sla_rules::of_dossier::of(&state.db, &state.settings, d).await?;
    if !cal.is_working_day(new_day) {
        return Err(invalid("new_due", "not_working_day"));
    }
    // The new date is a later working day than the old deadline's (form 04
    // proposes another day); the same day at a later hour is no new date.
    let new_due = local_time::to_utc(cal.closing(new_day));
    if new_day <= local_time::to_local(old_due).date() || new_due <= now {
        return Err(invalid("new_due", "not_later"));
    }
    let late = super::policy::apology_late(&cal, &time, now, old_due);
    let note = format!(
        "Xin lỗi và hẹn lại ngày trả kết quả: {} (hẹn cũ: {}).\nLý do: {reason}",
        super::receipt::moment_vi(new_due),
        super::receipt::moment_vi(old_due)
    );
    let txn = crate::db::begin_write(&state.db).await?;
    let event = Event::Apology { new_due, late, note: note.clone() };
    let changed = lifecycle::change(&txn, d, event, &actor.in_role("leader"), &state.settings.public_url, now).await?;
    let p = crate::catalogue::revisions::of_dossier(&txn, d).await?;
    let extra = [
        ("reason", reason.clone()),
        ("old_due", super::receipt::moment_vi(old_due)),
        ("new_due", super::receipt::moment_vi(new_due)),
    ];
    crate::notify::dossier::notify_applicant(&txn, state, "dossier_apology", &changed, &p, &extra, false, now).await?;
    txn.commit().await?;
    Ok(changed)
}
