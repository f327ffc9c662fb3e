//! Taking a workflow step on a dossier: the engine decides, then one
//! transaction writes the new status and workflow state, the clock (pause,
//! resume, restart), the step's due time and holder, the history entry and
//! the effects' outbox rows. Everything else reacts to those rows.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::documents;
use super::lifecycle::{self, Asked, Event, Pause, Step};
use super::national_record;
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::auth::principal::Principal;
use crate::auth::role::Role;
use crate::catalogue::view::ProcedureView;
use crate::context::{Context, Rules};
use crate::error::{AppError, FieldError};
use crate::sla::steps;
use crate::sla::{Calendar, local_time};
use crate::workflow::engine::{self, Facts, Refusal};
use crate::workflow::model::{Assign, Clock, Effect, Input, Outcome, State, SystemEvent, WfRole, Workflow};
use crate::workflow_registry as registry;

/// What the person acting gave with the action.
#[derive(Debug, Default, Clone)]
pub struct Given {
    pub reason: String,
    pub documents: String,
    pub note: String,
    pub agency: String,
    pub assignee: Option<i32>,
    /// The result document, already in the store.
    pub result_upload: Option<i64>,
}

impl Given {
    fn inputs(&self) -> Vec<Input> {
        let mut out = vec![Input::Note];
        let filled = |s: &str| s.trim().chars().count() >= 5;
        if filled(&self.reason) {
            out.push(Input::Reason);
        }
        if filled(&self.documents) {
            out.push(Input::Documents);
        }
        if !self.agency.trim().is_empty() {
            out.push(Input::Agency);
        }
        if self.assignee.is_some() {
            out.push(Input::Assignee);
        }
        if self.result_upload.is_some() {
            out.push(Input::ResultDocument);
        }
        out
    }

