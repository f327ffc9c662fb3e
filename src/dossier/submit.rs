//! Submitting a dossier: in one transaction the e-form is checked, the
//! documents counted, the national code allocated, the status, the first
//! history entry and the applicant's e-mail written — all or nothing. A
//! dossier already submitted is returned as it is, so a double click or a
//! retried request never makes a second one.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::documents::{self, Limits};
use super::lifecycle::{self, Event, Submission};
use super::status::{Channel, DossierStatus};
use super::{applicant, code, draft, form_data, national_record, receive};
use crate::audit::Actor;
use crate::catalogue::eform::Schema;
use crate::catalogue::view::ProcedureView;
use crate::context::Context;
use crate::error::AppError;
use crate::notify::dossier as mail;
use crate::sla::local_time;

pub struct Submitted {
    pub dossier: dossier::Model,
    /// False when the dossier had been submitted already.
    pub newly: bool,
}

pub fn limits(state: &Context) -> Limits {
    Limits { files: state.settings.dossier_max_files, bytes: state.settings.dossier_max_bytes }
}

pub fn schema_of(p: &ProcedureView) -> Result<Schema, AppError> {
    Schema::parse(&p.record.eform_schema, "eform")
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored e-form of {} is invalid: {}", p.record.code, e.code)))
}

/// Everything that keeps the draft `d` from being submitted, as field errors.
pub async fn problems(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    p: &ProcedureView,
    limits: Limits,
) -> Result<Result<serde_json::Value, Vec<crate::error::FieldError>>, AppError> {
    let attached = documents::list(db, d.id).await?;
    problems_with(d, p, &attached, limits)
}

/// As `problems`, with the draft's documents read.
fn problems_with(
    d: &dossier::Model,
    p: &ProcedureView,
    attached: &[documents::Attached],
    limits: Limits,
) -> Result<Result<serde_json::Value, Vec<crate::error::FieldError>>, AppError> {
    let schema = schema_of(p)?;
    let checked = form_data::check(&schema, &draft::typed(d));
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    errors.extend(documents::missing(&documents::slots(p), attached));
    errors.extend(documents::check_limits(attached, 0, 0, limits));
    errors.extend(draft::result_delivery(d).err());
    Ok(if errors.is_empty() { checked } else { Err(errors) })
}

/// What the caller of `submit` read this request already, so the
/// submission does not read it again.
#[derive(Debug, Default, Clone, Copy)]
pub struct AlreadyRead {
    /// The catalogue's version the caller read the procedure at (`Views::public_at`).
    pub catalogue: Option<i64>,
    /// Whether the applicant's account is verified with VNeID, for a caller
    /// who read the account of the draft's applicant.
    pub vneid_verified: Option<bool>,
}

/// Submits draft `dossier_id`. The transaction runs on the database lane
/// (`db::on_lane`): from its code to its commit it holds the agency's
/// sequence of the day, which every other submission to the agency waits for.
pub async fn submit(
    cx: &Arc<Context>,
    dossier_id: i64,
    actor: &Actor,
    read: AlreadyRead,
    now: DateTime<Utc>,
) -> Result<Submitted, AppError> {
    let (cx, actor) = (Arc::clone(cx), actor.clone());
    crate::db::on_lane(async move { submit_now(&cx, dossier_id, &actor, read, now).await }).await
}

