//! Rating a finished dossier: by the JSON API and on the dossier's page for
//! an applicant with an account, through the one-time link for a counter
//! applicant, and a unit's figures for its leaders (no raters, no dossiers).

use std::collections::BTreeMap;

use actix_web::web::{self, Data, Path};
use actix_web::{HttpResponse, http::StatusCode};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::access::Viewer;
use super::form::FormData;
use super::render::{Ui, see_other};
use crate::app::AppState;
use crate::dossier::access;
use crate::error::AppError;
use crate::rating::give::{self, Given, Rater};
use crate::rating::{is_finished, link};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRating {
    criteria: BTreeMap<String, String>,
    #[serde(default)]
    comment: String,
}

fn describe(r: &entity::rating::Model, answers: &[entity::rating_answer::Model]) -> Value {
    let criteria: BTreeMap<&str, &str> = answers.iter().map(|a| (a.criterion.as_str(), a.level.as_str())).collect();
    json!({
        "criteria": criteria,
        "comment": r.comment,
        "rated_at": r.created_at,
        "changed_at": r.updated_at,
        "editable_until": r.editable_until,
        "version": r.version,
    })
}

/// GET /api/v1/dossiers/{id}/rating: the applicant's own rating.
pub async fn api_show(viewer: Viewer, state: Data<AppState>, id: Path<String>) -> Result<HttpResponse, AppError> {
    let who = viewer.principal()?;
    let d = access::load(&state.db, who, &id).await?;
    if d.applicant_id != Some(who.id) {
        return Err(AppError::Forbidden);
    }
    let (r, answers) = give::of_dossier(&state.db, &d).await?.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(describe(&r, &answers)))
}

/// POST /api/v1/dossiers/{id}/rating: rates, or changes the rating within the window.
pub async fn api_give(
    viewer: Viewer,
    state: Data<AppState>,
    id: Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let who = viewer.principal()?;
    let d = access::load(&state.db, who, &id).await?;
    let sent: JsonRating = serde_json::from_slice(&body)
        .map_err(|_| AppError::Validation(vec![crate::error::FieldError::new("body", "json_object")]))?;
    let first = give::of_dossier(&state.db, &d).await?.is_none();
    let given = Given { criteria: sent.criteria, comment: sent.comment };
    give::give(&state, &d, &Rater::Account(who.id), &given, state.clock.now()).await?;
    let (r, answers) = give::of_dossier(&state.db, &d).await?.ok_or(AppError::NotFound)?;
    let status = if first { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(describe(&r, &answers)))
}

fn given_of(form: &FormData, cx: &crate::context::Context) -> Given {
    let criteria = cx
        .settings
        .ratings
        .criteria
        .iter()
        .filter_map(|c| {
            let v = form.get(&format!("criteria.{}", c.key));
            (!v.is_empty()).then(|| (c.key.clone(), v.to_owned()))
        })
        .collect();
    Given { criteria, comment: form.get("comment").to_owned() }
}

/// POST /ho-so/{id}/danh-gia: the form on the dossier's page.
pub async fn give_on_page(ui: Ui, id: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    let d = access::load(&ui.state.db, who, &id).await?;
    let given = given_of(&form, &ui.state);
    give::give(&ui.state, &d, &Rater::Account(who.id), &given, ui.now()).await?;
    Ok(see_other(&format!("/ho-so/{id}?rated#rating")))
}

/// What the dossier page shows of the rating: the form, the rating, or nothing yet.
pub async fn panel(
    db: &impl sea_orm::ConnectionTrait,
    cx: &crate::context::Context,
    d: &entity::dossier::Model,
    now: DateTime<Utc>,
) -> Result<Value, AppError> {
    let held = give::of_dossier(db, d).await?;
    let editable = held.as_ref().is_none_or(|(r, _)| now <= r.editable_until);
    Ok(json!({
        "open": is_finished(d),
        "editable": editable,
        "criteria": cx.settings.ratings.criteria.iter().map(|c| json!({"key": c.key, "label": c.label_vi, "label_en": c.label_en})).collect::<Vec<_>>(),
        "held": held.map(|(r, answers)| describe(&r, &answers)),
    }))
}

/// GET /danh-gia/{token}: a counter applicant's one-time link.
pub async fn link_page(ui: Ui, token: Path<String>) -> Result<HttpResponse, AppError> {
    let (found, d) = link::find(&ui.state.db, &token).await?.ok_or(AppError::NotFound)?;
    let mut ctx = ui.form_context();
    ctx.insert("token", token.as_str());
    ctx.insert("code", &d.code);
    ctx.insert("used", &found.used_at.is_some());
    ctx.insert("finished", &is_finished(&d));
    ctx.insert("rating", &panel(&ui.state.db, &ui.state, &d, ui.now()).await?);
    ctx.insert("thanks", &ui.query_has("cam-on"));
    ui.render("rating/link.html", &ctx)
}

/// POST /danh-gia/{token}: rates once through the link.
pub async fn link_give(ui: Ui, token: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let (_, d) = link::find(&ui.state.db, &token).await?.ok_or(AppError::NotFound)?;
    let hash = crate::digest::sha256_hex(token.as_bytes());
    give::give(&ui.state, &d, &Rater::Link(hash), &given_of(&form, &ui.state), ui.now()).await?;
    Ok(see_other(&format!("/danh-gia/{}?cam-on", token.as_str())))
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// GET /can-bo/danh-gia: the leader's unit, over a period (this year by default).
pub async fn unit_page(ui: Ui, query: web::Query<PeriodQuery>) -> Result<HttpResponse, AppError> {
    let unit = ui.principal()?.unit_id.ok_or(AppError::Forbidden)?;
    let today = crate::sla::local_time::to_local(ui.now()).date();
    let parse =
        |v: &Option<String>, default: chrono::NaiveDate, field: &str| match v.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::Validation(vec![crate::error::FieldError::new(field, "invalid_date")])),
        };
    let from = parse(&query.from, today.with_ordinal(1).unwrap_or(today), "from")?;
    let to = parse(&query.to, today, "to")?;
    if to < from {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("to", "invalid_period")]));
    }
    let start = crate::sla::local_time::to_utc(from.and_time(chrono::NaiveTime::MIN));
    let end = crate::sla::local_time::to_utc((to + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let figures =
        crate::rating::unit::figures(&ui.state.db, unit, start, end, &ui.state.settings.ratings.criteria).await?;
    let mut ctx = ui.context();
    ctx.insert("figures", &figures);
    ctx.insert("from", &from.to_string());
    ctx.insert("to", &to.to_string());
    ui.render("rating/unit.html", &ctx)
}
