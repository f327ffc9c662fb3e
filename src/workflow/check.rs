//! Checking a workflow file: every mistake is reported with the file, the
//! line and the reason, all at once, so an admin fixes a file in one pass.
//! A file that passes becomes a `Workflow` the engine can trust.

use std::collections::{BTreeSet, HashSet};

use super::definition::{ActionDef, Definition};
use super::lines::Source;
use super::model::{
    Action, Assign, Budget, Clock, Effect, Guard, Input, Outcome, State, SystemEvent, WfRole, Workflow,
};
use crate::string_enum;
use crate::values::DossierStatus;

string_enum! {
    pub enum ProblemKind {
        Syntax = "syntax",
        FileName = "file_name",
        DuplicateState = "duplicate_state",
        DuplicateAction = "duplicate_action",
        UnknownState = "unknown_state",
        UnknownRole = "unknown_role",
        UnknownGuard = "unknown_guard",
        UnknownEffect = "unknown_effect",
        UnknownInput = "unknown_input",
        UnknownValue = "unknown_value",
        UnreachableState = "unreachable_state",
        DeadEnd = "dead_end",
        NoTerminal = "no_terminal",
        TerminalExit = "terminal_exit",
        Budget = "budget",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub kind: ProblemKind,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {} ({})", self.file, self.line, self.message, self.kind)
    }
}

