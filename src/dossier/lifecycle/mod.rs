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
    let written = write::execute(txn, &plan, actor, now).await?;
    Ok((written, plan.entry.note))
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
