//! The documents of a dossier: one slot per document the procedure asks
//! for (thành phần hồ sơ), plus extras. Files come from the applicant's
//! document store, so one upload can serve many dossiers.

use chrono::{DateTime, Utc};
use entity::{dossier, dossier_document, upload};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::catalogue::view::ProcedureView;
use crate::error::{AppError, FieldError};

#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    /// 1 for the procedure's first document.
    pub position: i32,
    pub name: String,
    pub required: bool,
    pub template_file: Option<String>,
}

pub fn slots(p: &ProcedureView) -> Vec<Slot> {
    p.record
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| Slot {
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            name: d.name.clone(),
            required: d.required,
            template_file: d.template_file.clone(),
        })
        .collect()
}

/// How much one dossier may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub files: usize,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attached {
    pub slot: Option<i32>,
    pub name: String,
    pub round: i32,
    pub upload_id: String,
    pub file_name: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub origin: dossier_document::Origin,
    #[serde(skip)]
    pub upload: upload::Model,
}

pub async fn list(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<Attached>, AppError> {
    let rows = dossier_document::Entity::find()
        .find_also_related(upload::Entity)
        .filter(dossier_document::Column::DossierId.eq(dossier_id))
        .order_by_asc(dossier_document::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc, up)| {
            let up = up?;
            Some(Attached {
                slot: doc.slot,
                name: doc.name,
                round: doc.round,
                upload_id: up.public_id.clone(),
                file_name: up.file_name.clone(),
                kind: up.kind.clone(),
                size: up.size_bytes,
                sha256: up.sha256.clone(),
                origin: doc.origin,
                upload: up,
            })
        })
        .collect())
}

/// Whether adding `more` files of `more_bytes` keeps the dossier within `limits`.
pub fn check_limits(attached: &[Attached], more: usize, more_bytes: u64, limits: Limits) -> Vec<FieldError> {
    let bytes: u64 = attached.iter().map(|a| u64::try_from(a.size).unwrap_or(0)).sum::<u64>() + more_bytes;
    let mut errors = Vec::new();
    if attached.len() + more > limits.files {
        errors.push(FieldError::new("documents", "too_many_files"));
    }
    if bytes > limits.bytes {
        errors.push(FieldError::new("documents", "dossier_too_large"));
    }
    errors
}

/// Required slots without a file, each as an error on `documents.<position>`.
pub fn missing(slots: &[Slot], attached: &[Attached]) -> Vec<FieldError> {
    slots
        .iter()
        .filter(|s| s.required && !attached.iter().any(|a| a.slot == Some(s.position)))
        .map(|s| FieldError::new(format!("documents.{}", s.position), "required_document"))
        .collect()
}

/// Puts `file` into `slot` (none: an extra). The file must be the dossier
/// author's or applicant's own; adding a file twice changes nothing.
/// `attached` is what the dossier holds as read in the caller's transaction
/// (`list`); the file joins it, so the next file of the post is checked
/// against both without reading them again.
#[allow(clippy::too_many_arguments)]
pub async fn attach(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    slots: &[Slot],
    slot: Option<i32>,
    file: &upload::Model,
    reused: bool,
    round: i32,
    limits: Limits,
    attached: &mut Vec<Attached>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if file.owner_id != d.created_by && Some(file.owner_id) != d.applicant_id {
        return Err(AppError::Forbidden);
    }
    let name = match slot {
        Some(position) => match slots.iter().find(|s| s.position == position) {
            Some(s) => s.name.clone(),
            None => return Err(AppError::Validation(vec![FieldError::new("documents", "unknown_slot")])),
        },
        None => "Giấy tờ khác".to_owned(),
    };
    if attached.iter().any(|a| a.upload.id == file.id) {
        return Ok(());
    }
    let errors = check_limits(attached, 1, u64::try_from(file.size_bytes).unwrap_or(0), limits);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // A file taken from the applicant's store is reused (QĐ 766 indicator 4.3); at the
    // counter the officer digitises the papers the applicant brought.
    let origin = if reused {
        dossier_document::Origin::Reused
    } else if d.channel == super::Channel::Counter {
        dossier_document::Origin::CounterScan
    } else {
        dossier_document::Origin::Uploaded
    };
    dossier_document::Entity::insert(dossier_document::ActiveModel {
        dossier_id: Set(d.id),
        slot: Set(slot),
        name: Set(name.clone()),
        required: Set(slot.is_some_and(|p| slots.iter().any(|s| s.position == p && s.required))),
        upload_id: Set(file.id),
        round: Set(round),
        added_at: Set(now),
        origin: Set(origin),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([dossier_document::Column::DossierId, dossier_document::Column::UploadId])
    .exec(db)
    .await?;
    attached.push(Attached {
        slot,
        name,
        round,
        upload_id: file.public_id.clone(),
        file_name: file.file_name.clone(),
        kind: file.kind.clone(),
        size: file.size_bytes,
        sha256: file.sha256.clone(),
        origin,
        upload: file.clone(),
    });
    Ok(())
}

/// Takes the file `upload_public_id` out of the dossier (the file stays in the store).
pub async fn detach(db: &impl ConnectionTrait, dossier_id: i64, upload_public_id: &str) -> Result<(), AppError> {
    let Some(file) = upload::Entity::find().filter(upload::Column::PublicId.eq(upload_public_id)).one(db).await? else {
        return Ok(());
    };
    dossier_document::Entity::delete_many()
        .filter(dossier_document::Column::DossierId.eq(dossier_id))
        .filter(dossier_document::Column::UploadId.eq(file.id))
        .exec(db)
        .await?;
    Ok(())
}

/// The file `upload_public_id` if it belongs to dossier `dossier_id`.
pub async fn file_of(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    upload_public_id: &str,
) -> Result<upload::Model, AppError> {
    let file = upload::Entity::find()
        .filter(upload::Column::PublicId.eq(upload_public_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let linked = dossier_document::Entity::find()
        .filter(dossier_document::Column::DossierId.eq(dossier_id))
        .filter(dossier_document::Column::UploadId.eq(file.id))
        .one(db)
        .await?;
    linked.map(|_| file).ok_or(AppError::NotFound)
}