/// Checks the workflow in `source`, read from `file`.
pub fn check(file: &str, source: &str) -> Result<Workflow, Vec<Problem>> {
    let problem =
        |line: usize, kind: ProblemKind, message: String| Problem { file: file.to_owned(), line, kind, message };
    let def: Definition = match serde_yaml_ng::from_str(source) {
        Ok(def) => def,
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line());
            return Err(vec![problem(line, ProblemKind::Syntax, e.to_string())]);
        }
    };
    let src = Source::new(source);
    let mut problems = Vec::new();
    let stem = std::path::Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if !stem.is_empty() && stem != def.key {
        problems.push(problem(
            src.find("key:", 1).unwrap_or(1),
            ProblemKind::FileName,
            format!("the key {:?} differs from the file name {stem:?}", def.key),
        ));
    }

    let mut seen = HashSet::new();
    for s in &def.states {
        if !seen.insert(s.key.as_str()) {
            problems.push(problem(
                src.second("states", &s.key),
                ProblemKind::DuplicateState,
                format!("state {:?} is defined twice", s.key),
            ));
        }
    }
    let mut seen = HashSet::new();
    for a in &def.actions {
        if !seen.insert(a.key.as_str()) {
            problems.push(problem(
                src.second("actions", &a.key),
                ProblemKind::DuplicateAction,
                format!("action {:?} is defined twice", a.key),
            ));
        }
    }
    let index = |key: &str| def.states.iter().position(|s| s.key == key);

    let mut states = Vec::new();
    for s in &def.states {
        let at = |field: &str| src.field("states", &s.key, field);
        let role = match s.role.as_deref().map(|r| (r, WfRole::parse(r))) {
            None => None,
            Some((_, Some(role))) => Some(role),
            Some((r, None)) => {
                problems.push(problem(
                    at("role"),
                    ProblemKind::UnknownRole,
                    format!("state {:?}: no role {r:?}", s.key),
                ));
                None
            }
        };
        let status = DossierStatus::parse(&s.status).filter(|st| *st != DossierStatus::Draft);
        if status.is_none() {
            problems.push(problem(
                at("status"),
                ProblemKind::UnknownValue,
                format!("state {:?}: no dossier status {:?}", s.key, s.status),
            ));
        }
        let clock = parse_or(s.clock.as_deref(), Clock::Runs, Clock::parse);
        if clock.is_none() {
            problems.push(problem(
                at("clock"),
                ProblemKind::UnknownValue,
                format!("state {:?}: clock is runs, pauses or restarts", s.key),
            ));
        }
        let assign = parse_or(s.assign.as_deref(), Assign::Pool, Assign::parse);
        if assign.is_none() {
            problems.push(problem(
                at("assign"),
                ProblemKind::UnknownValue,
                format!("state {:?}: assign is pool or least_loaded", s.key),
            ));
        }
        let outcome = match s.outcome.as_deref() {
            None => Some(None),
            Some(o) => Outcome::parse(o).map(Some),
        };
        if outcome.is_none() {
            problems.push(problem(
                at("outcome"),
                ProblemKind::UnknownValue,
                format!("state {:?}: no outcome {:?}", s.key, s.outcome),
            ));
        }
        let budget = match (s.budget_days, s.budget_share) {
            (None, None) => Budget::None,
            (Some(d), None) if d >= 0.0 && (d * 2.0).fract() == 0.0 => Budget::Days(d),
            (None, Some(x)) if x > 0.0 && x <= 1.0 => Budget::Share(x),
            _ => {
                let field = if s.budget_days.is_some() { "budget_days" } else { "budget_share" };
                problems.push(problem(
                    at(field),
                    ProblemKind::Budget,
                    format!(
                        "state {:?}: a budget is whole or half working days, or a share between 0 and 1, not both",
                        s.key
                    ),
                ));
                Budget::None
            }
        };
        if let (Some(status), Some(clock), Some(assign), Some(outcome)) = (status, clock, assign, outcome) {
            states.push(State {
                key: s.key.clone(),
                label: s.label.clone(),
                label_en: s.label_en.clone().unwrap_or_else(|| s.label.clone()),
                role,
                status,
                budget,
                clock,
                assign,
                outcome,
            });
        }
    }

    let mut actions = Vec::new();
    for a in &def.actions {
        if let Some(action) =
            check_action(a, &src, &index, &mut |line, kind, message| problems.push(problem(line, kind, message)))
        {
            actions.push(action);
        }
    }
    let initial = index(&def.initial);
    if initial.is_none() {
        problems.push(problem(
            src.find("initial:", 1).unwrap_or(1),
            ProblemKind::UnknownState,
            format!("the initial state {:?} does not exist", def.initial),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let initial = initial.unwrap_or(0);
    let shape = check_shape(&def, &states, &actions, initial, &src);
    problems.extend(shape.into_iter().map(|(line, kind, message)| problem(line, kind, message)));
    let path_budgets = paths(&states, &actions, initial);
    if let Some((share, _)) = path_budgets.iter().find(|(share, _)| *share > 1.0 + 1e-9) {
        problems.push(problem(
            src.section("states"),
            ProblemKind::Budget,
            format!("the step shares along one way through add up to {share:.2}, more than the whole time limit"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Workflow {
        key: def.key.clone(),
        name: def.name.clone(),
        name_en: def.name_en.clone().unwrap_or_else(|| def.name.clone()),
        version: def.version,
        initial,
        states,
        actions,
        hash: crate::digest::sha256_hex(source.as_bytes()),
        path_budgets,
        source: source.to_owned(),
    })
}

fn parse_or<T: Copy>(text: Option<&str>, default: T, parse: fn(&str) -> Option<T>) -> Option<T> {
    match text {
        None => Some(default),
        Some(t) => parse(t),
    }
}

fn check_action(
    a: &ActionDef,
    src: &Source,
    index: &dyn Fn(&str) -> Option<usize>,
    report: &mut dyn FnMut(usize, ProblemKind, String),
) -> Option<Action> {
    let at = |field: &str| src.field("actions", &a.key, field);
    let mut ok = true;
    let mut from = Vec::new();
    for f in &a.from {
        match index(f) {
            Some(i) => from.push(i),
            None => {
                report(
                    at("from"),
                    ProblemKind::UnknownState,
                    format!("action {:?}: no state {f:?} to start from", a.key),
                );
                ok = false;
            }
        }
    }
    let to = index(&a.to);
    if to.is_none() {
        report(at("to"), ProblemKind::UnknownState, format!("action {:?}: no state {:?} to go to", a.key, a.to));
        ok = false;
    }
    let mut names = |list: &[String], field: &str, kind: ProblemKind, what: &str| -> BTreeSet<String> {
        let mut bad = BTreeSet::new();
        for name in list {
            let known = match kind {
                ProblemKind::UnknownRole => WfRole::parse(name).is_some(),
                ProblemKind::UnknownGuard => Guard::parse(name).is_some(),
                ProblemKind::UnknownEffect => Effect::parse(name).is_some(),
                _ => Input::parse(name).is_some(),
            };
            if !known {
                report(at(field), kind, format!("action {:?}: no {what} {name:?}", a.key));
                bad.insert(name.clone());
            }
        }
        bad
    };
    ok &= names(&a.roles, "roles", ProblemKind::UnknownRole, "role").is_empty();
    ok &= names(&a.guards, "guards", ProblemKind::UnknownGuard, "guard").is_empty();
    ok &= names(&a.effects, "effects", ProblemKind::UnknownEffect, "effect").is_empty();
    ok &= names(&a.inputs, "inputs", ProblemKind::UnknownInput, "input").is_empty();
    let on = match a.on.as_deref() {
        None => None,
        Some(name) => match SystemEvent::parse(name) {
            Some(event) => Some(event),
            None => {
                report(at("on"), ProblemKind::UnknownValue, format!("action {:?}: no event {name:?}", a.key));
                ok = false;
                None
            }
        },
    };
    match (a.roles.is_empty(), a.on.is_some()) {
        (true, false) => {
            report(at("roles"), ProblemKind::UnknownRole, format!("action {:?}: nobody may take it", a.key));
            ok = false;
        }
        (false, true) => {
            let why = format!("action {:?}: a step taken on an event is the portal's, not a role's", a.key);
            report(at("roles"), ProblemKind::UnknownRole, why);
            ok = false;
        }
        _ => {}
    }
    ok.then(|| Action {
        key: a.key.clone(),
        label: a.label.clone(),
        label_en: a.label_en.clone().unwrap_or_else(|| a.label.clone()),
        from,
        to: to.unwrap_or(0),
        roles: a.roles.iter().filter_map(|r| WfRole::parse(r)).collect(),
        on,
        inputs: a.inputs.iter().filter_map(|r| Input::parse(r)).collect(),
        guards: a.guards.iter().filter_map(|r| Guard::parse(r)).collect(),
        effects: a.effects.iter().filter_map(|r| Effect::parse(r)).collect(),
    })
}

/// Reachability and ends: every state reachable from the first, every
/// non-terminal state with a way out, terminal states without one, and at least one end.
fn check_shape(
    def: &Definition,
    states: &[State],
    actions: &[Action],
    initial: usize,
    src: &Source,
) -> Vec<(usize, ProblemKind, String)> {
    let mut out = Vec::new();
    if !states.iter().any(|s| s.outcome.is_some()) {
        out.push((
            src.section("states"),
            ProblemKind::NoTerminal,
            "no state ends the dossier (give one an outcome)".to_owned(),
        ));
    }
    let mut reached = vec![false; states.len()];
    let mut queue = vec![initial];
    while let Some(i) = queue.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        queue.extend(actions.iter().filter(|a| a.from.contains(&i)).map(|a| a.to));
    }
    for (i, s) in states.iter().enumerate() {
        let line = src.item("states", &def.states[i].key);
        if !reached[i] {
            out.push((
                line,
                ProblemKind::UnreachableState,
                format!("state {:?} cannot be reached from {:?}", s.key, states[initial].key),
            ));
        }
        let exits = actions.iter().any(|a| a.from.contains(&i));
        match (s.outcome.is_some(), exits) {
            (false, false) => {
                out.push((line, ProblemKind::DeadEnd, format!("state {:?} is not an end but has no way out", s.key)))
            }
            (true, true) => out.push((
                line,
                ProblemKind::TerminalExit,
                format!("state {:?} ends the dossier but has a way out", s.key),
            )),
            _ => {}
        }
    }
    out
}

/// (share, days) summed over the working steps of every simple way from `initial` to an end.
pub(crate) fn paths(states: &[State], actions: &[Action], initial: usize) -> Vec<(f64, f64)> {
    fn walk(
        at: usize,
        states: &[State],
        actions: &[Action],
        seen: &mut Vec<bool>,
        sum: (f64, f64),
        out: &mut Vec<(f64, f64)>,
    ) {
        let sum = if states[at].clock == Clock::Pauses {
            sum
        } else {
            let (days, share) = states[at].budget.days_and_share();
            (sum.0 + share, sum.1 + days)
        };
        if states[at].outcome.is_some() {
            out.push(sum);
            return;
        }
        seen[at] = true;
        for a in actions.iter().filter(|a| a.from.contains(&at)) {
            if !seen[a.to] {
                walk(a.to, states, actions, seen, sum, out);
            }
        }
        seen[at] = false;
    }
    let mut out = Vec::new();
    walk(initial, states, actions, &mut vec![false; states.len()], (0.0, 0.0), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "key: thu
name: Thử
version: 1
initial: a
states:
  - key: a
    label: A
    role: reception
    status: received
    budget_share: 0.5
  - key: b
    label: B
    role: leader
    status: in_progress
    budget_share: 0.5
  - key: done
    label: Xong
    status: returned
    outcome: returned
actions:
  - key: go
    label: Go
    from: [a]
    to: b
    roles: [reception]
  - key: finish
    label: Finish
    from: [b]
    to: done
    roles: [leader]
    guards: [fee_paid]
    effects: [notify_applicant]
    inputs: [reason]
";

    fn problems(source: &str) -> Vec<(ProblemKind, usize)> {
        match check("thu.yaml", source) {
            Ok(_) => Vec::new(),
            Err(found) => found.into_iter().map(|p| (p.kind, p.line)).collect(),
        }
    }

    #[test]
    fn a_good_file_passes_and_is_hashed() {
        let wf = check("thu.yaml", GOOD).unwrap();
        assert_eq!((wf.states.len(), wf.actions.len()), (3, 2));
        assert_eq!(wf.hash.len(), 64);
        assert_ne!(check("thu.yaml", &GOOD.replace("label: Go", "label: Đi")).unwrap().hash, wf.hash);
    }

    #[test]
    fn each_mistake_is_named_with_its_line() {
        let cases: &[(&str, &str, ProblemKind, usize)] = &[
            ("    to: b\n    roles: [reception]", "    to: c\n    roles: [reception]", ProblemKind::UnknownState, 24),
            ("    roles: [reception]\n", "    roles: [janitor]\n", ProblemKind::UnknownRole, 25),
            ("    role: leader\n", "    role: boss\n", ProblemKind::UnknownRole, 13),
            ("guards: [fee_paid]", "guards: [moon_full]", ProblemKind::UnknownGuard, 31),
            ("effects: [notify_applicant]", "effects: [send_flowers]", ProblemKind::UnknownEffect, 32),
            ("inputs: [reason]", "inputs: [mood]", ProblemKind::UnknownInput, 33),
            ("  - key: b\n", "  - key: a\n", ProblemKind::DuplicateState, 11),
            ("  - key: finish\n", "  - key: go\n", ProblemKind::DuplicateAction, 26),
            ("    outcome: returned\n", "", ProblemKind::NoTerminal, 5),
            ("    from: [a]\n    to: b", "    from: [a]\n    to: done", ProblemKind::UnreachableState, 11),
            ("budget_share: 0.5\n  - key: b", "budget_share: 0.7\n  - key: b", ProblemKind::Budget, 5),
            ("budget_share: 0.5\n  - key: b", "budget_days: 0.3\n  - key: b", ProblemKind::Budget, 10),
            ("    status: in_progress\n", "    status: flying\n", ProblemKind::UnknownValue, 14),
            ("initial: a", "initial: z", ProblemKind::UnknownState, 4),
            ("key: thu\n", "key: khac\n", ProblemKind::FileName, 1),
        ];
        for (from, to, kind, line) in cases {
            assert!(GOOD.contains(from), "fixture {from:?}");
            let found = problems(&GOOD.replacen(from, to, 1));
            assert!(found.contains(&(*kind, *line)), "{kind}: expected at line {line}, found {found:?}");
        }
        let broken = problems(&GOOD.replacen("states:\n", "states\n", 1));
        assert!(matches!(broken.as_slice(), [(ProblemKind::Syntax, line)] if *line >= 5), "{broken:?}");
    }

    #[test]
    fn a_state_without_a_way_out_and_an_end_with_one_are_refused() {
        let dead = GOOD.replace("  - key: finish\n    label: Finish\n    from: [b]\n    to: done\n    roles: [leader]\n    guards: [fee_paid]\n    effects: [notify_applicant]\n    inputs: [reason]\n", "");
        let found = problems(&dead);
        assert!(found.contains(&(ProblemKind::DeadEnd, 11)), "{found:?}");
        assert!(found.contains(&(ProblemKind::UnreachableState, 16)), "{found:?}");
        let exit =
            format!("{GOOD}  - key: again\n    label: Again\n    from: [done]\n    to: a\n    roles: [reception]\n");
        assert!(problems(&exit).contains(&(ProblemKind::TerminalExit, 16)));
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_once() {
        let bad =
            GOOD.replace("roles: [reception]\n", "roles: [janitor]\n").replace("guards: [fee_paid]", "guards: [moon]");
        assert_eq!(problems(&bad).len(), 2);
        let shown = check("thu.yaml", &bad).unwrap_err()[0].to_string();
        assert!(shown.starts_with("thu.yaml:25: action \"go\": no role \"janitor\""), "{shown}");
    }

    #[test]
    fn step_budgets_must_fit_the_procedure_time_limit() {
        let wf =
            check("thu.yaml", &GOOD.replace("budget_share: 0.5\n  - key: b", "budget_days: 3\n  - key: b")).unwrap();
        // 3 days plus half the limit: fits 6 days or more.
        assert!(wf.fits(6.0).is_ok());
        assert_eq!(wf.fits(5.0), Err(5.5));
    }
}
