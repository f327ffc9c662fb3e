//! The public statistics: the QĐ 766 index of an agency (that node of the
//! agency tree and all below it) for a period, as JSON.

use actix_web::HttpResponse;
use actix_web::web::{Data, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::app::AppState;
use crate::error::{AppError, FieldError};
use crate::statistics::{index, measure, period::Period};

#[derive(Deserialize)]
pub struct IndexQuery {
    agency: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// The agencies an `agency` code names: it and those below it; every agency without one.
pub async fn agencies_of(db: &impl sea_orm::ConnectionTrait, code: Option<&str>) -> Result<Vec<i32>, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => {
            let found = entity::agency::Entity::find()
                .filter(entity::agency::Column::Code.eq(code))
                .one(db)
                .await?
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("agency", "invalid_choice")]))?;
            measure::subtree(db, found.id).await
        }
        None => Ok(entity::agency::Entity::find().all(db).await?.into_iter().map(|a| a.id).collect()),
    }
}

/// GET /api/v1/statistics/766?agency=&from=&to=
pub async fn index_766(state: Data<AppState>, query: Query<IndexQuery>) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let period = Period::parse(query.from.as_deref(), query.to.as_deref(), now)?;
    let agencies = agencies_of(&state.db, query.agency.as_deref()).await?;
    let counts = measure::counts(&state.db, &agencies, &period, now).await?;
    let mut body = serde_json::to_value(index::compute(&counts)).map_err(anyhow::Error::from)?;
    body["agency"] = serde_json::json!(query.agency.as_deref().map(str::trim).filter(|c| !c.is_empty()));
    body["from"] = serde_json::json!(period.from.to_string());
    body["to"] = serde_json::json!(period.to.to_string());
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize)]
pub struct OfficeQuery {
    from: Option<String>,
    to: Option<String>,
    /// The horizon of "due soon", in working days.
    ngay: Option<String>,
}

/// GET /can-bo/chi-so-766: the leader's unit — its index now, and the
/// dossiers that cost it points, soonest due first.
pub async fn office_page(ui: super::render::Ui, query: Query<OfficeQuery>) -> Result<HttpResponse, AppError> {
    use crate::sla::local_time;
    let unit = ui.principal()?.unit_id.ok_or(AppError::Forbidden)?;
    let now = ui.now();
    let period = Period::parse(query.from.as_deref(), query.to.as_deref(), now)?;
    let days: i64 = match query.ngay.as_deref().filter(|s| !s.is_empty()) {
        None => 3,
        Some(s) => s
            .parse()
            .ok()
            .filter(|d| (0..=30).contains(d))
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("ngay", "invalid_number")]))?,
    };
    let agencies = measure::subtree(&ui.state.db, unit).await?;
    let counts = measure::counts(&ui.state.db, &agencies, &period, now).await?;
    let cal = crate::work_calendar::load(&ui.state.db, &ui.state.settings.office_hours).await?;
    let horizon = local_time::to_utc(cal.add_working_minutes(local_time::to_local(now), days * cal.minutes_per_day()));
    let at_stake = crate::statistics::at_stake::list(&ui.state.db, &agencies, &period, &counts, now, horizon).await?;
    let mut ctx = ui.context();
    ctx.insert("index", &index::compute(&counts));
    ctx.insert("at_stake", &at_stake);
    ctx.insert("from", &period.from.to_string());
    ctx.insert("to", &period.to.to_string());
    ctx.insert("days", &days);
    ui.render("statistics/office.html", &ctx)
}
