//! Admins keep the office calendar: the year's holidays, compensatory and
//! swapped days off and make-up Saturdays, as the yearly notice fixes them.

use actix_web::{HttpResponse, web};

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::error::{AppError, FieldError};
use crate::sla::DayKind;
use crate::work_calendar;

async fn page(ui: &Ui, errors: &[FieldError], typed: (&str, &str, &str, &str)) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.form_context();
    ctx.insert("days", &work_calendar::all(&ui.state.db).await?);
    ctx.insert("kinds", &DayKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>());
    ctx.insert("v", &serde_json::json!({"day": typed.0, "kind": typed.1, "name": typed.2, "source": typed.3}));
    ctx.insert(
        "hours",
        &ui.state
            .settings
            .office_hours
            .sessions
            .iter()
            .map(|(a, b)| format!("{}–{}", a.format("%H:%M"), b.format("%H:%M")))
            .collect::<Vec<_>>(),
    );
    ctx.insert("cutoff", &ui.state.settings.office_hours.cutoff.format("%H:%M").to_string());
    ui.render_form("admin/calendar.html", &mut ctx, errors)
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    page(&ui, &[], ("", "holiday", "", "")).await
}

pub async fn save(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let typed = (form.get("day"), form.get("kind"), form.get("name"), form.get("source"));
    let (day, kind, name) = match work_calendar::parse_day(typed.0, typed.1, typed.2) {
        Ok(parsed) => parsed,
        Err(errors) => return page(&ui, &errors, typed).await,
    };
    let txn = crate::db::begin_write(&ui.state.db).await?;
    work_calendar::save(&txn, &ui.actor(), day, kind, &name, typed.3.trim(), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other("/quan-tri/lich-lam-viec"))
}

pub async fn remove(ui: Ui, day: web::Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let txn = crate::db::begin_write(&ui.state.db).await?;
    work_calendar::remove(&txn, &ui.actor(), &day, ui.now()).await?;
    txn.commit().await?;
    Ok(see_other("/quan-tri/lich-lam-viec"))
}
