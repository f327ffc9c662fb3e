//! What a workflow allows: pure decisions on a checked `Workflow`, with no
//! HTTP and no database. The caller loads the dossier, asks `decide`, and
//! writes the state change, its history and its effects in one transaction.

use super::model::{Action, Clock, Effect, Guard, Input, State, SystemEvent, WfRole, Workflow};

/// What the caller knows about the dossier when it asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub fee_paid: bool,
    pub documents_complete: bool,
}

impl Facts {
    fn holds(&self, guard: Guard) -> bool {
        match guard {
            Guard::FeePaid => self.fee_paid,
            Guard::DocumentsComplete => self.documents_complete,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownState,
    UnknownAction,
    /// The action does not start from the dossier's state.
    NotFromHere,
    /// None of the asker's roles may take the action.
    Role,
    Guard(Guard),
    MissingInput(Input),
}

#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub action: &'a Action,
    pub from: &'a State,
    pub to: &'a State,
    pub effects: &'a [Effect],
    /// What happens to the time limit on arrival.
    pub clock: Clock,
}

/// The actions of `state` that someone with `roles` may take, whatever the guards say.
pub fn available<'a>(wf: &'a Workflow, state: &str, roles: &[WfRole]) -> Vec<&'a Action> {
    let Some(i) = wf.state_index(state) else { return Vec::new() };
    wf.actions.iter().filter(|a| a.from.contains(&i) && a.roles.iter().any(|r| roles.contains(r))).collect()
}

/// Whether someone with `roles`, giving `inputs`, may take `action` on a
/// dossier in `state`, and where it leads.
pub fn decide<'a>(
    wf: &'a Workflow,
    state: &str,
    action: &str,
    roles: &[WfRole],
    inputs: &[Input],
    facts: Facts,
) -> Result<Decision<'a>, Refusal> {
    let from = wf.state_index(state).ok_or(Refusal::UnknownState)?;
    let action = wf.action(action).ok_or(Refusal::UnknownAction)?;
    if !action.from.contains(&from) {
        return Err(Refusal::NotFromHere);
    }
    if !action.roles.iter().any(|r| roles.contains(r)) {
        return Err(Refusal::Role);
    }
    if let Some(guard) = action.guards.iter().find(|g| !facts.holds(**g)) {
        return Err(Refusal::Guard(*guard));
    }
    if let Some(missing) = action.inputs.iter().find(|i| **i != Input::Note && !inputs.contains(i)) {
        return Err(Refusal::MissingInput(*missing));
    }
    let to = &wf.states[action.to];
    Ok(Decision { action, from: &wf.states[from], to, effects: &action.effects, clock: to.clock })
}

/// The step the portal itself takes on a dossier in `state` when `event`
/// happens: the first action from there declared `on: event` whose guards
/// hold; none when the dossier is elsewhere or a guard does not hold yet.
pub fn on_event<'a>(wf: &'a Workflow, state: &str, event: SystemEvent, facts: Facts) -> Option<Decision<'a>> {
    let from = wf.state_index(state)?;
    wf.actions
        .iter()
        .filter(|a| a.on == Some(event) && a.from.contains(&from))
        .find_map(|a| decide_system(wf, state, &a.key, facts).ok())
}

