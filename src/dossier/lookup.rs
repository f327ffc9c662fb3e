//! The public lookup by dossier code: where a dossier is and its dates,
//! never who applied or what they wrote.

use chrono::{DateTime, Utc};
use entity::{agency, dossier, procedure};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::code::DossierCode;
use super::status::DossierStatus;
use crate::error::AppError;

#[derive(Debug, Serialize)]
pub struct PublicStatus {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub agency_name: String,
    pub status: DossierStatus,
    /// TrangThaiHoSo of the national portal.
    pub national_status: Option<u8>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The address of the public lookup of `code`, printed as the receipt's QR code.
pub fn lookup_url(public_url: &str, code: &str) -> String {
    let query = serde_urlencoded::to_string([("code", code)]).unwrap_or_default();
    format!("{public_url}/tra-cuu?{query}")
}

pub async fn by_code(db: &impl ConnectionTrait, code: &DossierCode) -> Result<PublicStatus, AppError> {
    let d = dossier::Entity::find()
        .filter(dossier::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = procedure::Entity::find_by_id(d.procedure_id).one(db).await?.ok_or(AppError::NotFound)?;
    let a = agency::Entity::find_by_id(d.agency_id).one(db).await?.ok_or(AppError::NotFound)?;
    let status = d.status;
    Ok(PublicStatus {
        code: code.to_string(),
        procedure_code: p.code,
        procedure_name: p.name,
        agency_name: a.name,
        status,
        national_status: status.national_code(),
        submitted_at: d.submitted_at,
        received_at: d.received_at,
        due_at: d.due_at,
        closed_at: d.closed_at,
    })
}