    /// The words the history keeps for the step.
    fn note(&self) -> String {
        [&self.reason, &self.documents, &self.agency, &self.note]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The roles of `who` in the workflow's terms for dossier `d`.
pub fn roles_of(who: &Principal, d: &dossier::Model) -> Vec<WfRole> {
    if who.is_applicant() {
        return if d.applicant_id == Some(who.id) { vec![WfRole::Applicant] } else { Vec::new() };
    }
    // Officials act only on their own unit's dossiers; a partner agency of a transfer reads them.
    if who.unit_id != Some(d.agency_id) {
        return Vec::new();
    }
    official_roles(who)
}

/// The workflow roles an official's roles give, whatever the dossier.
pub fn official_roles(who: &Principal) -> Vec<WfRole> {
    who.roles
        .iter()
        .filter_map(|r| match r {
            Role::Reception => Some(WfRole::Reception),
            Role::Specialist => Some(WfRole::Specialist),
            Role::Leader => Some(WfRole::Leader),
            _ => None,
        })
        .collect()
}

/// The workflow the dossier started with, if it is in one, with its procedure's own step budgets.
pub async fn workflow_of(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
) -> Result<Option<std::sync::Arc<Workflow>>, AppError> {
    match d.workflow_version_id {
        Some(id) => {
            let wf = registry::version(db, id).await?;
            crate::workflow_store::step_budgets::applied_read(db, d.procedure_id, wf).await.map(Some)
        }
        None => Ok(None),
    }
}

/// As `workflow_of`, the version from this process's memory (`Rules::versions`)
/// with the step budgets of `p`, the dossier's procedure as the caller read it.
pub async fn workflow_in(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
) -> Result<Option<std::sync::Arc<Workflow>>, AppError> {
    match d.workflow_version_id {
        Some(id) => Ok(Some(crate::workflow_store::step_budgets::applied(p, rules.versions.get(db, id).await?))),
        None => Ok(None),
    }
}

/// Whether the dossier is with the officials (received, not closed) in a workflow state.
pub fn in_processing(d: &dossier::Model) -> bool {
    let status = Some(d.status);
    d.workflow_state.is_some()
        && d.received_at.is_some()
        && !matches!(status, Some(DossierStatus::Draft | DossierStatus::Submitted) | None)
        && !status.is_some_and(DossierStatus::is_closed)
}

/// The due time of `state` entered at `now`, unless the clock pauses there.
pub fn step_due(cal: &Calendar, state: &State, p: &ProcedureView, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if state.clock == Clock::Pauses {
        return None;
    }
    steps::step_due(cal, local_time::to_local(now), state.budget.into(), p.record.time_limit).map(local_time::to_utc)
}

/// Takes `action` on dossier `d` (read at `version`) as `who`.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    cx: &Context,
    d: &dossier::Model,
    version: i32,
    who: &Principal,
    actor: &Actor,
    action: &str,
    given: &Given,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    // Read before the transaction, shared with the other steps waiting for it: one statement fewer in each.
    let catalogue = cx.procedures.counter(&cx.db).await?;
    let txn = crate::db::begin_write(&cx.db).await?;
    let changed = act_in(&txn, cx, catalogue, d, version, who, actor, action, given, now).await?;
    txn.commit().await?;
    Ok(changed)
}

/// As `act`, in the caller's transaction, with the catalogue version
/// (`Views::counter`) the caller read before it began.
#[allow(clippy::too_many_arguments)]
async fn act_in(
    txn: &impl ConnectionTrait,
    rules: &Rules,
    catalogue: i64,
    d: &dossier::Model,
    version: i32,
    who: &Principal,
    actor: &Actor,
    action: &str,
    given: &Given,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    act_as(txn, rules, catalogue, d, version, &roles_of(who, d), actor, action, given, now).await
}

/// `act_in` with the workflow roles `mine`: an officer recording a walk-in
/// applicant's answer at the counter takes the applicant's step. An actor
/// who comes with a role keeps it in the history.
#[allow(clippy::too_many_arguments)]
pub async fn act_as(
    txn: &impl ConnectionTrait,
    rules: &Rules,
    catalogue: i64,
    d: &dossier::Model,
    version: i32,
    mine: &[WfRole],
    actor: &Actor,
    action: &str,
    given: &Given,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    if d.version != version {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    if !in_processing(d) {
        return Err(AppError::Conflict("the dossier is not being processed".into()));
    }
    let seen = Seen::read_at(txn, rules, d, catalogue).await?;
    let wf = workflow_in(txn, rules, d, &seen.procedure)
        .await?
        .ok_or_else(|| AppError::Conflict("the dossier has no workflow".into()))?;
    let (p, facts) = (&seen.procedure, seen.facts(d));
    let current = d.workflow_state.as_deref().unwrap_or_default();
    let decision = engine::decide(&wf, current, action, mine, &given.inputs(), facts).map_err(|r| match r {
        Refusal::Role => AppError::Forbidden,
        Refusal::MissingInput(input) => AppError::Validation(vec![FieldError::new(input.as_str(), "required")]),
        Refusal::Guard(guard) => AppError::Conflict(format!("not yet: {guard}")),
        Refusal::UnknownState | Refusal::UnknownAction | Refusal::NotFromHere => {
            AppError::Conflict("this action is not open for the dossier now".into())
        }
    })?;
    let to = decision.to;
    // A transfer names its partner agency by code: a real one, not the dossier's own.
    let mut given = given.clone();
    let mut partner = None;
    if decision.action.inputs.contains(&Input::Agency) {
        let code = given.agency.trim().to_owned();
        let found = entity::agency::Entity::find()
            .filter(entity::agency::Column::Code.eq(&code))
            .one(txn)
            .await?
            .filter(|a| a.id != d.agency_id)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("agency", "invalid_choice")]))?;
        given.agency = format!("Cơ quan phối hợp: {} ({})", found.name, found.code);
        partner = Some(found);
    }
    let given = &given;

    money_allows(d, p, to.status, seen.paid.vnd)?;
    let (step, holder) = plan_step(txn, rules, d, &seen, &decision, given, partner.as_ref().map(|a| a.id), now).await?;
    // The role the step was taken in, for the history and the control slip.
    let acting = decision.action.roles.iter().find(|r| mine.contains(r)).map_or("", |r| r.as_str());
    let actor = match &actor.role {
        Some(_) => actor.clone(),
        None => actor.in_role(acting),
    };
    // The records' facts from what the step read: nothing of the dossier read twice.
    let read = seen.record(&wf);
    let event = Event::Step(Box::new(step));
    let (changed, note) =
        lifecycle::change_noted_with(txn, d, event, &actor, read, &rules.settings.public_url, now).await?;
    if matches!(to.outcome, Some(Outcome::Refused | Outcome::Withdrawn)) {
        crate::payment::refund::request(txn, &changed, p.record.fee_refundable, &actor, now).await?;
    }
    effects(txn, rules, &changed, p, decision.effects, to, &note, holder.as_ref(), now).await?;
    Ok(changed)
}

