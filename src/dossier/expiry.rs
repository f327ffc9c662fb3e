//! Closing dossiers whose supplement never came: 15 working days (the
//! policy's setting) after the request, the dossier stops (REGULATIONS §2.1
//! step 3: the officer closes it; national status 8). Each dossier closes
//! in its own transaction under its version, so an applicant answering at
//! the same moment either wins (the dossier goes on) or finds it closed.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::lifecycle::{self, Event};
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::context::Context;
use crate::error::AppError;
use crate::workflow::model::Outcome;

const BATCH: u64 = 500;

/// Closes the dossiers whose supplement was due before `now`; returns how many.
pub async fn close_unanswered(state: &Context, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut closed = 0;
    loop {
        let due = dossier::Entity::find()
            .filter(dossier::Column::Status.eq(DossierStatus::AwaitingSupplement))
            .filter(dossier::Column::SupplementDueAt.lt(now))
            .order_by_asc(dossier::Column::SupplementDueAt)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        let seen = due.len();
        for d in due {
            match close(state, &d, now).await {
                Ok(()) => closed += 1,
                // Answered or closed by someone else meanwhile.
                Err(AppError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if seen < BATCH as usize {
            return Ok(closed);
        }
    }
}

async fn close(state: &Context, d: &dossier::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let p = crate::catalogue::revisions::of_dossier(&state.db, d).await?;
    let wf = super::process::workflow_of(&state.db, d).await?;
    // The workflow's own "stopped" end, where it has one, keeps its history readable.
    let end = wf.as_ref().and_then(|wf| wf.states.iter().find(|s| s.outcome == Some(Outcome::Stopped)));
    let asked = d.supplement_request.clone().unwrap_or_default();
    let note = format!(
        "Quá {} ngày làm việc không nhận được hồ sơ bổ sung; hồ sơ dừng giải quyết.\nĐã yêu cầu: {asked}",
        crate::sla_rules::rules_of(d, &state.settings).supplement_timeout_days
    );
    let txn = crate::db::begin_write(&state.db).await?;
    let event = Event::SupplementTimeout { note: note.clone(), end_state: end.map(|s| s.key.clone()) };
    let actor = Actor::system("quá hạn bổ sung hồ sơ");
    let changed = lifecycle::change(&txn, d, event, &actor, &state.settings.public_url, now).await?;
    let extra = [("step", "Dừng giải quyết do quá hạn bổ sung hồ sơ".to_owned()), ("note", note.clone())];
    crate::notify::dossier::notify_applicant(&txn, state, "dossier_step", &changed, &p, &extra, false, now).await?;
    crate::rating::invite::send(&txn, state, &changed, &p, now).await?;
    txn.commit().await?;
    Ok(())
}
