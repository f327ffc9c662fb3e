//! Demo data: the catalogue of `src/seed/catalogue.json` (procedures of the
//! Ministry of Information and Communications and the Ministry of Science and
//! Technology), loaded once into an empty portal; and a synthetic catalogue of
//! any size for benchmarks.

use chrono::Utc;
use entity::procedure;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::catalogue::model::ProcedureStatus;
use crate::catalogue::record::ProcedureRecord;
use crate::catalogue::transfer::{self, Catalogue};
use crate::error::AppError;

const DEMO_CATALOGUE: &str = include_str!("seed/catalogue.json");

pub fn demo_catalogue() -> Result<Catalogue, AppError> {
    serde_json::from_str(DEMO_CATALOGUE)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("src/seed/catalogue.json: {e}")))
}

/// Loads the demo catalogue unless the portal already has procedures.
/// Returns whether it loaded anything.
pub async fn demo_if_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    if procedure::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let summary = transfer::import(db, demo_catalogue()?, Utc::now()).await?;
    tracing::info!(procedures = summary.procedures, "demo catalogue loaded");
    Ok(true)
}

const ACTIONS: &[&str] =
    &["Cấp", "Cấp lại", "Gia hạn", "Sửa đổi, bổ sung", "Điều chỉnh", "Thu hồi", "Xác nhận", "Đăng ký"];

/// Adds `count` published procedures varied from the demo ones, codes
/// `9.NNNNNN`, for load tests on a catalogue of realistic size.
pub async fn synthetic(db: &DatabaseConnection, count: usize) -> Result<usize, AppError> {
    let mut demo = demo_catalogue()?;
    let templates: Vec<ProcedureRecord> = std::mem::take(&mut demo.procedures);
    let procedures = (0..count)
        .map(|i| {
            let mut p = templates[i % templates.len()].clone();
            let action = ACTIONS[(i / templates.len()) % ACTIONS.len()];
            let object = p.name.split_once(' ').map_or(p.name.as_str(), |(_, rest)| rest).to_owned();
            p.code = format!("9.{:06}", i + 1);
            p.name = format!("{action} {object} (mẫu {})", i + 1);
            p.status = ProcedureStatus::Published;
            p
        })
        .collect();
    demo.procedures = procedures;
    Ok(transfer::import(db, demo, Utc::now()).await?.procedures)
}
