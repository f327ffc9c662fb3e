//! The one way a dossier changes (NĐ 118/2025/NĐ-CP, NĐ 297/2025/NĐ-CP;
//! REGULATIONS §2). Every change of its status or workflow state is an
//! [`Event`]; [`plan`] turns the dossier, the event and `now` into the new
//! dossier, its history entry, its supplement round and its national sync
//! messages, without a database; [`change`] loads what the national record
//! reads and writes the plan in the caller's transaction, under the
//! dossier's version, so of two changes at once exactly one wins.
//!
//! What each event writes is declared in [`plan`], top to bottom; which
//! status it may start from and leads to, in [`next`]. Nothing else writes
//! those columns.

mod event;
mod plan;
mod write;

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::dossier_event::Kind;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use event::{Appointment, Asked, Event, Pause, Step, Submission, next};
pub use plan::{Entry, PauseChange, Plan, RoundChange, SyncMessage, apply_round, kind_name, plan};
pub use write::entry_row;

use super::national_record;
use crate::audit::Actor;
use crate::error::AppError;

/// Applies `event` to `d` in the transaction `txn`: the new state, the
/// history entry, the supplement round and the sync messages, or nothing
/// (`Conflict` when the dossier changed since it was read).
pub async fn change(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    event: Event,
    actor: &Actor,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    Ok(change_noted(txn, d, event, actor, public_url, now).await?.0)
}

/// As `change`, also giving the words its history entry kept (the mails of a step repeat them).
pub async fn change_noted(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    event: Event,
    actor: &Actor,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(dossier::Model, String), AppError> {
    let facts = national_record::load(txn, d, public_url).await?;
    apply(txn, d, event, actor, facts, public_url, now).await
}

/// As `change_noted`, from what the caller already read of `d` in `txn`.
pub async fn change_noted_with(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    event: Event,
    actor: &Actor,
    read: national_record::Read<'_>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(dossier::Model, String), AppError> {
    let facts = national_record::load_with(txn, d, public_url, read).await?;
    apply(txn, d, event, actor, facts, public_url, now).await
}

async fn apply(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    event: Event,
    actor: &Actor,
    mut facts: national_record::Facts,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(dossier::Model, String), AppError> {
    if let Event::Step(step) = &event
        && let Some(upload) = step.result_upload_id
    {
        facts.result = national_record::result_file(txn, d, upload, public_url).await?;
    }
    let plan = plan(d, event, actor, &facts, now)?;
    let note = plan.entry.note.clone();
    let change = (plan, actor.clone());
    // Inside `held`, the change waits for the dossier's next one.
    if HELD.try_with(|_| ()).is_ok() {
        return Ok((HELD.with(|held| hold(&mut held.borrow_mut(), change))?, note));
    }
    let written = write::execute(txn, std::slice::from_ref(&change), now).await?;
    Ok((written, note))
}

tokio::task_local! {
    /// The changes a `held` piece of work planned, written when it ends.
    static HELD: std::cell::RefCell<Vec<(Plan, Actor)>>;
}

/// Keeps `change` back; it must start from the dossier the change before it
/// planned. Gives that planned dossier, which the next change starts from.
fn hold(held: &mut Vec<(Plan, Actor)>, change: (Plan, Actor)) -> Result<dossier::Model, AppError> {
    if let Some((last, _)) = held.last()
        && (last.after.id != change.0.before.id || last.after.version != change.0.before.version)
    {
        return Err(AppError::Internal(anyhow::anyhow!("a held change must follow the dossier's change before it")));
    }
    let after = change.0.after.clone();
    held.push(change);
    Ok(after)
}

/// Runs `work`, holding back the changes it makes to one dossier, each from
/// the dossier the one before it gave, then writes them in `txn` as one
/// update of the row and one insert of their history entries
/// (`write::execute`); gives what `work` gave and the dossier as written, if
/// it changed. For a transaction whose round trips keep others waiting: a
/// submission received on the spot holds its agency's code sequence of the
/// day until it commits, and its two changes were four round trips under
/// that lock and two versions of the row. A `Conflict` (the dossier changed
/// since it was read) comes when the changes are written, at the end; nothing
/// is written when `work` fails.
pub async fn held<T>(
    txn: &impl ConnectionTrait,
    work: impl std::future::Future<Output = Result<T, AppError>>,
    now: DateTime<Utc>,
) -> Result<(T, Option<dossier::Model>), AppError> {
    let (done, held) = crate::held_back::collecting(&HELD, work).await;
    let done = done?;
    if held.is_empty() {
        return Ok((done, None));
    }
    Ok((done, Some(write::execute(txn, &held, now).await?)))
}

/// An entry that records something done to the dossier without changing
/// its status or state (a payment, a refund, a comment): it takes the next
/// sequence number but not the version, so nobody's open form goes stale.
pub async fn record(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    kind: Kind,
    action: &str,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let bumped = dossier::Entity::update_many()
        .col_expr(dossier::Column::EventSeq, Expr::col(dossier::Column::EventSeq).add(1))
        .filter(dossier::Column::Id.eq(d.id))
        .exec_with_returning(txn)
        .await?;
    let seq = bumped.first().map(|row| row.event_seq).ok_or(AppError::NotFound)?;
    let status = d.status;
    let entry = Entry {
        seq,
        kind,
        action: action.to_owned(),
        step_action: None,
        from: status,
        to: status,
        from_state: d.workflow_state.clone(),
        to_state: d.workflow_state.clone(),
        note: note.to_owned(),
    };
    write::write_entry(txn, d.id, &entry, actor, now).await?;
    Ok(seq)
}

/// Queues the dossier's national record as it stands now, for a change that
/// is not a transition (a fee paid); numbered with the entry `seq` recorded for it.
pub async fn sync_now(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    seq: i32,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let d = dossier::Entity::find_by_id(d.id).one(txn).await?.ok_or(AppError::NotFound)?;
    let facts = national_record::load(txn, &d, public_url).await?;
    let entry = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(d.id))
        .filter(entity::dossier_event::Column::Seq.eq(seq))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = d.status;
    let entry = Entry {
        seq,
        kind: entry.kind,
        action: entry.action,
        step_action: None,
        from: status,
        to: status,
        from_state: None,
        to_state: None,
        note: entry.note,
    };
    let payload = serde_json::json!({
        "service": national_record::DOSSIER_SERVICE,
        "seq": seq,
        "data": [national_record::dossier(&d, &entry, &facts, now)],
    });
    crate::outbox::enqueue(txn, national_record::TOPIC, d.code.as_deref(), &payload, now).await?;
    Ok(())
}
