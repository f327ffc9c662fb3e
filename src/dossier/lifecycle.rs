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

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::dossier_event::Kind;
use entity::supplement_round::{self, RoundStatus, Stage};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, ModelTrait, QueryFilter,
    QueryOrder,
};

use super::national_record::{self, Facts};
use super::status::{DossierStatus, DueState};
use crate::audit::Actor;
use crate::error::AppError;

/// What a submission fixes for the dossier's life.
#[derive(Debug, Clone)]
pub struct Submission {
    pub code: String,
    pub form_data: String,
    pub address: String,
    pub workflow_version_id: Option<i64>,
    pub workflow_state: Option<String>,
    /// An online dossier is accepted or queried by then (NĐ 297/2025 Art. 6: 8 working hours).
    pub accept_due_at: DateTime<Utc>,
    pub vneid_verified: bool,
    /// The procedure's version the dossier keeps from now on.
    pub procedure_version: i32,
}

/// The appointment a complete dossier gets (form 01).
#[derive(Debug, Clone, Copy)]
pub struct Appointment {
    pub due_at: DateTime<Utc>,
    pub due_soon_at: DateTime<Utc>,
}

/// A request for supplement (form 02): what is asked, once and completely,
/// and when the dossier closes if no answer comes.
#[derive(Debug, Clone)]
pub struct Asked {
    pub what: String,
    pub closes_at: DateTime<Utc>,
}

/// A workflow step as the engine decided it, with the clock worked out.
#[derive(Debug, Clone)]
pub struct Step {
    /// The action key from the workflow file.
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub to: DossierStatus,
    pub due_at: Option<DateTime<Utc>>,
    pub due_soon_at: Option<DateTime<Utc>>,
    /// The limit started again (NĐ 297/2025 Art. 6: a dossier made complete).
    pub restarted: bool,
    pub pause: Pause,
    pub step_due_at: Option<DateTime<Utc>>,
    pub assignee: Option<i32>,
    /// The step ends processing (a workflow outcome).
    pub ends: bool,
    pub partner_agency_id: Option<i32>,
    pub result_upload_id: Option<i64>,
    /// Set when the step asks the applicant for a supplement.
    pub asked: Option<Asked>,
    pub note: String,
}

/// What a step does to the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    Keep,
    Start,
    End,
}

/// Everything that may happen to a dossier.
#[derive(Debug, Clone)]
pub enum Event {
    Submit(Submission),
    /// Reception (tiếp nhận): the limit runs from now; the workflow's first step begins.
    Receive {
        appointment: Appointment,
        first_step_due: Option<DateTime<Utc>>,
        note: String,
    },
    /// Complete, but its fee collected with the dossier is unpaid: it waits
    /// for the fee and is received once it is paid (NĐ 297/2025 Art. 6).
    AwaitFee {
        note: String,
    },
    /// Refusal to receive (form 03), with its reason.
    Refuse {
        reason: String,
    },
    /// A reception-stage request for correction, before the dossier is received.
    RequestCorrection(Asked),
    /// The applicant's answer to a reception-stage request; the acceptance watch starts again.
    AnswerCorrection {
        note: String,
        accept_due_at: DateTime<Utc>,
    },
    Withdraw {
        reason: String,
    },
    Step(Box<Step>),
    /// The supplement never came (15 working days): the dossier stops.
    SupplementTimeout {
        note: String,
        end_state: Option<String>,
    },
    /// Form 04: the leader apologises and moves the appointment once.
    Apology {
        new_due: DateTime<Utc>,
        late: bool,
        note: String,
    },
    /// A leader gives the step to another official.
    Reassign {
        to: i32,
        note: String,
    },
    /// An official takes the dossier from the unit's pool.
    Claim {
        by: i32,
        note: String,
    },
}

