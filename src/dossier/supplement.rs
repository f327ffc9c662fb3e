//! Requests for supplement (yêu cầu bổ sung, hoàn thiện hồ sơ; form 02 of
//! TT 03/2025/TT-VPCP): the officials say, once and completely, what is
//! missing; the applicant answers with documents and the dossier goes back
//! to where it was (NĐ 118/2025/NĐ-CP; REGULATIONS §2.1, steps 2, 3 and 6).

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

/// Asks the applicant of `d` for `what`, in the transaction `db`.
pub async fn request(
    db: &impl sea_orm::ConnectionTrait,
    state: &AppState,
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
    let from = DossierStatus::parse(&d.status);
    if !matches!(from, Some(DossierStatus::Submitted | DossierStatus::Received | DossierStatus::InProgress)) {
        return Err(AppError::Conflict("no supplement can be asked now".into()));
    }
    let cal = crate::work_calendar::load(db, &state.settings.office_hours).await?;
    let mut also = asked(&cal, state, d, now);
    also.extend([
        (dossier::Column::SupplementRequest, Expr::value(what.clone())),
        (dossier::Column::ResumeStatus, Expr::value(d.status.clone())),
    ]);
    let note = super::policy::supplement_note(d.supplement_count + 1, &what);
    let change = Change {
        from_state: None,
        to_state: None,
        action: "request_supplement",
        to: DossierStatus::AwaitingSupplement,
        note: &note,
        also,
    };
    let changed = change::apply(db, d, change, actor, now).await?;
    mail::notify_applicant(db, state, "dossier_supplement", &changed, p, &[("request", what)], false, now).await?;
    Ok(changed)
}

/// The columns every supplement request sets: one more round, and the
/// moment the dossier closes if the answer does not come.
pub fn asked(
    cal: &crate::sla::Calendar,
    state: &AppState,
    d: &dossier::Model,
    now: DateTime<Utc>,
) -> Vec<(dossier::Column, sea_orm::sea_query::SimpleExpr)> {
    vec![
        (dossier::Column::SupplementCount, Expr::value(d.supplement_count + 1)),
        (
            dossier::Column::SupplementDueAt,
            Expr::value(Some(super::policy::supplement_due(cal, &state.settings.policies, now))),
        ),
    ]
}

/// The applicant has added what was asked (the caller attached the files):
/// the dossier goes back to the officials.
pub async fn answer(
    db: &impl sea_orm::ConnectionTrait,
    d: &dossier::Model,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    if d.status != DossierStatus::AwaitingSupplement.as_str() {
        return Err(AppError::Conflict("nothing is asked of this dossier".into()));
    }
    let back = d.resume_status.as_deref().and_then(DossierStatus::parse).unwrap_or(DossierStatus::Submitted);
    let note = crate::text::nfc(note.trim());
    let change = Change {
        from_state: None,
        to_state: None,
        action: "answer_supplement",
        to: back,
        note: &note,
        also: vec![
            (dossier::Column::SupplementRequest, Expr::value(Option::<String>::None)),
            (dossier::Column::ResumeStatus, Expr::value(Option::<String>::None)),
            (dossier::Column::SupplementDueAt, Expr::value(Option::<DateTime<Utc>>::None)),
        ],
    };
    change::apply(db, d, change, actor, now).await
}

/// The round number of the next supplement's files.
pub async fn next_round(db: &impl sea_orm::ConnectionTrait, d: &dossier::Model) -> Result<i32, AppError> {
    let events = super::history::of(db, d.id).await?;
    Ok(i32::try_from(events.iter().filter(|e| e.action == "request_supplement").count()).unwrap_or(i32::MAX))
}
