//! The printable forms 02–07 for officials: each as a page and as a PDF
//! (`…/mau/06` and `…/mau/06.pdf`), and the unit's register for a period.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;

use super::render::Ui;
use crate::dossier::access;
use crate::error::{AppError, FieldError};
use crate::forms::{self, FormDoc, build, register as register_form};

/// A form as an inline PDF named after it.
pub async fn pdf_response(doc: &FormDoc) -> Result<HttpResponse, AppError> {
    let owned = doc.clone();
    let bytes = crate::blocking::run(move || forms::pdf(&owned)).await??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("inline; filename=\"{}\"", doc.file_name())))
        .body(bytes))
}

/// Form 02–06 of a dossier of the official's unit.
pub async fn dossier_form(ui: Ui, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, asked) = path.into_inner();
    let (number, as_pdf) = match asked.strip_suffix(".pdf") {
        Some(n) => (n, true),
        None => (asked.as_str(), false),
    };
    if !build::NUMBERS.contains(&number) {
        return Err(AppError::NotFound);
    }
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let doc = build::form(&ui.state.db, &ui.state.settings, &d, number).await?;
    if as_pdf {
        return pdf_response(&doc).await;
    }
    let mut ctx = ui.context();
    ctx.insert("doc", &doc);
    ctx.insert("pdf_url", &format!("/can-bo/ho-so/{id}/mau/{number}.pdf"));
    ui.render("forms/form.html", &ctx)
}

#[derive(Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The days asked for, by default this month so far; at most a year.
fn period(q: &Period, now: DateTime<Utc>) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = crate::sla::local_time::to_local(now).date();
    let day = |text: &str, field: &str, default: NaiveDate| {
        if text.trim().is_empty() {
            return Ok(default);
        }
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::Validation(vec![FieldError::new(field, "invalid_date")]))
    };
    let from = day(&q.from, "from", today.with_day(1).unwrap_or(today))?;
    let to = day(&q.to, "to", today)?;
    if to < from || (to - from).num_days() > 366 {
        return Err(AppError::Validation(vec![FieldError::new("to", "invalid_period")]));
    }
    Ok((from, to))
}

pub async fn register(ui: Ui, query: web::Query<Period>) -> Result<HttpResponse, AppError> {
    // An official outside any unit (a portal admin) has no register: 404.
    let unit = ui.principal()?.unit_id.unwrap_or(-1);
    let (from, to) = period(&query, ui.now())?;
    let doc = register_form::register(&ui.state.db, unit, from, to, ui.now()).await?;
    let mut ctx = ui.context();
    ctx.insert("doc", &doc);
    ctx.insert("period", &serde_json::json!({"from": from.to_string(), "to": to.to_string()}));
    ctx.insert("pdf_url", &format!("/can-bo/so-theo-doi.pdf?from={from}&to={to}"));
    ui.render("forms/form.html", &ctx)
}

pub async fn register_pdf(ui: Ui, query: web::Query<Period>) -> Result<HttpResponse, AppError> {
    // An official outside any unit (a portal admin) has no register: 404.
    let unit = ui.principal()?.unit_id.unwrap_or(-1);
    let (from, to) = period(&query, ui.now())?;
    pdf_response(&register_form::register(&ui.state.db, unit, from, to, ui.now()).await?).await
}