impl Event {
    pub fn kind(&self) -> Kind {
        match self {
            Event::Submit(_) => Kind::Submit,
            Event::Receive { .. } => Kind::Receive,
            Event::AwaitFee { .. } => Kind::AwaitFee,
            Event::Refuse { .. } => Kind::Refuse,
            Event::RequestCorrection(_) => Kind::RequestSupplement,
            Event::AnswerCorrection { .. } => Kind::AnswerSupplement,
            Event::Withdraw { .. } => Kind::Withdraw,
            Event::Step(_) => Kind::Step,
            Event::SupplementTimeout { .. } => Kind::SupplementTimeout,
            Event::Apology { .. } => Kind::Apology,
            Event::Reassign { .. } => Kind::Reassign,
            Event::Claim { .. } => Kind::Claim,
        }
    }

    /// Whether the national portal hears of it; a reassignment stays inside the agency.
    fn synced(&self) -> bool {
        !matches!(self, Event::Reassign { .. } | Event::Claim { .. })
    }
}

/// The status `event` leads to from `from`, or why it cannot happen now.
/// This is the lifecycle's table (REGULATIONS §2.2, §2.4): read it top to bottom.
pub fn next(from: DossierStatus, event: &Event) -> Result<DossierStatus, &'static str> {
    use DossierStatus::*;
    let open_received = matches!(from, Received | InProgress | AwaitingSupplement | AwaitingPayment | ResultReady);
    match event {
        Event::Submit(_) if from == Draft => Ok(Submitted),
        Event::Receive { .. } if matches!(from, Submitted | AwaitingPayment) => Ok(Received),
        Event::AwaitFee { .. } if from == Submitted => Ok(AwaitingPayment),
        Event::Refuse { .. } if from == Submitted => Ok(Refused),
        // In processing a supplement is a workflow step, which pauses the clock.
        Event::RequestCorrection(_) if from == Submitted => Ok(AwaitingSupplement),
        Event::AnswerCorrection { .. } if from == AwaitingSupplement => Ok(Submitted),
        Event::Withdraw { .. } if from.withdrawable() => Ok(Withdrawn),
        Event::Step(step) if open_received && !matches!(step.to, Draft | Submitted) => Ok(step.to),
        Event::SupplementTimeout { .. } if from == AwaitingSupplement => Ok(Stopped),
        Event::Apology { .. } if open_received => Ok(from),
        Event::Reassign { .. } if open_received => Ok(from),
        Event::Claim { .. } if open_received => Ok(from),
        Event::Submit(_) => Err("only a draft can be submitted"),
        Event::Receive { .. } => Err("only a submitted dossier can be received"),
        Event::AwaitFee { .. } => Err("only a submitted dossier can wait for its fee"),
        Event::Refuse { .. } => Err("only a dossier not yet received can be refused"),
        Event::RequestCorrection(_) => Err("no supplement can be asked now"),
        Event::AnswerCorrection { .. } => Err("nothing is asked of this dossier"),
        Event::Withdraw { .. } => Err("the dossier can no longer be withdrawn"),
        Event::Step(_) => Err("the dossier is not being processed"),
        Event::SupplementTimeout { .. } => Err("nothing is asked of this dossier"),
        Event::Apology { .. } => Err("only a dossier being processed has an appointment to move"),
        Event::Reassign { .. } | Event::Claim { .. } => Err("the dossier is not being processed"),
    }
}

/// A history entry as the plan writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: i32,
    pub kind: Kind,
    pub action: String,
    pub step_action: Option<String>,
    pub from: DossierStatus,
    pub to: DossierStatus,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
}

/// What a change does to the supplement rounds.
#[derive(Debug, Clone, PartialEq)]
pub enum RoundChange {
    Open { round: i32, stage: Stage, content: String, due_before: Option<DateTime<Utc>> },
    Close { status: RoundStatus, due_after: Option<DateTime<Utc>> },
}

/// One message for the national portal, frozen when the change is planned.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncMessage {
    pub service: &'static str,
    pub payload: serde_json::Value,
}

