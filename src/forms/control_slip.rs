//! Form 06, the processing control slip: one row per handover of the
//! dossier (reception, then each workflow step), with who gave it, who took
//! it, when, and whether the giver's step ended early, on time or late
//! against that step's own deadline on the office calendar.

use chrono::{DateTime, Utc};
use entity::dossier_event::{self, Kind};
use serde::Serialize;

use crate::catalogue::model::TimeLimit;
use crate::sla::steps;
use crate::sla::{Calendar, local_time};
use crate::workflow::model::Workflow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Timing {
    Early,
    OnTime,
    Late,
}

impl Timing {
    /// Early means on an earlier day than the deadline (the slip counts in days).
    pub fn of(at: DateTime<Utc>, due: DateTime<Utc>) -> Timing {
        if local_time::to_local(at).date() < local_time::to_local(due).date() {
            Timing::Early
        } else if at <= due {
            Timing::OnTime
        } else {
            Timing::Late
        }
    }

    pub fn vi(self) -> &'static str {
        match self {
            Timing::Early => "Trước hạn",
            Timing::OnTime => "Đúng hạn",
            Timing::Late => "Quá hạn",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Handover {
    pub at: DateTime<Utc>,
    pub from_step: String,
    pub to_step: String,
    pub giver: String,
    pub taker: String,
    pub due: Option<DateTime<Utc>>,
    pub timing: Option<Timing>,
    pub note: String,
}

/// "Name #id (Chuyên viên)": who acted, in which role.
fn who(e: &dossier_event::Model) -> String {
    let role = match e.actor_role.as_deref() {
        Some("reception") => "Một cửa",
        Some("specialist") => "Chuyên viên",
        Some("leader") => "Lãnh đạo",
        Some("applicant") => "Người nộp",
        _ => return e.actor_label.clone(),
    };
    format!("{} ({role})", e.actor_label)
}

/// What is not a handover: notes and changes of holder within a step.
/// The handovers in `events` (oldest first) of a dossier on `wf`.
pub fn handovers(
    events: &[dossier_event::Model],
    wf: Option<&Workflow>,
    cal: &Calendar,
    limit: TimeLimit,
    accept_due: Option<DateTime<Utc>>,
) -> Vec<Handover> {
    let label = |key: Option<&str>| -> String {
        match (wf, key) {
            (Some(wf), Some(k)) => {
                wf.states.iter().find(|s| s.key == k).map_or_else(|| k.to_owned(), |s| s.label.clone())
            }
            (_, Some(k)) => k.to_owned(),
            _ => String::new(),
        }
    };
    let moves: Vec<&dossier_event::Model> = events
        .iter()
        // Reception and the workflow's steps move a dossier between hands; comments, payments do not.
        .filter(|e| matches!(e.kind, Kind::Receive | Kind::Step))
        .collect();
    let mut out = Vec::new();
    for (i, e) in moves.iter().enumerate() {
        let (from_step, due) = if e.kind == Kind::Receive {
            ("Tiếp nhận hồ sơ trực tuyến".to_owned(), accept_due)
        } else {
            let state = wf.and_then(|wf| wf.states.iter().find(|s| Some(s.key.as_str()) == e.from_state.as_deref()));
            let entered = if i == 0 { None } else { Some(moves[i - 1].at) };
            let due = match (state, entered) {
                (Some(s), Some(entered)) if s.clock != crate::workflow::model::Clock::Pauses => {
                    steps::step_due(cal, local_time::to_local(entered), s.budget.into(), limit).map(local_time::to_utc)
                }
                _ => None,
            };
            (label(e.from_state.as_deref()), due)
        };
        let to_step = if e.kind == Kind::Receive {
            wf.map(|wf| wf.states[wf.initial].label.clone()).unwrap_or_else(|| "Giải quyết hồ sơ".into())
        } else {
            label(e.to_state.as_deref())
        };
        // Who took it: whoever acted next on the dossier.
        let taker = moves.get(i + 1).map(|n| who(n)).unwrap_or_default();
        out.push(Handover {
            at: e.at,
            from_step,
            to_step,
            giver: who(e),
            taker,
            due,
            timing: due.map(|d| Timing::of(e.at, d)),
            note: e.note.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hn(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap() - chrono::Duration::hours(7)
    }

    fn event(
        id: i64,
        at: DateTime<Utc>,
        action: &str,
        from: Option<&str>,
        to: Option<&str>,
        who: &str,
    ) -> dossier_event::Model {
        dossier_event::Model {
            id,
            dossier_id: 1,
            seq: i32::try_from(id).unwrap(),
            kind: match action {
                "submit" => Kind::Submit,
                "receive" => Kind::Receive,
                "comment" => Kind::Comment,
                _ => Kind::Step,
            },
            step_action: None,
            at,
            actor_id: None,
            actor_label: who.into(),
            actor_role: Some("specialist".into()),
            action: action.into(),
            from_status: None,
            to_status: "in_progress".into(),
            note: String::new(),
            from_state: from.map(str::to_owned),
            to_state: to.map(str::to_owned),
        }
    }

    #[test]
    fn each_step_is_judged_against_its_own_deadline() {
        let all = crate::workflow::load::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows"))
            .unwrap();
        let wf = &all["mot-cua-3-buoc"];
        let cal = crate::sla::holidays::office_calendar();
        let limit = TimeLimit { hours: 80, unit: crate::catalogue::model::TimeUnit::WorkingDays };
        let events = vec![
            event(1, hn(7, 9), "submit", None, None, "Nguyễn Thị Hường"),
            event(2, hn(7, 10), "receive", None, Some("tiep_nhan"), "Lê Văn Một Cửa"),
            // Reception has one working day: sent on the same day, early.
            event(3, hn(7, 11), "chuyen_tham_dinh", Some("tiep_nhan"), Some("tham_dinh"), "Lê Văn Một Cửa"),
            event(4, hn(8, 9), "comment", Some("tham_dinh"), Some("tham_dinh"), "Phạm Chuyên Viên"),
            // Appraisal has six working days from 7/12 11:00: due 15/12 11:00; 15/12 at 10:00 is on time.
            event(5, hn(15, 10), "trinh_phe_duyet", Some("tham_dinh"), Some("phe_duyet"), "Phạm Chuyên Viên"),
            // Approval has two days from 15/12 10:00: due 17/12 10:00; done 17/12 at 16:00 is late.
            event(6, hn(17, 16), "phe_duyet_ket_qua", Some("phe_duyet"), Some("tra_ket_qua"), "Hoàng Lãnh Đạo"),
        ];
        let rows = handovers(&events, Some(wf), &cal, limit, Some(hn(7, 17)));
        assert_eq!(rows.len(), 4, "the submission and the comment are not handovers");
        assert_eq!(rows[0].timing, Some(Timing::OnTime), "received on the day its 8 hours end");
        assert_eq!(rows[1].timing, Some(Timing::Early));
        assert_eq!(rows[1].taker, "Phạm Chuyên Viên (Chuyên viên)");
        assert_eq!(rows[2].due, Some(hn(15, 11)));
        assert_eq!(rows[2].timing, Some(Timing::OnTime));
        assert_eq!(rows[3].timing, Some(Timing::Late));
        assert_eq!(rows[3].from_step, "Phê duyệt");
        assert_eq!(rows[3].taker, "", "nobody has taken the last step yet");
    }
}
