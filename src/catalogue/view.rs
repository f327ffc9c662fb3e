//! A procedure as shown to the public and to integrations: its record plus
//! the names and figures a reader needs.

use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;

use super::model::{OnlineMode, ProcedureStatus};
use super::record::ProcedureRecord;
use super::store::{self, Refs};
use crate::error::AppError;
use crate::workflow::model::Budget;

#[derive(Debug, Clone, Serialize)]
pub struct ProcedureView {
    #[serde(skip)]
    pub id: i32,
    #[serde(skip)]
    pub agency_id: i32,
    #[serde(flatten)]
    pub record: ProcedureRecord,
    pub agency_name: String,
    pub field_name: String,
    /// The time limit in days, as a number (0.5 steps).
    pub time_limit_days: f64,
    pub fee_total_vnd: i64,
    /// Whether an applicant may start a dossier online now.
    pub accepts_online_submission: bool,
    pub version: i32,
    /// The procedure's own step budgets, (workflow key, step, budget)
    /// (`workflow_store::step_budgets`): read with the procedure, so that a
    /// step finds them in the view kept under the catalogue's counter.
    #[serde(skip)]
    pub step_budgets: Vec<(String, String, Budget)>,
}

/// A procedure the public may read: published or abolished, never a draft.
pub async fn public(db: &impl ConnectionTrait, code: &str) -> Result<ProcedureView, AppError> {
    let view = any(db, code).await?;
    if view.record.status.is_public() { Ok(view) } else { Err(AppError::NotFound) }
}

pub async fn any(db: &impl ConnectionTrait, code: &str) -> Result<ProcedureView, AppError> {
    let model = store::find(db, code).await?.ok_or(AppError::NotFound)?;
    of_model(db, model).await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<ProcedureView, AppError> {
    let model = entity::procedure::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    of_model(db, model).await
}

/// `live` with the record of an earlier version in its place (names of the
/// agency and field stay the current ones).
pub fn with_record(live: ProcedureView, record: ProcedureRecord, version: i32) -> ProcedureView {
    let per_day = super::model::TimeLimit::hours_per_day(record.time_limit.unit);
    ProcedureView {
        time_limit_days: f64::from(record.time_limit.hours) / f64::from(per_day),
        fee_total_vnd: record.fees.iter().map(|f| f.amount_vnd).sum(),
        version,
        record,
        ..live
    }
}

async fn of_model(db: &impl ConnectionTrait, model: entity::procedure::Model) -> Result<ProcedureView, AppError> {
    let refs = Refs::load(db).await?;
    let record = store::record(db, &model, &refs).await?;
    let per_day = super::model::TimeLimit::hours_per_day(record.time_limit.unit);
    Ok(ProcedureView {
        id: model.id,
        agency_id: model.agency_id,
        agency_name: refs.agency_by_id(model.agency_id).map(|a| a.name.clone()).unwrap_or_default(),
        field_name: refs.field_by_id(model.field_id).map(|f| f.name.clone()).unwrap_or_default(),
        time_limit_days: f64::from(record.time_limit.hours) / f64::from(per_day),
        fee_total_vnd: record.fees.iter().map(|f| f.amount_vnd).sum(),
        accepts_online_submission: record.status == ProcedureStatus::Published
            && record.online_mode != OnlineMode::Information,
        version: model.version,
        step_budgets: crate::workflow_store::step_budgets::all_of(db, model.id).await?,
        record,
    })
}
