//! What may happen to a dossier, and the lifecycle's table: which status
//! each event may start from and where it leads (REGULATIONS §2.2, §2.4).

use chrono::{DateTime, Utc};
use entity::dossier_event::Kind;

use crate::dossier::status::DossierStatus;

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
    /// Where the applicant asked to receive the result (form 01).
    pub result_delivery: entity::dossier::ResultDelivery,
    /// The time rules in force at submission (`sla::rules::TimeRules` as JSON), which the dossier keeps.
    pub time_rules: String,
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
    pub(super) fn synced(&self) -> bool {
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
                    result_delivery: entity::dossier::ResultDelivery::Counter,
                    time_rules: "{}".into(),
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
