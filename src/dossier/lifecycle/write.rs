//! The writing half of a change: the plan's columns under the version, the
//! history entry with the dossier's next number, the supplement round, the
//! pause interval and the national records, in the caller's transaction.

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::supplement_round::{self, RoundStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, ModelTrait, QueryFilter,
    QueryOrder,
};

use super::plan::{Entry, PauseChange, Plan, RoundChange};
use crate::audit::Actor;
use crate::dossier::national_record;
use crate::error::AppError;

/// Writes `plan`: only the columns it changed, under the version it was
/// planned from. The entry takes the dossier's next number as the database
/// has it: a comment or a payment may have taken one since `d` was read.
pub(super) async fn execute(
    txn: &impl ConnectionTrait,
    plan: &Plan,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let (before, after) = (&plan.before, &plan.after);
    let mut update = dossier::Entity::update_many();
    for column in dossier::Column::iter() {
        if matches!(column, dossier::Column::Id | dossier::Column::Version | dossier::Column::EventSeq) {
            continue;
        }
        let value = after.get(column);
        if before.get(column) != value {
            update = update.col_expr(column, Expr::val(value));
        }
    }
    let changed = update
        .col_expr(dossier::Column::Version, Expr::col(dossier::Column::Version).add(1))
        .col_expr(dossier::Column::EventSeq, Expr::col(dossier::Column::EventSeq).add(1))
        .filter(dossier::Column::Id.eq(before.id))
        .filter(dossier::Column::Version.eq(before.version))
        .exec_with_returning(txn)
        .await?;
    let [written] = <[dossier::Model; 1]>::try_from(changed)
        .map_err(|_| AppError::Conflict("the dossier changed meanwhile".into()))?;
    let entry = Entry { seq: written.event_seq, ..plan.entry.clone() };
    write_entry(txn, before.id, &entry, actor, now).await?;
    if let Some(round) = &plan.round {
        write_round(txn, before.id, round, actor, now).await?;
    }
    match plan.pause {
        Some(PauseChange::Start(reason)) => {
            entity::dossier_pause::ActiveModel {
                dossier_id: Set(before.id),
                reason: Set(reason),
                started_at: Set(now),
                ended_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Some(PauseChange::End) => {
            entity::dossier_pause::Entity::update_many()
                .col_expr(entity::dossier_pause::Column::EndedAt, Expr::value(Some(now)))
                .filter(entity::dossier_pause::Column::DossierId.eq(before.id))
                .filter(entity::dossier_pause::Column::EndedAt.is_null())
                .exec(txn)
                .await?;
        }
        None => {}
    }
    if before.finished_at.is_none() && after.finished_at.is_some() {
        crate::dossier::facts::processing_ended(txn, before.id).await?;
    }
    let payloads: Vec<_> = plan
        .sync
        .iter()
        .map(|message| serde_json::json!({ "service": message.service, "seq": entry.seq, "data": [message.payload] }))
        .collect();
    crate::outbox::enqueue_all(txn, national_record::TOPIC, after.code.as_deref(), &payloads, now).await?;
    Ok(written)
}

pub(super) async fn write_entry(
    txn: &impl ConnectionTrait,
    dossier_id: i64,
    entry: &Entry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    entry_row(dossier_id, entry, actor, now).insert(txn).await?;
    Ok(())
}

/// The history row of `entry`.
pub fn entry_row(
    dossier_id: i64,
    entry: &Entry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> entity::dossier_event::ActiveModel {
    entity::dossier_event::ActiveModel {
        dossier_id: Set(dossier_id),
        seq: Set(entry.seq),
        kind: Set(entry.kind),
        at: Set(now),
        actor_id: Set(actor.id),
        actor_label: Set(actor.label.chars().take(250).collect()),
        actor_role: Set(actor.role.clone()),
        action: Set(entry.action.clone()),
        step_action: Set(entry.step_action.clone()),
        from_status: Set(Some(entry.from.as_str().to_owned())),
        to_status: Set(entry.to.as_str().into()),
        note: Set(entry.note.clone()),
        from_state: Set(entry.from_state.clone()),
        to_state: Set(entry.to_state.clone()),
        ..Default::default()
    }
}

async fn write_round(
    txn: &impl ConnectionTrait,
    dossier_id: i64,
    round: &RoundChange,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match round {
        RoundChange::Open { round, stage, content, due_before } => {
            supplement_round::ActiveModel {
                dossier_id: Set(dossier_id),
                round: Set(*round),
                stage: Set(*stage),
                requested_at: Set(now),
                requested_by: Set(actor.label.chars().take(250).collect()),
                content: Set(content.clone()),
                answered_at: Set(None),
                received_by: Set(None),
                answer_note: Set(None),
                status: Set(RoundStatus::Open),
                due_before: Set(*due_before),
                due_after: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        RoundChange::Close { status, due_after, received_by, note } => {
            let open = supplement_round::Entity::find()
                .filter(supplement_round::Column::DossierId.eq(dossier_id))
                .filter(supplement_round::Column::Status.eq(RoundStatus::Open))
                .order_by_desc(supplement_round::Column::Round)
                .one(txn)
                .await?;
            if let Some(open) = open {
                let mut m: supplement_round::ActiveModel = open.into();
                m.status = Set(*status);
                m.answered_at = Set((*status == RoundStatus::Answered).then_some(now));
                m.due_after = Set(*due_after);
                m.received_by = Set(received_by.as_ref().map(|r| r.chars().take(250).collect()));
                m.answer_note = Set((!note.is_empty()).then(|| note.clone()));
                m.update(txn).await?;
            }
        }
    }
    Ok(())
}
