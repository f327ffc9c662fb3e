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

/// Writes `plans`, each planned from the one before's dossier (one plan,
/// mostly), as one change of the row: only the columns the last changed from
/// the first's, under the first's version, the version and the entry numbers
/// moved by as many as there are plans. The entries take the dossier's next
/// numbers as the database has them (a comment or a payment may have taken
/// one since the dossier was read), in one insert; then each plan's round and
/// pause, and all their national records in one insert.
pub(super) async fn execute(
    txn: &impl ConnectionTrait,
    plans: &[(Plan, Actor)],
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let (Some((first, _)), Some((last, _))) = (plans.first(), plans.last()) else {
        return Err(AppError::Internal(anyhow::anyhow!("no change to write")));
    };
    let (before, after) = (&first.before, &last.after);
    let moved = i32::try_from(plans.len()).map_err(|e| AppError::Internal(e.into()))?;
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
        .col_expr(dossier::Column::Version, Expr::col(dossier::Column::Version).add(moved))
        .col_expr(dossier::Column::EventSeq, Expr::col(dossier::Column::EventSeq).add(moved))
        .filter(dossier::Column::Id.eq(before.id))
        .filter(dossier::Column::Version.eq(before.version))
        .exec_with_returning(txn)
        .await?;
    let [written] = <[dossier::Model; 1]>::try_from(changed)
        .map_err(|_| AppError::Conflict("the dossier changed meanwhile".into()))?;
    let first_seq = written.event_seq - moved + 1;
    let entries: Vec<Entry> =
        (first_seq..).zip(plans).map(|(seq, (plan, _))| Entry { seq, ..plan.entry.clone() }).collect();
    let rows = entries.iter().zip(plans).map(|(entry, (_, actor))| entry_row(before.id, entry, actor, now));
    entity::dossier_event::Entity::insert_many(rows).exec_without_returning(txn).await?;
    for (plan, actor) in plans {
        if let Some(round) = &plan.round {
            write_round(txn, before.id, round, actor, now).await?;
        }
        write_pause(txn, before.id, plan.pause, now).await?;
    }
    if before.finished_at.is_none() && after.finished_at.is_some() {
        crate::dossier::facts::processing_ended(txn, before.id).await?;
    }
    let payloads: Vec<_> = plans
        .iter()
        .zip(&entries)
        .flat_map(|((plan, _), entry)| {
            plan.sync.iter().map(move |message| {
                serde_json::json!({ "service": message.service, "seq": entry.seq, "data": [message.payload] })
            })
        })
        .collect();
    crate::outbox::enqueue_all(txn, national_record::TOPIC, after.code.as_deref(), &payloads, now).await?;
    Ok(written)
}

async fn write_pause(
    txn: &impl ConnectionTrait,
    dossier_id: i64,
    pause: Option<PauseChange>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match pause {
        Some(PauseChange::Start(reason)) => {
            entity::dossier_pause::ActiveModel {
                dossier_id: Set(dossier_id),
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
                .filter(entity::dossier_pause::Column::DossierId.eq(dossier_id))
                .filter(entity::dossier_pause::Column::EndedAt.is_null())
                .exec(txn)
                .await?;
        }
        None => {}
    }
    Ok(())
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
