//! Admin use cases on procedures: create, edit, publish, abolish.
//!
//! A new procedure starts as a draft; publishing offers it to applicants;
//! abolishing withdraws it from submission for good while keeping it readable.
//! Edits name the version they started from, so two admins editing at once
//! cannot silently overwrite each other.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, IntoActiveModel};

use super::model::ProcedureStatus;
use super::record::ProcedureRecord;
use super::store::{self, Refs};
use crate::audit::{self, Actor};
use crate::error::{AppError, FieldError};

/// Checks a record against the rules and the stored agencies and fields.
async fn checked(db: &impl sea_orm::ConnectionTrait, record: &mut ProcedureRecord) -> Result<Refs, AppError> {
    record.normalise();
    let refs = Refs::load(db).await?;
    let mut errors: Vec<FieldError> = record.check();
    errors.extend(refs.check(record));
    if errors.is_empty() { Ok(refs) } else { Err(AppError::Validation(errors)) }
}

pub async fn create(
    db: &DatabaseConnection,
    mut record: ProcedureRecord,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record.status = ProcedureStatus::Draft;
    let refs = checked(db, &mut record).await?;
    let txn = crate::db::begin_write(db).await?;
    if store::find(&txn, &record.code).await?.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("code", "taken")]));
    }
    store::upsert(&txn, &record, &refs, now).await?;
    audit::record(&txn, actor, "procedure_created", &record.code, serde_json::json!({"name": record.name}), now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the procedure `code` with `record` if it is still at `version`.
pub async fn update(
    db: &DatabaseConnection,
    code: &str,
    version: i32,
    mut record: ProcedureRecord,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record.code = code.to_owned();
    let refs = checked(db, &mut record).await?;
    let txn = crate::db::begin_write(db).await?;
    update_in(&txn, &refs, code, version, record, actor, now).await?;
    txn.commit().await?;
    Ok(())
}

/// `update` inside the caller's transaction, with the references it checked `record` against.
pub async fn update_in(
    txn: &impl sea_orm::ConnectionTrait,
    refs: &Refs,
    code: &str,
    version: i32,
    mut record: ProcedureRecord,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record.code = code.to_owned();
    let current = store::find(txn, code).await?.ok_or(AppError::NotFound)?;
    if current.status == ProcedureStatus::Abolished.as_str() {
        return Err(AppError::Conflict("an abolished procedure cannot be edited".into()));
    }
    if current.version != version || !store::lock_version(txn, current.id, version).await? {
        return Err(AppError::Conflict("the procedure was changed by someone else; reload it".into()));
    }
    record.status = ProcedureStatus::parse(&current.status).unwrap_or(ProcedureStatus::Draft);
    store::upsert(txn, &record, refs, now).await?;
    let detail = serde_json::json!({"name": record.name, "from_version": version});
    audit::record(txn, actor, "procedure_updated", code, detail, now).await?;
    Ok(())
}

/// The references `record` must name, checked with the record's own rules.
pub async fn checked_refs(db: &impl sea_orm::ConnectionTrait, record: &mut ProcedureRecord) -> Result<Refs, AppError> {
    checked(db, record).await
}

/// Moves a procedure to `to`: draft → published, published → abolished.
pub async fn set_status(
    db: &DatabaseConnection,
    code: &str,
    to: ProcedureStatus,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    let current = store::find(&txn, code).await?.ok_or(AppError::NotFound)?;
    let from = ProcedureStatus::parse(&current.status).unwrap_or(ProcedureStatus::Draft);
    let allowed = matches!(
        (from, to),
        (ProcedureStatus::Draft, ProcedureStatus::Published) | (ProcedureStatus::Published, ProcedureStatus::Abolished)
    );
    if !allowed {
        return Err(AppError::Conflict(format!("a {from} procedure cannot become {to}")));
    }
    let version = current.version;
    if !store::lock_version(&txn, current.id, version).await? {
        return Err(AppError::Conflict("the procedure was changed by someone else; reload it".into()));
    }
    let mut model = current.into_active_model();
    model.status = Set(to.as_str().into());
    model.version = Set(version + 1);
    model.updated_at = Set(now);
    model.update(&txn).await?;
    crate::change_counter::bump(&txn, crate::change_counter::CATALOGUE).await?;
    let action = if to == ProcedureStatus::Published { "procedure_published" } else { "procedure_abolished" };
    audit::record(&txn, actor, action, code, serde_json::json!({"from": from.as_str()}), now).await?;
    txn.commit().await?;
    Ok(())
}