async fn submit_now(
    state: &Context,
    dossier_id: i64,
    actor: &Actor,
    read: AlreadyRead,
    now: DateTime<Utc>,
) -> Result<Submitted, AppError> {
    // The catalogue's version before the transaction, shared with the requests waiting for it.
    let catalogue = match read.catalogue {
        Some(known) => known,
        None => state.procedures.counter(&state.db).await?,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let d = dossier::Entity::find_by_id(dossier_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if d.status != DossierStatus::Draft {
        return Ok(Submitted { dossier: d, newly: false });
    }
    // The procedure from this process's memory while the catalogue has not changed.
    let p = state.procedures.live_known(&txn, d.procedure_id, catalogue).await?;
    let p = ProcedureView::clone(&p);
    if !p.accepts_online_submission {
        return Err(AppError::Conflict("the procedure takes no dossiers now".into()));
    }
    let attached = documents::list(&txn, d.id).await?;
    let data = problems_with(&d, &p, &attached, limits(state))?.map_err(AppError::Validation)?;
    let address = match d.applicant_address.as_str() {
        "" => applicant::address_in(&schema_of(&p)?, &data).unwrap_or_default(),
        known => known.to_owned(),
    };
    // The dossier keeps the workflow version it starts with, whatever later edits or activations:
    // the one an admin activated for the procedure by now, else the shipped one of its key.
    let (workflow_version, workflow_state) = match state.workflows_in_use.version_for(&txn, p.id, now).await? {
        Some(id) => {
            let wf = state.versions.get(&txn, id).await?;
            (Some(id), Some(wf.states[wf.initial].key.clone()))
        }
        None => match state.workflows.get(&p.record.workflow_key) {
            Some((id, wf)) => (Some(id), Some(wf.states[wf.initial].key.clone())),
            None => (None, None),
        },
    };
    // The time rules in force now for this procedure at this agency: the dossier keeps them.
    let (time, cal) =
        state.time.for_new_dossier(&txn, &state.settings, d.agency_id, d.procedure_id, now, catalogue).await?;
    let accept_due = super::policy::accept_due(&cal, &time, now);
    // QĐ 766 indicator 4.5 reads whether the applicant's account was verified with VNeID.
    let vneid_verified = match (d.applicant_id, read.vneid_verified) {
        (Some(_), Some(known)) => known,
        (Some(id), None) => entity::account::Entity::find_by_id(id).one(&txn).await?.is_some_and(|a| a.vneid_verified),
        (None, _) => false,
    };
    let paid = crate::payment::paid(&txn, d.id).await?;
    // The code last: allocating it locks the agency's sequence of the day until this
    // transaction commits, so every submission of the agency that day waits for
    // what follows; everything that can be read before is read above.
    let local_day = local_time::to_local(now).date();
    // A dossier forwarded by the national portal keeps the national code (one code across channels).
    let code = match &d.code {
        Some(given) => given.clone(),
        None => code::allocate(&txn, &p.record.agency_code, local_day).await?.as_str().to_owned(),
    };
    let event = Event::Submit(Submission {
        code: code.clone(),
        form_data: data.to_string(),
        address,
        workflow_version_id: workflow_version,
        workflow_state,
        accept_due_at: accept_due,
        vneid_verified,
        procedure_version: p.version,
        result_delivery: draft::result_delivery(&d).map_err(|e| AppError::Validation(vec![e]))?,
        time_rules: serde_json::to_string(&time).map_err(|e| AppError::Internal(e.into()))?,
    });
    // The records' facts from what was read above (a draft is in no workflow step yet).
    let read = national_record::Read { procedure: &p, attached: &attached, paid, workflow: None };
    let url = &state.settings.public_url;
    // From the code on, every round trip keeps the agency's other submissions
    // waiting: the dossier's changes are written as one at the end
    // (`lifecycle::held`), and the messages in one insert after them (`outbox::batched`).
    let work = async {
        let (submitted, _) = lifecycle::change_noted_with(&txn, &d, event, actor, read, url, now).await?;
        mail::notify_applicant(&txn, state, "dossier_submitted", &submitted, &p, &[], false, now).await?;
        // At the counter the officer checked the papers in front of the
        // applicant: the dossier is received there and then, as is an online one
        // of a procedure set to receive automatically.
        let counter = submitted.channel == Channel::Counter;
        if counter || p.record.auto_receive {
            let receiver = if counter { actor.clone() } else { Actor::system("tiếp nhận tự động") };
            let known = receive::Known { attached: &attached, paid, time: &time, calendar: &cal };
            receive::receive_known(&txn, state, &submitted, &p, &receiver, known, now).await?;
        }
        Ok(())
    };
    // Boxed: the two holds nest the work's future, and it would make this one twice as large.
    let submitted = match Box::pin(crate::outbox::batched(&txn, lifecycle::held(&txn, work, now))).await {
        Ok((_, Some(submitted))) => submitted,
        Ok((_, None)) => return Err(AppError::Internal(anyhow::anyhow!("a submission wrote no change"))),
        Err(AppError::Conflict(_)) => {
            // Another request submitted it first (PostgreSQL lets both read
            // the draft): that one's dossier is the answer to this one too.
            txn.rollback().await?;
            let now_is = dossier::Entity::find_by_id(d.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
            if now_is.status != DossierStatus::Draft {
                return Ok(Submitted { dossier: now_is, newly: false });
            }
            return Err(AppError::Conflict("the dossier changed meanwhile".into()));
        }
        Err(e) => return Err(e),
    };
    txn.commit().await?;
    tracing::info!(dossier.code = %code, procedure = %p.record.code, "dossier submitted");
    Ok(Submitted { dossier: submitted, newly: true })
}