/// Whether the portal may take its own step `action` on a dossier in `state`.
pub fn decide_system<'a>(wf: &'a Workflow, state: &str, action: &str, facts: Facts) -> Result<Decision<'a>, Refusal> {
    let from = wf.state_index(state).ok_or(Refusal::UnknownState)?;
    let action = wf.action(action).ok_or(Refusal::UnknownAction)?;
    if !action.from.contains(&from) {
        return Err(Refusal::NotFromHere);
    }
    if action.on.is_none() {
        return Err(Refusal::Role);
    }
    if let Some(guard) = action.guards.iter().find(|g| !facts.holds(**g)) {
        return Err(Refusal::Guard(*guard));
    }
    let to = &wf.states[action.to];
    Ok(Decision { action, from: &wf.states[from], to, effects: &action.effects, clock: to.clock })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::load::load_dir;

    fn all() -> std::collections::BTreeMap<String, Workflow> {
        load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows"))
            .expect("the shipped workflows are valid")
    }

    const EVERY_INPUT: &[Input] =
        &[Input::Reason, Input::Documents, Input::Assignee, Input::ResultDocument, Input::Note, Input::Agency];
    const EVERYTHING: Facts = Facts { fee_paid: true, documents_complete: true };

    #[test]
    fn the_shipped_workflows_load() {
        let keys: Vec<String> = all().into_keys().collect();
        assert_eq!(
            keys,
            ["lien-thong", "mot-cua-3-buoc", "tham-dinh-thuc-te", "thu-phi-khi-nop", "thu-phi-sau-tham-dinh"]
        );
    }

    /// Every state × action × role of every shipped workflow: allowed exactly
    /// when the action starts from the state and names the role; then refused
    /// for a failing guard or a missing input, in that order.
    #[test]
    fn every_state_action_and_role_of_every_workflow() {
        let mut allowed = 0;
        for wf in all().values() {
            for state in &wf.states {
                for action in &wf.actions {
                    for role in WfRole::ALL {
                        let starts_here = action.from.iter().any(|i| wf.states[*i].key == state.key);
                        let may = action.roles.contains(role);
                        let got = decide(wf, &state.key, &action.key, &[*role], EVERY_INPUT, EVERYTHING);
                        match (starts_here, may) {
                            (false, _) => assert_eq!(got.unwrap_err(), Refusal::NotFromHere),
                            (true, false) => assert_eq!(got.unwrap_err(), Refusal::Role),
                            (true, true) => {
                                allowed += 1;
                                let d = got.unwrap();
                                assert_eq!(d.to.key, wf.states[action.to].key);
                                assert_eq!(d.effects, action.effects.as_slice());
                                let listed = available(wf, &state.key, &[*role]);
                                assert!(
                                    listed.iter().any(|a| a.key == action.key),
                                    "{}: {} listed",
                                    wf.key,
                                    action.key
                                );
                                if let Some(guard) = action.guards.first() {
                                    let got =
                                        decide(wf, &state.key, &action.key, &[*role], EVERY_INPUT, Facts::default());
                                    assert_eq!(got.unwrap_err(), Refusal::Guard(*guard));
                                }
                                if let Some(input) = action.inputs.iter().find(|i| **i != Input::Note) {
                                    let got = decide(wf, &state.key, &action.key, &[*role], &[], EVERYTHING);
                                    assert_eq!(got.unwrap_err(), Refusal::MissingInput(*input));
                                }
                            }
                        }
                    }
                }
            }
            assert_eq!(decide(wf, "khong_co", "x", &[], &[], EVERYTHING).unwrap_err(), Refusal::UnknownState);
            assert_eq!(
                decide(wf, &wf.states[0].key, "khong_co", &[], &[], EVERYTHING).unwrap_err(),
                Refusal::UnknownAction
            );
        }
        assert!(allowed > 40, "{allowed}");
    }

    /// Walks `path` of (action, role) from the first state; returns the last state.
    fn walk(wf: &Workflow, path: &[(&str, WfRole)]) -> String {
        let mut state = wf.states[wf.initial].key.clone();
        for (action, role) in path {
            // The portal's own steps are written with the applicant's role in the path; it is not used.
            let d = match wf.action(action).and_then(|a| a.on) {
                Some(_) => decide_system(wf, &state, action, EVERYTHING),
                None => decide(wf, &state, action, &[*role], EVERY_INPUT, EVERYTHING),
            }
            .unwrap_or_else(|e| panic!("{}: {action} from {state}: {e:?}", wf.key));
            state = d.to.key.clone();
        }
        state
    }

    #[test]
    fn each_workflow_leads_from_reception_to_the_result() {
        use WfRole::*;
        let wfs = all();
        let main = [("chuyen_tham_dinh", Reception), ("trinh_phe_duyet", Specialist)];
        let end = [("phe_duyet_ket_qua", Leader), ("xac_nhan_tra_ket_qua", Reception)];
        let three = [&main[..], &end[..]].concat();
        assert_eq!(walk(&wfs["mot-cua-3-buoc"], &three), "da_tra_ket_qua");
        let transfer = [
            ("chuyen_tham_dinh", Reception),
            ("chuyen_lien_thong", Specialist),
            ("nhan_ket_qua_lien_thong", Specialist),
        ];
        assert_eq!(walk(&wfs["lien-thong"], &[&transfer[..], &end[..]].concat()), "da_tra_ket_qua");
        let fee = [("chuyen_tham_dinh", Reception), ("yeu_cau_nop_phi", Specialist), ("da_nop_phi", Applicant)];
        assert_eq!(walk(&wfs["thu-phi-sau-tham-dinh"], &[&fee[..], &end[..]].concat()), "da_tra_ket_qua");
        let field =
            [("chuyen_tham_dinh", Reception), ("lap_doan_kiem_tra", Specialist), ("trinh_phe_duyet", Specialist)];
        assert_eq!(walk(&wfs["tham-dinh-thuc-te"], &[&field[..], &end[..]].concat()), "da_tra_ket_qua");
    }

    #[test]
    fn a_supplement_pauses_the_clock_and_a_correction_restarts_it() {
        use WfRole::*;
        let wf = &all()["mot-cua-3-buoc"];
        let d = decide(wf, "tham_dinh", "yeu_cau_bo_sung", &[Specialist], EVERY_INPUT, EVERYTHING).unwrap();
        assert_eq!((d.to.key.as_str(), d.clock), ("bo_sung_tham_dinh", Clock::Pauses));
        let d = decide(wf, "bo_sung_tham_dinh", "nop_bo_sung", &[Applicant], &[], EVERYTHING).unwrap();
        assert_eq!((d.to.key.as_str(), d.clock), ("tham_dinh", Clock::Runs));
        let d = decide(wf, "bo_sung_tiep_nhan", "nop_hoan_thien", &[Applicant], &[], EVERYTHING).unwrap();
        assert_eq!((d.to.key.as_str(), d.clock), ("tiep_nhan", Clock::Restarts));
        // The paid fee moves the dossier on by itself, and only once it is paid; nobody takes that step by hand.
        let fee = &all()["thu-phi-sau-tham-dinh"];
        let unpaid = Facts { fee_paid: false, documents_complete: true };
        assert!(on_event(fee, "cho_nop_phi", SystemEvent::FeePaid, unpaid).is_none());
        let paid = on_event(fee, "cho_nop_phi", SystemEvent::FeePaid, EVERYTHING).expect("a step on fee_paid");
        assert_eq!(paid.to.key, "phe_duyet");
        let by_hand = decide(fee, "cho_nop_phi", "da_nop_phi", &[Specialist, Applicant], EVERY_INPUT, EVERYTHING);
        assert_eq!(by_hand.unwrap_err(), Refusal::Role);
    }

    #[test]
    fn the_shipped_budgets_fill_the_time_limit_exactly_at_most() {
        for wf in all().values() {
            assert!(wf.fits(30.0).is_ok(), "{}", wf.key);
            let worst = wf.path_budgets.iter().map(|(s, _)| *s).fold(0.0, f64::max);
            assert!((worst - 1.0).abs() < 1e-9, "{}: the longest way uses the whole limit, got {worst}", wf.key);
        }
    }
}