/// The step `decision` takes on `d`, with its clock worked out: a pause
/// ended shifts the appointment by the working time away, a restart gives a
/// new one, the step's own due time, the holder, the supplement asked; and
/// the holder's row when the step chose them (least loaded).
#[allow(clippy::too_many_arguments)]
async fn plan_step(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    seen: &Seen,
    decision: &engine::Decision<'_>,
    given: &Given,
    partner: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(Step, Option<entity::account::Model>), AppError> {
    let (from, to, p) = (decision.from, decision.to, &seen.procedure);
    let (time, cal) = rules.time.of(db, &rules.settings, d, seen.catalogue).await?;
    let mut due = d.due_at;
    let mut soon = d.due_soon_at;
    let mut pause = Pause::Keep;
    // Coming back from a pause: the time away is not the officials' time.
    if from.clock == Clock::Pauses
        && let Some(paused) = d.paused_at
    {
        let shift = |t: DateTime<Utc>| {
            local_time::to_utc(steps::after_pause(
                &cal,
                local_time::to_local(t),
                local_time::to_local(paused),
                local_time::to_local(now),
            ))
        };
        due = due.map(shift);
        soon = soon.map(shift);
        pause = Pause::End;
    }
    let mut restarted = false;
    match to.clock {
        Clock::Pauses => pause = Pause::Start,
        // The complete dossier starts the whole limit again (NĐ 297/2025 Art. 6).
        // The procedure may say a correction only subtracts the time away (its policy; REGULATIONS §2.1 step 6).
        Clock::Restarts if !p.record.correction_restarts_clock && d.due_at.is_some() => {}
        Clock::Restarts => {
            due = Some(super::receive::appointment(&cal, p, now));
            soon = Some(super::receive::due_soon(&cal, p, now, time.due_soon_share));
            restarted = d.due_at.is_some() && due != d.due_at;
        }
        Clock::Runs => {}
    }
    let ends = to.outcome.is_some();
    let mut holder = None;
    let assignee = match (given.assignee, to.assign, to.role) {
        (Some(chosen), _, _) => Some(chosen),
        (None, Assign::LeastLoaded, Some(role)) => {
            // "Due soon": within the next few working days (a setting, three by default).
            let days = i64::from(rules.settings.policies.assign_due_within_days);
            let horizon =
                local_time::to_utc(cal.add_working_minutes(local_time::to_local(now), days * cal.minutes_per_day()));
            holder = super::officials::least_loaded(db, d.agency_id, role, horizon).await?;
            holder.as_ref().map(|a| a.id)
        }
        _ => None,
    };
    let asked = (to.status == DossierStatus::AwaitingSupplement).then(|| {
        // Each part under its label, as form 02 asks for them: what to supplement, and why.
        let parts = [("Giấy tờ cần bổ sung, hoàn thiện", given.documents.trim()), ("Lý do", given.reason.trim())];
        let what = parts
            .iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(label, text)| format!("{label}: {text}"))
            .collect::<Vec<_>>()
            .join("\n");
        Asked { what, closes_at: super::policy::supplement_due(&cal, &time, now) }
    });
    let step = Step {
        action: decision.action.key.clone(),
        from_state: from.key.clone(),
        to_state: to.key.clone(),
        to: to.status,
        due_at: due,
        due_soon_at: soon,
        restarted,
        pause,
        step_due_at: if ends { None } else { step_due(&cal, to, p, now) },
        assignee,
        ends,
        partner_agency_id: partner,
        result_upload_id: given.result_upload.filter(|_| decision.effects.contains(&Effect::IssueResult)),
        // A request for papers is recorded as the applicant reads it: each part under its label.
        note: asked.as_ref().map_or_else(|| given.note(), |a| a.what.clone()),
        asked,
    };
    Ok((step, holder))
}

/// What a step reads of the dossier, once: its guards, the fee check and
/// its national record all take it from here.
struct Seen {
    procedure: ProcedureView,
    /// The catalogue version the procedure was read at: the calendar is read at it too.
    catalogue: i64,
    attached: Vec<documents::Attached>,
    paid: crate::payment::Paid,
}

impl Seen {
    async fn read(txn: &impl ConnectionTrait, rules: &Rules, d: &dossier::Model) -> Result<Seen, AppError> {
        let catalogue = crate::change_counter::read(txn, crate::change_counter::CATALOGUE).await?;
        Seen::read_at(txn, rules, d, catalogue).await
    }

    /// As `read`, at catalogue version `catalogue`, read by the caller.
    async fn read_at(
        txn: &impl ConnectionTrait,
        rules: &Rules,
        d: &dossier::Model,
        catalogue: i64,
    ) -> Result<Seen, AppError> {
        let procedure = rules.procedures.of_dossier_known(txn, d, catalogue).await?;
        Ok(Seen {
            procedure,
            catalogue,
            attached: documents::list(txn, d.id).await?,
            paid: crate::payment::paid(txn, d.id).await?,
        })
    }

