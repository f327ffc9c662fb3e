//! Handing a dossier to the next handler: the holder (or, for a pooled
//! step, every official of the unit who can work it) gets a notice, and a
//! holder with an address an e-mail; a leader can give the dossier to
//! another official of the step's role. Both happen in the transaction of
//! the change, so a handover is never told without having happened.

use chrono::{DateTime, Utc};
use entity::{account, dossier};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use super::lifecycle::{self, Event};
use crate::audit::Actor;
use crate::auth::principal::Principal;
use crate::auth::role::Role;
use crate::catalogue::view::ProcedureView;
use crate::context::{Context, Rules};
use crate::error::{AppError, FieldError};
use crate::workflow::model::State;

/// Tells the next handler of `d`, now in step `to`; `known`, the holder's row if the caller read it.
#[allow(clippy::too_many_arguments)]
pub async fn notify_next(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    to: &State,
    note: &str,
    known: Option<&account::Model>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let code = d.code.clone().unwrap_or_default();
    let recipients = match (d.assignee_id, to.role) {
        // The step that chose the holder read their row.
        (Some(holder), _) if known.is_some_and(|a| a.id == holder) => known.into_iter().cloned().collect(),
        (Some(holder), _) => account::Entity::find_by_id(holder).one(db).await?.into_iter().collect(),
        (None, Some(role)) => super::officials::with_role(db, d.agency_id, role).await?,
        (None, None) => Vec::new(),
    };
    let text = format!("Hồ sơ {code} ({}) chờ xử lý ở bước “{}”.", p.record.name, to.label);
    let kind = if d.assignee_id.is_some() { "assigned" } else { "waiting" };
    for official in &recipients {
        crate::notify::notice::post(db, official.id, d.id, kind, &text, now).await?;
    }
    // Only the one holder is mailed: a pool learns of its work from the inbox.
    if let (Some(_), [holder]) = (d.assignee_id, recipients.as_slice())
        && let Some(address) = holder.email.as_deref().filter(|a| !a.is_empty())
    {
        crate::notify::dossier::notify_holder(db, rules, holder, address, d, p, &to.label, note, now).await?;
    }
    Ok(())
}

/// Tells the partner agency of a transfer (liên thông) that dossier `d`
/// waits for its part: its specialists and leaders may now read it and
/// leave their answer as comments, while the dossier stays with its agency.
pub async fn notify_partner(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    p: &ProcedureView,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(partner) = d.partner_agency_id else { return Ok(()) };
    let code = d.code.clone().unwrap_or_default();
    let text = format!("Hồ sơ {code} ({}) của {} được chuyển để phối hợp giải quyết.", p.record.name, p.agency_name);
    let mut told = Vec::new();
    for role in [crate::workflow::model::WfRole::Specialist, crate::workflow::model::WfRole::Leader] {
        for official in super::officials::with_role(db, partner, role).await? {
            if !told.contains(&official.id) {
                crate::notify::notice::post(db, official.id, d.id, "transfer", &text, now).await?;
                told.push(official.id);
            }
        }
    }
    Ok(())
}

/// The checks a leader's own act on dossier `d` (read at `version`) starts
/// with: a leader of the dossier's unit, on the dossier as it still is.
pub fn leader_may_act(who: &Principal, d: &dossier::Model, version: i32) -> Result<(), AppError> {
    if !who.has_role(Role::Leader) || who.unit_id != Some(d.agency_id) {
        return Err(AppError::Forbidden);
    }
    if d.version != version {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    Ok(())
}

/// Official `by` takes dossier `d` (read at `version`) from the unit's pool;
/// of two officials taking it at once, one wins and the other is told.
pub async fn claim(
    db: &DatabaseConnection,
    d: &dossier::Model,
    version: i32,
    actor: &Actor,
    by: i32,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    if d.version != version {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    let txn = crate::db::begin_write(db).await?;
    let event = Event::Claim { by, note: format!("{} nhận xử lý", actor.label) };
    let changed = lifecycle::change(&txn, d, event, actor, public_url, now).await?;
    txn.commit().await?;
    Ok(changed)
}

/// A leader gives dossier `d` (read at `version`) to official `to`, who
/// must work the dossier's current step in its unit.
#[allow(clippy::too_many_arguments)]
pub async fn reassign(
    state: &Context,
    d: &dossier::Model,
    version: i32,
    who: &Principal,
    actor: &Actor,
    to: i32,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    leader_may_act(who, d, version)?;
    if !super::process::in_processing(d) {
        return Err(AppError::Conflict("the dossier is not being processed".into()));
    }
    let wf = super::process::workflow_of(&state.db, d)
        .await?
        .ok_or_else(|| AppError::Conflict("the dossier has no workflow".into()))?;
    let step = d
        .workflow_state
        .as_deref()
        .and_then(|k| wf.states.iter().find(|s| s.key == k))
        .ok_or_else(|| AppError::Conflict("the dossier has no step".into()))?;
    let role = step.role.ok_or_else(|| AppError::Conflict("nobody works this step".into()))?;
    let candidates = super::officials::with_role(&state.db, d.agency_id, role).await?;
    let official = candidates
        .iter()
        .find(|o| o.id == to)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("assignee", "invalid_choice")]))?;
    if d.assignee_id == Some(to) {
        return Err(AppError::Validation(vec![FieldError::new("assignee", "already_holder")]));
    }
    let p = crate::catalogue::revisions::of_dossier(&state.db, d).await?;
    let note = format!("Giao cho: {}", official.full_name);
    let txn = crate::db::begin_write(&state.db).await?;
    let event = Event::Reassign { to, note: note.clone() };
    let changed = lifecycle::change(&txn, d, event, &actor.in_role("leader"), &state.settings.public_url, now).await?;
    notify_next(&txn, state, &changed, &p, step, &note, None, now).await?;
    txn.commit().await?;
    Ok(changed)
}