/// Everything one change writes.
#[derive(Debug, Clone)]
pub struct Plan {
    pub before: dossier::Model,
    pub after: dossier::Model,
    pub entry: Entry,
    pub round: Option<RoundChange>,
    /// The clock stopping (with what it waits for) or starting again.
    pub pause: Option<PauseChange>,
    pub sync: Vec<SyncMessage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseChange {
    Start(entity::dossier_pause::Reason),
    End,
}

fn clear_supplement(a: &mut dossier::Model) {
    a.supplement_request = None;
    a.supplement_due_at = None;
    a.resume_status = None;
}

fn ask(a: &mut dossier::Model, asked: &Asked) {
    a.supplement_request = Some(asked.what.clone());
    a.supplement_count += 1;
    a.supplement_due_at = Some(asked.closes_at);
}

fn close(a: &mut dossier::Model, now: DateTime<Utc>) {
    a.closed_at = Some(now);
    a.step_due_at = None;
    a.paused_at = None;
}

/// The change `event` makes to dossier `d` at `now`, by `actor`; pure.
pub fn plan(
    d: &dossier::Model,
    event: Event,
    actor: &Actor,
    facts: &Facts,
    now: DateTime<Utc>,
) -> Result<Plan, AppError> {
    let from = d.status;
    let to = next(from, &event).map_err(|why| AppError::Conflict(why.into()))?;
    let mut a = d.clone();
    a.status = to;
    a.version += 1;
    a.event_seq += 1;
    a.updated_at = now;
    let mut round = None;
    let (mut from_state, mut to_state) = (d.workflow_state.clone(), d.workflow_state.clone());
    let mut step_action = None;
    let note = match &event {
        Event::Submit(s) => {
            a.code = Some(s.code.clone());
            a.form_data = s.form_data.clone();
            a.applicant_address = s.address.chars().take(500).collect();
            a.workflow_version_id = s.workflow_version_id;
            a.workflow_state = s.workflow_state.clone();
            a.submitted_at = Some(now);
            a.accept_due_at = Some(s.accept_due_at);
            a.vneid_verified = s.vneid_verified;
            a.procedure_version = s.procedure_version;
            (from_state, to_state) = (None, None);
            String::new()
        }
        Event::Receive { appointment, first_step_due, note } => {
            if d.received_at.is_some() {
                return Err(AppError::Conflict("the dossier was received already".into()));
            }
            a.received_at = Some(now);
            a.due_at = Some(appointment.due_at);
            a.first_due_at = Some(appointment.due_at);
            a.due_soon_at = Some(appointment.due_soon_at);
            a.step_started_at = Some(now);
            a.step_due_at = *first_step_due;
            (from_state, to_state) = (None, a.workflow_state.clone());
            note.clone()
        }
        Event::AwaitFee { note } => note.clone(),
        Event::Refuse { reason } => {
            close(&mut a, now);
            a.finished_at = Some(now);
            reason.clone()
        }
        Event::RequestCorrection(asked) => {
            ask(&mut a, asked);
            a.resume_status = Some(d.status);
            round = Some(RoundChange::Open {
                round: a.supplement_count,
                stage: Stage::Reception,
                content: asked.what.clone(),
                due_before: d.due_at,
            });
            super::policy::supplement_note(a.supplement_count, &asked.what)
        }
        Event::AnswerCorrection { note, accept_due_at } => {
            clear_supplement(&mut a);
            // A corrected dossier is new work for reception: the 8-hour watch starts again.
            a.accept_due_at = Some(*accept_due_at);
            a.accept_late = false;
            round = Some(RoundChange::Close { status: RoundStatus::Answered, due_after: a.due_at });
            note.clone()
        }
        Event::Withdraw { reason } => {
            close(&mut a, now);
            // Withdrawn before reception never entered processing (QĐ 766 2.1).
            if d.received_at.is_some() {
                a.finished_at = Some(now);
            }
            a.assignee_id = None;
            reason.clone()
        }
        Event::Step(step) => {
            a.workflow_state = Some(step.to_state.clone());
            (from_state, to_state) = (Some(step.from_state.clone()), Some(step.to_state.clone()));
            step_action = Some(step.action.clone());
            a.due_at = step.due_at;
            a.due_soon_at = step.due_soon_at;
            if step.restarted {
                a.first_due_at = step.due_at;
                a.due_state = DueState::OnTime;
            }
            match step.pause {
                Pause::Start => a.paused_at = Some(now),
                Pause::End => a.paused_at = None,
                Pause::Keep => {}
            }
            a.step_started_at = Some(now);
            a.step_due_at = step.step_due_at;
            a.step_late = false;
            a.assignee_id = step.assignee;
            if let Some(partner) = step.partner_agency_id {
                a.partner_agency_id = Some(partner);
            }
            if step.result_upload_id.is_some() {
                a.result_upload_id = step.result_upload_id;
            }
            if from == DossierStatus::AwaitingSupplement && step.to != DossierStatus::AwaitingSupplement {
                clear_supplement(&mut a);
                round = Some(RoundChange::Close { status: RoundStatus::Answered, due_after: a.due_at });
            }
            if let Some(asked) = &step.asked {
                ask(&mut a, asked);
                round = Some(RoundChange::Open {
                    round: a.supplement_count,
                    stage: if d.received_at.is_some() { Stage::Processing } else { Stage::Reception },
                    content: asked.what.clone(),
                    due_before: d.due_at,
                });
            }
            if step.ends {
                close(&mut a, now);
            }
            // Processing ends at the first of result ready, stopped, refused (QĐ 766 2.1).
            let finishing = matches!(
                step.to,
                DossierStatus::ResultReady | DossierStatus::Stopped | DossierStatus::Refused | DossierStatus::Withdrawn
            ) || (step.ends && step.to != DossierStatus::Returned);
            if finishing && a.finished_at.is_none() {
                a.finished_at = Some(now);
            }
            if step.to == DossierStatus::Returned && a.finished_at.is_none() {
                a.finished_at = Some(now);
            }
            if step.to == DossierStatus::AwaitingSupplement {
                super::policy::supplement_note(a.supplement_count, &step.note)
            } else {
                step.note.clone()
            }
        }
        Event::SupplementTimeout { note, end_state } => {
            close(&mut a, now);
            a.finished_at = Some(now);
            a.supplement_due_at = None;
            a.assignee_id = None;
            if end_state.is_some() {
                a.workflow_state = end_state.clone();
            }
            to_state = a.workflow_state.clone();
            round = Some(RoundChange::Close { status: RoundStatus::Expired, due_after: None });
            note.clone()
        }
        Event::Apology { new_due, late, note } => {
            a.rescheduled_from = d.due_at;
            a.due_at = Some(*new_due);
            a.apology_at = Some(now);
            a.apology_late = *late;
            a.due_soon_at = None;
            // A dossier already late stays late: the new date is an apology, not a clean slate.
            if d.due_state != DueState::Overdue {
                a.due_state = DueState::OnTime;
            }
            note.clone()
        }
        Event::Reassign { to, note } => {
            a.assignee_id = Some(*to);
            note.clone()
        }
        Event::Claim { by, note } => {
            if d.assignee_id.is_some() {
                return Err(AppError::Conflict("someone took the dossier first".into()));
            }
            a.assignee_id = Some(*by);
            note.clone()
        }
    };
    let kind = event.kind();
    // The record lists the rounds as they are after this change.
    let mut facts = facts.clone();
    match &round {
        Some(RoundChange::Open { round, stage, content, due_before }) => facts.rounds.push(supplement_round::Model {
            id: 0,
            dossier_id: d.id,
            round: *round,
            stage: *stage,
            requested_at: now,
            requested_by: actor.label.clone(),
            content: content.clone(),
            answered_at: None,
            status: RoundStatus::Open,
            due_before: *due_before,
            due_after: None,
        }),
        Some(RoundChange::Close { status, due_after }) => {
            if let Some(open) = facts.rounds.iter_mut().rev().find(|r| r.status == RoundStatus::Open) {
                open.status = *status;
                open.answered_at = (*status == RoundStatus::Answered).then_some(now);
                open.due_after = *due_after;
            }
        }
        None => {}
    }
    let facts = &facts;
    let entry = Entry {
        seq: a.event_seq,
        kind,
        action: step_action.clone().unwrap_or_else(|| kind_name(kind).to_owned()),
        step_action,
        from,
        to,
        from_state,
        to_state,
        note,
    };
    let mut sync = Vec::new();
    if event.synced() {
        sync.push(SyncMessage {
            service: national_record::DOSSIER_SERVICE,
            payload: national_record::dossier(&a, &entry, facts, now),
        });
        if matches!(event, Event::Receive { .. } | Event::Step(_)) {
            sync.push(SyncMessage {
                service: national_record::PROGRESS_SERVICE,
                payload: national_record::progress(&a, &entry, actor, facts, now),
            });
        }
    }
    // The pause intervals follow the clock, whichever event moved it.
    let pause = match (d.paused_at, a.paused_at) {
        (None, Some(_)) => Some(PauseChange::Start(match to {
            DossierStatus::AwaitingSupplement => entity::dossier_pause::Reason::Supplement,
            DossierStatus::AwaitingPayment => entity::dossier_pause::Reason::Fee,
            _ => entity::dossier_pause::Reason::Other,
        })),
        (Some(_), None) => Some(PauseChange::End),
        _ => None,
    };
    Ok(Plan { before: d.clone(), after: a, entry, round, pause, sync })
}

/// The name the history has always used for a kind.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Submit => "submit",
        Kind::Receive => "receive",
        Kind::Refuse => "refuse",
        Kind::AwaitFee => "await_fee",
        Kind::RequestSupplement => "request_supplement",
        Kind::AnswerSupplement => "answer_supplement",
        Kind::Withdraw => "withdraw",
        Kind::Step => "step",
        Kind::SupplementTimeout => "supplement_timeout",
        Kind::Apology => "apology",
        Kind::Reassign => "reassign",
        Kind::Claim => "claim",
        Kind::Comment => "comment",
        Kind::Payment => "payment",
        Kind::Refund => "refund",
    }
}

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
    let mut facts = national_record::load(txn, d, public_url).await?;
    if let Event::Step(step) = &event
        && let Some(upload) = step.result_upload_id
    {
        facts.result = national_record::result_file(txn, d, upload, public_url).await?;
    }
    let plan = plan(d, event, actor, &facts, now)?;
    execute(txn, &plan, actor, now).await
}

