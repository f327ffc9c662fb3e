//! Receiving a dossier (tiếp nhận): from then on the time limit runs, and
//! the applicant gets the appointment date with the receipt, form 01 of
//! TT 03/2025/TT-VPCP (NĐ 118/2025/NĐ-CP: no dossier is taken without one).

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::ConnectionTrait;

use super::lifecycle::{self, Appointment, Event};
use crate::audit::Actor;
use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::error::AppError;
use crate::notify::dossier as mail;
use crate::sla::{Calendar, local_time};

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

/// Receives the submitted dossier `d` in the transaction `db`.
pub async fn receive(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let calendar = crate::work_calendar::load(db, &rules.settings.office_hours).await?;
    let due = appointment(&calendar, p, now);
    let note = format!("Hẹn trả kết quả: {}", super::receipt::moment_vi(due));
    // Reception is the workflow's first step: its own deadline starts now.
    let first_step_due = match super::process::workflow_of(db, d).await? {
        Some(wf) => super::process::step_due(&calendar, &wf.states[wf.initial], p, now),
        None => None,
    };
    let appointment =
        Appointment { due_at: due, due_soon_at: due_soon(&calendar, p, now, rules.settings.due_soon_share) };
    let event = Event::Receive { appointment, first_step_due, note };
    let received = lifecycle::change(db, d, event, actor, &rules.settings.public_url, now).await?;
    let extra = [("received_at", super::receipt::moment_vi(now)), ("due_at", super::receipt::moment_vi(due))];
    mail::notify_applicant(db, rules, "dossier_received", &received, p, &extra, true, now).await?;
    Ok(received)
}
