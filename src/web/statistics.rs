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
