//! Requests for supplement (yêu cầu bổ sung, hoàn thiện hồ sơ; form 02 of
//! TT 03/2025/TT-VPCP): the officials say, once and completely, what is
//! missing; the applicant answers with documents and the dossier goes back
//! to where it was (NĐ 118/2025/NĐ-CP; REGULATIONS §2.1, steps 2, 3 and 6).
//!
//! At the desk, before reception, a request for correction leaves the
//! limit unstarted; once the dossier is received, a supplement is a step of
//! its workflow (`process::act`), which pauses the clock.

use chrono::{DateTime, Utc};
use entity::dossier;

use super::lifecycle::{self, Asked, Event};
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::error::{AppError, FieldError};
use crate::notify::dossier as mail;

/// Asks the applicant of the submitted dossier `d` for `what`, in the transaction `db`.
pub async fn request(
    db: &impl sea_orm::ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    what: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let what = crate::text::nfc(what.trim());
    if what.chars().count() < 5 {
        return Err(AppError::Validation(vec![FieldError::new("note", "required")]));
    }
    if super::process::in_processing(d) || d.status != DossierStatus::Submitted.as_str() {
        return Err(AppError::Conflict(
            "a dossier being processed is asked for a supplement by its workflow's step".into(),
        ));
    }
    let cal = crate::work_calendar::load(db, &rules.settings.office_hours).await?;
    let closes_at = super::policy::supplement_due(&cal, &rules.settings.policies, now);
    let event = Event::RequestCorrection(Asked { what: what.clone(), closes_at });
    let changed = lifecycle::change(db, d, event, actor, &rules.settings.public_url, now).await?;
    mail::notify_applicant(db, rules, "dossier_supplement", &changed, p, &[("request", what)], false, now).await?;
    Ok(changed)
}

/// The applicant has corrected the dossier asked at the desk (the caller
/// attached the files): it goes back to reception, whose 8-hour watch
/// starts again (NĐ 297/2025 Art. 6).
pub async fn answer(
    db: &impl sea_orm::ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let cal = crate::work_calendar::load(db, &rules.settings.office_hours).await?;
    let accept_due_at = super::policy::accept_due(&cal, &rules.settings.policies, now);
    let event = Event::AnswerCorrection { note: crate::text::nfc(note.trim()), accept_due_at };
    lifecycle::change(db, d, event, actor, &rules.settings.public_url, now).await
}

/// The round the answer's files belong to: the request being answered.
pub fn answer_round(d: &dossier::Model) -> i32 {
    d.supplement_count
}
