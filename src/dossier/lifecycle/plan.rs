//! The pure half of a change: from the dossier, the event and `now`, the new
//! dossier, its history entry, its supplement round, its pause interval and
//! its frozen national records. What each event writes reads top to bottom
//! in [`plan`].

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::dossier_event::Kind;
use entity::supplement_round::{self, RoundStatus, Stage};

use super::event::{Asked, Event, Pause, next};
use crate::audit::Actor;
use crate::dossier::national_record::{self, Facts};
use crate::dossier::status::{DossierStatus, DueState};
use crate::error::AppError;

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
    Open {
        round: i32,
        stage: Stage,
        content: String,
        due_before: Option<DateTime<Utc>>,
    },
    Close {
        status: RoundStatus,
        due_after: Option<DateTime<Utc>>,
        /// The officer who took the answer in at the counter (NguoiTiepNhanBoSung).
        received_by: Option<String>,
        note: String,
    },
}

/// The round closes answered: taken in by `actor` if an officer recorded it
/// at the counter (they act in the reception role), online otherwise.
fn answered(actor: &Actor, due_after: Option<DateTime<Utc>>, note: &str) -> RoundChange {
    RoundChange::Close {
        status: RoundStatus::Answered,
        due_after,
        received_by: (actor.role.as_deref() == Some("reception")).then(|| actor.label.clone()),
        note: note.to_owned(),
    }
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
            a.result_delivery = s.result_delivery;
            a.sla_rules = Some(s.time_rules.clone());
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
            crate::dossier::policy::supplement_note(a.supplement_count, &asked.what)
        }
        Event::AnswerCorrection { note, accept_due_at } => {
            clear_supplement(&mut a);
            // A corrected dossier is new work for reception: the 8-hour watch starts again.
            a.accept_due_at = Some(*accept_due_at);
            a.accept_late = false;
            round = Some(answered(actor, a.due_at, note));
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
                round = Some(answered(actor, a.due_at, &step.note));
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
                crate::dossier::policy::supplement_note(a.supplement_count, &step.note)
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
            round = Some(RoundChange::Close {
                status: RoundStatus::Expired,
                due_after: None,
                received_by: None,
                note: String::new(),
            });
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
    if let Some(change) = &round {
        apply_round(&mut facts.rounds, d.id, change, actor, now);
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

/// The supplement rounds of dossier `dossier_id` as they are after `change`
/// by `actor` at `now`: a new open round, or the open one closed.
pub fn apply_round(
    rounds: &mut Vec<supplement_round::Model>,
    dossier_id: i64,
    change: &RoundChange,
    actor: &Actor,
    now: DateTime<Utc>,
) {
    match change {
        RoundChange::Open { round, stage, content, due_before } => rounds.push(supplement_round::Model {
            id: 0,
            dossier_id,
            round: *round,
            stage: *stage,
            requested_at: now,
            requested_by: actor.label.chars().take(250).collect(),
            content: content.clone(),
            answered_at: None,
            received_by: None,
            answer_note: None,
            status: RoundStatus::Open,
            due_before: *due_before,
            due_after: None,
        }),
        RoundChange::Close { status, due_after, received_by, note } => {
            if let Some(open) = rounds.iter_mut().rev().find(|r| r.status == RoundStatus::Open) {
                open.status = *status;
                open.answered_at = (*status == RoundStatus::Answered).then_some(now);
                open.due_after = *due_after;
                open.received_by = received_by.as_ref().map(|r| r.chars().take(250).collect());
                open.answer_note = (!note.is_empty()).then(|| note.clone());
            }
        }
    }
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