    /// What the workflow's guards read about `d` now.
    fn facts(&self, d: &dossier::Model) -> Facts {
        let p = &self.procedure;
        let due = crate::catalogue::fees::due_for(&p.record.fees, &d.form_data);
        Facts {
            fee_paid: self.paid.vnd >= due,
            documents_complete: documents::missing(&documents::slots(p), &self.attached).is_empty(),
        }
    }

    /// The same, for the national record of the step under `wf`.
    fn record<'a>(&'a self, wf: &'a Workflow) -> national_record::Read<'a> {
        national_record::Read {
            procedure: &self.procedure,
            attached: &self.attached,
            paid: self.paid,
            workflow: Some(wf),
        }
    }
}

/// No result is issued while a fee collected before the result is unpaid,
/// and none is handed over while any fee is (REGULATIONS §2.1 item 12).
fn money_allows(d: &dossier::Model, p: &ProcedureView, to: DossierStatus, paid_vnd: i64) -> Result<(), AppError> {
    let due = match to {
        DossierStatus::ResultReady => crate::catalogue::fees::due_before_result(&p.record.fees, &d.form_data),
        DossierStatus::Returned => crate::catalogue::fees::due_for(&p.record.fees, &d.form_data),
        _ => return Ok(()),
    };
    if paid_vnd < due {
        return Err(AppError::Conflict("not yet: fee_unpaid".into()));
    }
    Ok(())
}

/// Takes the step the dossier's workflow declares for `event` (a fee paid),
/// in the caller's transaction, as the portal; nothing when the dossier is
/// not at such a step or its guards do not hold yet.
pub async fn on_event(
    txn: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    event: SystemEvent,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Option<dossier::Model>, AppError> {
    if !in_processing(d) {
        return Ok(None);
    }
    let seen = Seen::read(txn, rules, d).await?;
    let Some(wf) = workflow_in(txn, rules, d, &seen.procedure).await? else { return Ok(None) };
    let (p, facts) = (&seen.procedure, seen.facts(d));
    let current = d.workflow_state.as_deref().unwrap_or_default();
    let Some(decision) = engine::on_event(&wf, current, event, facts) else { return Ok(None) };
    money_allows(d, p, decision.to.status, seen.paid.vnd)?;
    let given = Given { note: note.to_owned(), ..Default::default() };
    let (step, holder) = plan_step(txn, rules, d, &seen, &decision, &given, None, now).await?;
    let actor = Actor::system(match event {
        SystemEvent::FeePaid => "đã nộp phí, lệ phí",
    });
    let read = seen.record(&wf);
    let event = Event::Step(Box::new(step));
    let (changed, note) =
        lifecycle::change_noted_with(txn, d, event, &actor, read, &rules.settings.public_url, now).await?;
    effects(txn, rules, &changed, p, decision.effects, decision.to, &note, holder.as_ref(), now).await?;
    Ok(Some(changed))
}

/// The outbox rows of a step's effects, in the step's transaction.
#[allow(clippy::too_many_arguments)]
async fn effects(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    effects: &[Effect],
    to: &State,
    note: &str,
    holder: Option<&entity::account::Model>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for effect in effects {
        match effect {
            Effect::NotifyApplicant => {
                let extra = [("step", to.label.clone()), ("note", note.to_owned())];
                crate::notify::dossier::notify_applicant(db, rules, "dossier_step", d, p, &extra, false, now).await?;
            }
            // Every change is queued for the national portal by the lifecycle itself.
            Effect::SyncNationalPortal => {}
            Effect::NotifyNextHandler => super::handover::notify_next(db, rules, d, p, to, note, holder, now).await?,
            Effect::Transfer => super::handover::notify_partner(db, d, p, now).await?,
            // The applicant is asked for what the dossier owes now (national status 6 is the step's).
            Effect::RequestPayment => {
                let owed = super::money::owed_now(db, d).await?;
                let extra = [("amount", crate::catalogue::model::Vnd(owed).to_string()), ("note", note.to_owned())];
                crate::notify::dossier::notify_applicant(db, rules, "dossier_payment", d, p, &extra, false, now)
                    .await?;
            }
            // The result is set with the step.
            Effect::IssueResult => {}
        }
    }
    // A finished dossier's applicant is invited to rate it (QĐ 766 5.4).
    crate::rating::invite::send(db, rules, d, p, now).await?;
    Ok(())
}
