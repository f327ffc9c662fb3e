//! A checked workflow: states and actions with their roles, guards,
//! effects and inputs as closed types, ready for the engine.

use serde::Serialize;

use crate::string_enum;
use crate::values::DossierStatus;

string_enum! {
    /// Who may act: the applicant, or an official with this role in the dossier's unit.
    pub enum WfRole {
        Applicant = "applicant",
        Reception = "reception",
        Specialist = "specialist",
        Leader = "leader",
    }
}

string_enum! {
    pub enum Clock {
        Runs = "runs",
        /// The clock stops while the dossier is here (a supplement, a fee).
        Pauses = "pauses",
        /// Entering here starts the time limit again from zero (NĐ 297/2025 Art. 6).
        Restarts = "restarts",
    }
}

string_enum! {
    pub enum Assign {
        /// The unit's pool: any official with the role claims it.
        Pool = "pool",
        /// The official with the role who has the least work due soonest.
        LeastLoaded = "least_loaded",
    }
}

string_enum! {
    pub enum Guard {
        FeePaid = "fee_paid",
        DocumentsComplete = "documents_complete",
    }
}

string_enum! {
    /// Something that happens to a dossier outside any person's action.
    pub enum SystemEvent {
        /// The fees due were paid (at the gateway or recorded at the counter).
        FeePaid = "fee_paid",
    }
}

string_enum! {
    pub enum Effect {
        NotifyApplicant = "notify_applicant",
        NotifyNextHandler = "notify_next_handler",
        IssueResult = "issue_result",
        SyncNationalPortal = "sync_national_portal",
        RequestPayment = "request_payment",
        Transfer = "transfer",
    }
}

string_enum! {
    pub enum Input {
        Reason = "reason",
        /// The documents asked for (a supplement).
        Documents = "documents",
        Assignee = "assignee",
        ResultDocument = "result_document",
        Note = "note",
        /// The partner agency of a transfer.
        Agency = "agency",
    }
}

string_enum! {
    pub enum Outcome {
        Returned = "returned",
        Refused = "refused",
        Stopped = "stopped",
        Withdrawn = "withdrawn",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Budget {
    None,
    Days(f64),
    /// Working hours (a procedure may set them for a step; a working day is 8 of them).
    Hours(f64),
    Share(f64),
}

impl Budget {
    /// Working days and share of the limit, as the legal-limit check adds them up.
    pub fn days_and_share(self) -> (f64, f64) {
        match self {
            Budget::Days(d) => (d, 0.0),
            Budget::Hours(h) => (h / 8.0, 0.0),
            Budget::Share(x) => (0.0, x),
            Budget::None => (0.0, 0.0),
        }
    }
}

impl From<Budget> for crate::sla::steps::StepBudget {
    fn from(b: Budget) -> Self {
        use crate::sla::steps::StepBudget;
        match b {
            Budget::None => StepBudget::None,
            Budget::Days(d) => StepBudget::Days(d),
            Budget::Hours(h) => StepBudget::Hours(h),
            Budget::Share(x) => StepBudget::Share(x),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct State {
    pub key: String,
    pub label: String,
    pub label_en: String,
    pub role: Option<WfRole>,
    pub status: DossierStatus,
    pub budget: Budget,
    pub clock: Clock,
    pub assign: Assign,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub key: String,
    pub label: String,
    pub label_en: String,
    /// Indexes into `Workflow::states`.
    pub from: Vec<usize>,
    pub to: usize,
    pub roles: Vec<WfRole>,
    /// Taken by the portal when this event happens, not by a person.
    pub on: Option<SystemEvent>,
    pub inputs: Vec<Input>,
    pub guards: Vec<Guard>,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workflow {
    pub key: String,
    pub name: String,
    pub name_en: String,
    pub version: u32,
    pub initial: usize,
    pub states: Vec<State>,
    pub actions: Vec<Action>,
    /// Hex SHA-256 of the file: a changed file is a new version.
    pub hash: String,
    /// Each way from the first state to an end: (sum of shares, sum of days) of its steps.
    #[serde(skip)]
    pub path_budgets: Vec<(f64, f64)>,
    /// The file as written, kept with the version.
    #[serde(skip)]
    pub source: String,
}

impl Workflow {
    /// Each state's distance from the first: the fewest actions to reach it
    /// (unreachable states, which the checker refuses, count as 0).
    pub fn distances(&self) -> Vec<usize> {
        let mut dist = vec![usize::MAX; self.states.len()];
        dist[self.initial] = 0;
        let mut queue = std::collections::VecDeque::from([self.initial]);
        while let Some(s) = queue.pop_front() {
            for a in self.actions.iter().filter(|a| a.from.contains(&s)) {
                if dist[a.to] == usize::MAX {
                    dist[a.to] = dist[s] + 1;
                    queue.push_back(a.to);
                }
            }
        }
        dist.iter().map(|d| if *d == usize::MAX { 0 } else { *d }).collect()
    }

    pub fn state_index(&self, key: &str) -> Option<usize> {
        self.states.iter().position(|s| s.key == key)
    }

    pub fn action(&self, key: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.key == key)
    }

    /// Whether the step budgets along every way through fit in a procedure
    /// limit of `limit_days` working days; otherwise the worst total.
    /// This workflow with the budgets of `overrides` (state key → budget) in place of its own,
    /// its ways' totals worked out again.
    pub fn with_budgets(&self, overrides: &[(String, Budget)]) -> Workflow {
        let mut wf = self.clone();
        for (key, budget) in overrides {
            if let Some(i) = wf.state_index(key) {
                wf.states[i].budget = *budget;
            }
        }
        wf.path_budgets = crate::workflow::check::paths(&wf.states, &wf.actions, wf.initial);
        wf
    }

    pub fn fits(&self, limit_days: f64) -> Result<(), f64> {
        let worst = self.path_budgets.iter().map(|(share, days)| share * limit_days + days).fold(0.0, f64::max);
        if worst <= limit_days + 1e-9 { Ok(()) } else { Err(worst) }
    }
}
