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
use crate::context::{Context, Rules};
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
    if super::process::in_processing(d) || d.status != DossierStatus::Submitted {
        return Err(AppError::Conflict(
            "a dossier being processed is asked for a supplement by its workflow's step".into(),
        ));
    }
    let (time, cal) = crate::sla_rules::of_dossier::of(db, &rules.settings, d).await?;
    let closes_at = super::policy::supplement_due(&cal, &time, now);
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
    let (time, cal) = crate::sla_rules::of_dossier::of(db, &rules.settings, d).await?;
    let accept_due_at = super::policy::accept_due(&cal, &time, now);
    let event = Event::AnswerCorrection { note: crate::text::nfc(note.trim()), accept_due_at };
    lifecycle::change(db, d, event, actor, &rules.settings.public_url, now).await
}

/// The round the answer's files belong to: the request being answered.
pub fn answer_round(d: &dossier::Model) -> i32 {
    d.supplement_count
}

/// Who hands the answer to a request for supplement in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandedIn {
    /// The applicant, on the portal.
    Online,
    /// A walk-in applicant of a counter dossier brought the papers; a
    /// reception officer of the agency scans them and records the answer
    /// for them (NĐ 118/2025/NĐ-CP: the supplement is handed in where the
    /// dossier was filed).
    AtCounter,
}

/// The applicant answers the request for supplement of `d` (read at
/// `version`) with the documents asked for and a note: the documents and the
/// dossier's way back (the workflow's own action from this step, or back to
/// reception for a desk request) are written in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn answer_with_documents(
    cx: &Context,
    d: &dossier::Model,
    version: i32,
    who: &crate::auth::principal::Principal,
    actor: &Actor,
    handed_in: HandedIn,
    note: &str,
    change: super::document_changes::Change<'_>,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    use super::document_changes;
    use crate::workflow::model::WfRole;
    if d.status != DossierStatus::AwaitingSupplement {
        return Err(AppError::Conflict("nothing is asked of this dossier".into()));
    }
    if version != d.version {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    // At the counter the officer acts for the applicant: the workflow's applicant
    // step, with the scans kept as the counter intake keeps them.
    let (roles, owner, actor) = match handed_in {
        HandedIn::Online => (super::process::roles_of(who, d), who.id, actor.clone()),
        HandedIn::AtCounter => {
            if !who.has_role(crate::auth::role::Role::Reception) || who.unit_id != Some(d.agency_id) {
                return Err(AppError::Forbidden);
            }
            if d.channel != super::Channel::Counter {
                return Err(AppError::Conflict("an online applicant answers on the portal".into()));
            }
            (vec![WfRole::Applicant], d.created_by, actor.in_role("reception"))
        }
    };
    if change.files.is_empty() && change.reuse.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("documents", "required_document")]));
    }
    let p = crate::catalogue::revisions::of_dossier(&cx.db, d).await?;
    let slots = super::documents::slots(&p);
    let prepared = document_changes::prepare(cx, d, &slots, change, owner).await?;
    let written = async {
        // A step reads the catalogue's version before its transaction (see `process::act`).
        let catalogue = match super::process::in_processing(d) {
            true => Some(cx.procedures.counter(&cx.db).await?),
            false => None,
        };
        let txn = crate::db::begin_write(&cx.db).await?;
        document_changes::write(&txn, d, &slots, &prepared, owner, answer_round(d), now).await?;
        let workflow = match catalogue {
            Some(catalogue) => super::process::workflow_of(&txn, d).await?.map(|wf| (catalogue, wf)),
            None => None,
        };
        let changed = match workflow {
            // In a workflow, the applicant's way back is the workflow's own action from this step.
            Some((catalogue, wf)) => {
                let state = d.workflow_state.clone().unwrap_or_default();
                let action = crate::workflow::engine::available(&wf, &state, &roles).first().map(|a| a.key.clone());
                let action = action.ok_or_else(|| AppError::Conflict("nothing is asked of this dossier".into()))?;
                let given = super::process::Given { note: note.to_owned(), ..Default::default() };
                super::process::act_as(&txn, cx, catalogue, d, version, &roles, &actor, &action, &given, now).await?
            }
            None => answer(&txn, cx, d, note, &actor, now).await?,
        };
        txn.commit().await?;
        Ok::<_, AppError>(changed)
    }
    .await;
    match written {
        Ok(changed) => Ok(changed),
        Err(e) => {
            document_changes::abandon(cx, prepared).await;
            Err(e)
        }
    }
}
