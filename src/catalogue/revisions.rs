//! The procedure as each dossier was submitted under it: every saved
//! version of a procedure is kept as its catalogue record, and a submitted
//! dossier reads its time limit, fees, documents, e-form and policies from
//! the version it names, not from the procedure as an admin edits it since.

use chrono::{DateTime, Utc};
use entity::{dossier, procedure, procedure_revision};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::record::ProcedureRecord;
use super::store::{self, Refs};
use super::view::{self, ProcedureView};
use crate::dossier::DossierStatus;
use crate::error::AppError;

/// Keeps `record` as version `version` of procedure `procedure_id`.
pub async fn keep(
    db: &impl ConnectionTrait,
    procedure_id: i32,
    version: i32,
    record: &ProcedureRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let text = serde_json::to_string(record).map_err(anyhow::Error::from)?;
    procedure_revision::Entity::insert(procedure_revision::ActiveModel {
        procedure_id: Set(procedure_id),
        version: Set(version),
        record: Set(text),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([procedure_revision::Column::ProcedureId, procedure_revision::Column::Version])
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Keeps the current version of every procedure saved before versions were
/// kept (at start-up; a no-op once done).
pub async fn keep_current(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<usize, AppError> {
    let kept = Query::select()
        .column(procedure_revision::Column::ProcedureId)
        .from(procedure_revision::Entity)
        .and_where(
            Expr::col((procedure_revision::Entity, procedure_revision::Column::Version))
                .equals((procedure::Entity, procedure::Column::Version)),
        )
        .to_owned();
    let missing = procedure::Entity::find().filter(procedure::Column::Id.not_in_subquery(kept)).all(db).await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let refs = Refs::load(db).await?;
    for p in &missing {
        let record = store::record(db, p, &refs).await?;
        keep(db, p.id, p.version, &record, now).await?;
    }
    Ok(missing.len())
}

/// The procedure as dossier `d` knows it: a draft follows the catalogue; a
/// submitted dossier keeps the version it was submitted under (the live one
/// for a version saved before versions were kept).
pub async fn of_dossier(db: &impl ConnectionTrait, d: &dossier::Model) -> Result<ProcedureView, AppError> {
    as_dossier_knows(db, d, view::by_id(db, d.procedure_id).await?).await
}

/// `live`, the procedure of `d` now, as `d` knows it (see `of_dossier`).
pub async fn as_dossier_knows(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    live: ProcedureView,
) -> Result<ProcedureView, AppError> {
    if d.status == DossierStatus::Draft || d.procedure_version == live.version {
        return Ok(live);
    }
    let kept = procedure_revision::Entity::find()
        .filter(procedure_revision::Column::ProcedureId.eq(d.procedure_id))
        .filter(procedure_revision::Column::Version.eq(d.procedure_version))
        .one(db)
        .await?;
    let Some(kept) = kept else { return Ok(live) };
    let record: ProcedureRecord = serde_json::from_str(&kept.record)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("procedure revision {}: {e}", kept.id)))?;
    Ok(view::with_record(live, record, kept.version))
}
