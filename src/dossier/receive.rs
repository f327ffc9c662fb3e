//! Receiving a dossier (tiếp nhận): from then on the time limit runs, and
//! the applicant gets the appointment date with the receipt, form 01 of
//! TT 03/2025/TT-VPCP (NĐ 118/2025/NĐ-CP: no dossier is taken without one).

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::ConnectionTrait;

use super::lifecycle::{self, Appointment, Event};
use super::national_record;
use super::status::{Channel, DossierStatus};
use crate::audit::Actor;
use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::error::AppError;
use crate::notify::dossier as mail;
use crate::sla::{Calendar, local_time};
use crate::workflow::model::SystemEvent;

/// The appointment for a dossier complete at `received`: the procedure's
/// time limit on the office calendar, after the cut-off hour from the next
/// working morning.
pub fn appointment(calendar: &Calendar, p: &ProcedureView, received: DateTime<Utc>) -> DateTime<Utc> {
    local_time::to_utc(calendar.due(local_time::to_local(received), p.record.time_limit))
}

/// When the dossier received at `received` enters its last `share_left` of the limit.
pub fn due_soon(calendar: &Calendar, p: &ProcedureView, received: DateTime<Utc>, share_left: f64) -> DateTime<Utc> {
    let local = crate::sla::steps::due_soon(calendar, local_time::to_local(received), p.record.time_limit, share_left);
    local_time::to_utc(local)
}

/// Receives the submitted dossier `d` in the transaction `db`. An online
/// dossier whose fee collected with it is unpaid waits for the fee instead,
/// when its procedure says the clock waits for it (NĐ 297/2025 Art. 6): it is
/// received, with its appointment counted from then, once the fee is paid.
pub async fn receive(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let paid = crate::payment::paid(db, d.id).await?;
    receive_paid(db, rules, d, p, actor, paid, now).await
}

/// As `receive`, with what was paid as the caller read it.
async fn receive_paid(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    actor: &Actor,
    paid: crate::payment::Paid,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let attached = super::documents::list(db, d.id).await?;
    let (time, calendar) = crate::sla_rules::of_dossier::of(db, &rules.settings, d).await?;
    receive_known(db, rules, d, p, actor, Known { attached: &attached, paid, time: &time, calendar: &calendar }, now)
        .await
}

/// What the caller of `receive_known` read of the dossier in its transaction.
pub struct Known<'a> {
    pub attached: &'a [super::documents::Attached],
    pub paid: crate::payment::Paid,
    /// The dossier's time rules and office calendar (`sla_rules::of_dossier::of`).
    pub time: &'a crate::sla::rules::TimeRules,
    pub calendar: &'a Calendar,
}

/// As `receive`, from what the caller read: a submission received on the
/// spot reads nothing twice (its transaction holds the agency's day
/// sequence until it commits, so every statement saved there counts twice).
pub async fn receive_known(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    actor: &Actor,
    known: Known<'_>,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let Known { attached, paid, time, calendar } = known;
    // Read once for the fee, the workflow and the national record alike.
    let wf = super::process::workflow_in(db, rules, d, p).await?;
    let read = || national_record::Read { procedure: p, attached, paid, workflow: wf.as_deref() };
    let owed = owed_with_dossier(d, p, paid.vnd);
    if owed > 0 && p.record.clock_waits_for_fee && d.channel == Channel::Online && d.received_at.is_none() {
        let note = format!(
            "Hồ sơ đủ điều kiện; chờ nộp phí, lệ phí {}. Thời hạn giải quyết được tính từ khi nộp.",
            crate::catalogue::model::Vnd(owed)
        );
        let event = Event::AwaitFee { note: note.clone() };
        let (waiting, _) =
            lifecycle::change_noted_with(db, d, event, actor, read(), &rules.settings.public_url, now).await?;
        let extra = [("amount", crate::catalogue::model::Vnd(owed).to_string()), ("note", note)];
        mail::notify_applicant(db, rules, "dossier_payment", &waiting, p, &extra, false, now).await?;
        return Ok(waiting);
    }
    let due = appointment(calendar, p, now);
    let note = format!("Hẹn trả kết quả: {}", super::receipt::moment_vi(due));
    // Reception is the workflow's first step: its own deadline starts now.
    let first_step_due = match &wf {
        Some(wf) => super::process::step_due(calendar, &wf.states[wf.initial], p, now),
        None => None,
    };
    let appointment = Appointment { due_at: due, due_soon_at: due_soon(calendar, p, now, time.due_soon_share) };
    let event = Event::Receive { appointment, first_step_due, note };
    let (received, _) =
        lifecycle::change_noted_with(db, d, event, actor, read(), &rules.settings.public_url, now).await?;
    let extra = [("received_at", super::receipt::moment_vi(now)), ("due_at", super::receipt::moment_vi(due))];
    mail::notify_applicant(db, rules, "dossier_received", &received, p, &extra, true, now).await?;
    Ok(received)
}

/// What is still owed of the fees collected with the dossier.
fn owed_with_dossier(d: &dossier::Model, p: &ProcedureView, paid_vnd: i64) -> i64 {
    use crate::catalogue::model::FeeCollection;
    let form: serde_json::Value = serde_json::from_str(&d.form_data).unwrap_or_default();
    let due = crate::catalogue::fees::due_where(&p.record.fees, &form, |c| c == FeeCollection::Submission);
    (due - paid_vnd).max(0)
}

/// A fee of `d` was paid: a dossier waiting for it is received now; one in
/// processing takes the step its workflow declares for the event. In the
/// payment's transaction, so the state and the clock move with the money.
pub async fn fee_paid(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Option<dossier::Model>, AppError> {
    use sea_orm::EntityTrait;
    let d = dossier::Entity::find_by_id(d.id).one(db).await?.ok_or(AppError::NotFound)?;
    let waiting = d.status == DossierStatus::AwaitingPayment && d.received_at.is_none();
    if !waiting {
        return super::process::on_event(db, rules, &d, SystemEvent::FeePaid, note, now).await;
    }
    let p = rules.procedures.of_dossier(db, &d).await?;
    let paid = crate::payment::paid(db, d.id).await?;
    if owed_with_dossier(&d, &p, paid.vnd) > 0 {
        return Ok(None);
    }
    Ok(Some(receive_paid(db, rules, &d, &p, &Actor::system("đã nộp phí, lệ phí"), paid, now).await?))
}
