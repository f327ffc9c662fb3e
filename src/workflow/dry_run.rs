//! A dry run for admins: a path of actions through a workflow for a
//! procedure's time limit, with who acts and the due dates it would give,
//! before any dossier runs on it. Each step is assumed to use its whole
//! budget (the action is taken when the step falls due); a step without a
//! budget, such as waiting for the applicant, is left at once, so the dates
//! are the latest the rules allow with no time spent away.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::engine::{self, Facts, Refusal};
use super::model::{Clock, Input, WfRole, Workflow};
use crate::sla::Calendar;
use crate::sla::steps;
use crate::values::TimeLimit;

#[derive(Debug, Clone, Serialize)]
pub struct DryStep {
    pub action: String,
    pub roles: Vec<WfRole>,
    pub from: String,
    pub to: String,
    pub status: &'static str,
    /// When the action is taken.
    pub at: NaiveDateTime,
    /// When the step entered is due, if it has a budget.
    pub step_due: Option<NaiveDateTime>,
    /// The appointment with the applicant after the action.
    pub due: NaiveDateTime,
    pub clock: Clock,
    /// Taken after the appointment.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DryRun {
    pub received: NaiveDateTime,
    pub first_state: String,
    pub first_step_due: Option<NaiveDateTime>,
    pub due: NaiveDateTime,
    pub steps: Vec<DryStep>,
    /// The outcome when the path ends in a final state.
    pub outcome: Option<&'static str>,
}

/// Where a path stops: the 0-based action and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub index: usize,
    pub action: String,
    pub refusal: Refusal,
}

const ALL_INPUTS: &[Input] =
    &[Input::Reason, Input::Documents, Input::Assignee, Input::ResultDocument, Input::Note, Input::Agency];

/// Runs `path` (action keys) on `wf` for a dossier received at `received`
/// under `limit`, in English labels when `en`.
pub fn dry_run(
    wf: &Workflow,
    cal: &Calendar,
    limit: TimeLimit,
    received: NaiveDateTime,
    path: &[&str],
    en: bool,
) -> Result<DryRun, Stop> {
    let label = |s: &super::model::State| if en { s.label_en.clone() } else { s.label.clone() };
    let first = &wf.states[wf.initial];
    let mut due = cal.due(received, limit);
    let mut step_due = steps::step_due(cal, received, first.budget.into(), limit);
    let mut state = first;
    let mut at = received;
    let mut out = Vec::new();
    for (index, key) in path.iter().enumerate() {
        let action = wf.action(key).ok_or(Stop { index, action: (*key).into(), refusal: Refusal::UnknownAction })?;
        let facts = Facts { fee_paid: true, documents_complete: true };
        let decision = if action.on.is_some() {
            engine::decide_system(wf, &state.key, key, facts)
        } else {
            engine::decide(wf, &state.key, key, &action.roles, ALL_INPUTS, facts)
        }
        .map_err(|refusal| Stop { index, action: (*key).into(), refusal })?;
        // The step ends when it falls due; one without a budget is left at once.
        if let Some(end) = step_due {
            at = at.max(end);
        }
        let to = decision.to;
        if to.clock == Clock::Restarts {
            due = cal.due(at, limit);
        }
        step_due = if to.clock == Clock::Pauses || to.outcome.is_some() {
            None
        } else {
            steps::step_due(cal, at, to.budget.into(), limit)
        };
        out.push(DryStep {
            action: if en { action.label_en.clone() } else { action.label.clone() },
            roles: action.roles.clone(),
            from: label(state),
            to: label(to),
            status: to.status.as_str(),
            at,
            step_due,
            due,
            clock: to.clock,
            late: at > due,
        });
        state = to;
    }
    Ok(DryRun {
        received,
        first_state: label(first),
        first_step_due: steps::step_due(cal, received, first.budget.into(), limit),
        due,
        steps: out,
        outcome: state.outcome.map(|o| o.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::holidays::office_calendar;
    use crate::values::TimeUnit;
    use chrono::NaiveDate;

    fn wf(key: &str) -> Workflow {
        let all = crate::workflow::load::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows"))
            .unwrap();
        all[key].clone()
    }

    fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    const TEN_DAYS: TimeLimit = TimeLimit { hours: 80, unit: TimeUnit::WorkingDays };

    #[test]
    fn the_three_step_path_uses_the_whole_limit_and_no_more() {
        let cal = office_calendar();
        let path = ["chuyen_tham_dinh", "trinh_phe_duyet", "phe_duyet_ket_qua", "xac_nhan_tra_ket_qua"];
        // Monday 7 December 2026, 9:00; ten working days end Monday 21 December, 9:00.
        let run = dry_run(&wf("mot-cua-3-buoc"), &cal, TEN_DAYS, at(12, 7, 9), &path, false).unwrap();
        assert_eq!(run.due, at(12, 21, 9));
        assert_eq!(run.first_step_due, Some(at(12, 8, 9)), "reception has a tenth: one working day");
        assert_eq!(run.steps.len(), 4);
        assert_eq!(run.steps[0].at, at(12, 8, 9));
        assert_eq!(run.steps[0].step_due, Some(at(12, 16, 9)), "appraisal: six days");
        assert_eq!(run.steps[1].roles, [WfRole::Specialist]);
        assert_eq!(run.steps[1].at, at(12, 16, 9));
        assert_eq!(run.steps[2].at, at(12, 18, 9), "approval: two days");
        assert_eq!(run.steps[3].at, at(12, 21, 9), "handing over: one day, on the appointment");
        assert!(run.steps.iter().all(|s| !s.late && s.due == at(12, 21, 9)));
        assert_eq!(run.outcome, Some("returned"));
    }

    #[test]
    fn a_correction_restarts_the_limit_and_a_wrong_step_is_named() {
        let cal = office_calendar();
        let w = wf("mot-cua-3-buoc");
        let run = dry_run(&w, &cal, TEN_DAYS, at(12, 7, 9), &["yeu_cau_hoan_thien", "nop_hoan_thien"], false).unwrap();
        assert_eq!(run.steps[0].step_due, None, "the clock pauses with the applicant");
        assert_eq!(run.steps[1].due, at(12, 22, 9), "ten working days again from the corrected dossier");
        let stop = dry_run(&w, &cal, TEN_DAYS, at(12, 7, 9), &["chuyen_tham_dinh", "xac_nhan_tra_ket_qua"], false)
            .unwrap_err();
        assert_eq!((stop.index, stop.refusal), (1, Refusal::NotFromHere));
        let stop = dry_run(&w, &cal, TEN_DAYS, at(12, 7, 9), &["nhay_coc"], false).unwrap_err();
        assert_eq!(stop.refusal, Refusal::UnknownAction);
    }
}