/// Writes `plan`: only the columns it changed, under the version it was
/// planned from. The entry takes the dossier's next number as the database
/// has it: a comment or a payment may have taken one since `d` was read.
async fn execute(
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
    let key = after.code.clone();
    for message in &plan.sync {
        let payload = serde_json::json!({
            "service": message.service,
            "seq": entry.seq,
            "data": [message.payload],
        });
        crate::outbox::enqueue(txn, national_record::TOPIC, key.as_deref(), &payload, now).await?;
    }
    Ok(written)
}

async fn write_entry(
    txn: &impl ConnectionTrait,
    dossier_id: i64,
    entry: &Entry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
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
    .insert(txn)
    .await?;
    Ok(())
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
                status: Set(RoundStatus::Open),
                due_before: Set(*due_before),
                due_after: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        RoundChange::Close { status, due_after } => {
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
                m.update(txn).await?;
            }
        }
    }
    Ok(())
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
    write_entry(txn, d.id, &entry, actor, now).await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    fn examples() -> Vec<(&'static str, Event)> {
        let at = DateTime::<Utc>::from_timestamp(1_767_000_000, 0).unwrap();
        let asked = Asked { what: "Bản sao CCCD".into(), closes_at: at };
        let step = |to| {
            Event::Step(Box::new(Step {
                action: "a".into(),
                from_state: "x".into(),
                to_state: "y".into(),
                to,
                due_at: None,
                due_soon_at: None,
                restarted: false,
                pause: Pause::Keep,
                step_due_at: None,
                assignee: None,
                ends: false,
                partner_agency_id: None,
                result_upload_id: None,
                asked: None,
                note: String::new(),
            }))
        };
        vec![
            (
                "submit",
                Event::Submit(Submission {
                    code: "C".into(),
                    form_data: "{}".into(),
                    address: String::new(),
                    workflow_version_id: None,
                    workflow_state: None,
                    accept_due_at: at,
                    vneid_verified: false,
                    procedure_version: 1,
                }),
            ),
            (
                "receive",
                Event::Receive {
                    appointment: Appointment { due_at: at, due_soon_at: at },
                    first_step_due: None,
                    note: String::new(),
                },
            ),
            ("refuse", Event::Refuse { reason: "r".into() }),
            ("await_fee", Event::AwaitFee { note: String::new() }),
            ("correction", Event::RequestCorrection(asked)),
            ("answer", Event::AnswerCorrection { note: String::new(), accept_due_at: at }),
            ("withdraw", Event::Withdraw { reason: String::new() }),
            ("step_in_progress", step(InProgress)),
            ("step_result_ready", step(ResultReady)),
            ("step_returned", step(Returned)),
            ("timeout", Event::SupplementTimeout { note: String::new(), end_state: None }),
            ("apology", Event::Apology { new_due: at, late: false, note: String::new() }),
            ("reassign", Event::Reassign { to: 1, note: String::new() }),
            ("claim", Event::Claim { by: 1, note: String::new() }),
        ]
    }

    /// The whole table: for every status and event, where it leads and its national code.
    #[test]
    fn every_status_and_event_leads_where_the_table_says() {
        let expected: &[(DossierStatus, &str, Option<DossierStatus>)] = &[
            (Draft, "submit", Some(Submitted)),
            (Submitted, "receive", Some(Received)),
            (AwaitingPayment, "receive", Some(Received)),
            (Submitted, "await_fee", Some(AwaitingPayment)),
            (Submitted, "refuse", Some(Refused)),
            (Submitted, "correction", Some(AwaitingSupplement)),
            (AwaitingSupplement, "answer", Some(Submitted)),
            (AwaitingSupplement, "timeout", Some(Stopped)),
        ];
        for &status in DossierStatus::ALL {
            for (name, event) in examples() {
                let got = next(status, &event).ok();
                let want = match expected.iter().find(|(s, n, _)| *s == status && *n == name) {
                    Some((_, _, to)) => *to,
                    None => match name {
                        "withdraw" => status.withdrawable().then_some(Withdrawn),
                        "step_in_progress" | "step_result_ready" | "step_returned" | "apology" | "reassign"
                        | "claim" => {
                            let open = matches!(
                                status,
                                Received | InProgress | AwaitingSupplement | AwaitingPayment | ResultReady
                            );
                            let to = match name {
                                "step_in_progress" => InProgress,
                                "step_result_ready" => ResultReady,
                                "step_returned" => Returned,
                                _ => status,
                            };
                            open.then_some(to)
                        }
                        _ => None,
                    },
                };
                assert_eq!(got, want, "{status} + {name}");
                if let Some(to) = got {
                    let code = to.national_code().expect("every state an event leads to has a national code");
                    assert!((1..=10).contains(&code), "{status} + {name} -> {to}: {code}");
                }
            }
        }
    }

    #[test]
    fn nothing_leads_back_to_a_draft_or_out_of_a_closed_dossier() {
        for &status in DossierStatus::ALL {
            for (name, event) in examples() {
                if let Ok(to) = next(status, &event) {
                    assert_ne!(to, Draft, "{status} + {name}");
                    assert!(!status.is_closed(), "{status} + {name} reopened a closed dossier");
                }
            }
        }
    }
}
