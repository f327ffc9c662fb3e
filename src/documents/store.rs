//! The personal document store (Kho dữ liệu của tổ chức, cá nhân, NĐ 45/2020
//! Art. 16): files an applicant uploaded once and may reuse in any dossier.
//! Only the owner sees them.

use chrono::{DateTime, Utc};
use entity::upload;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::kind::DocumentKind;
use crate::error::AppError;
use crate::storage::Storage;

/// A file received in full and checked: on disk, hashed, its kind known.
pub struct Received {
    pub path: std::path::PathBuf,
    pub size: u64,
    pub sha256: String,
    pub kind: DocumentKind,
    pub file_name: String,
}

/// Stores a received file for `owner` and records it.
pub async fn keep(
    db: &DatabaseConnection,
    storage: &Storage,
    owner: i32,
    file: &Received,
    now: DateTime<Utc>,
) -> Result<upload::Model, AppError> {
    let public_id = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let key = format!("uploads/{owner}/{public_id}.{}", file.kind.extension());
    storage.put_file(&key, &file.path, file.kind.content_type()).await.map_err(|e| AppError::Internal(e.into()))?;
    let row = upload::ActiveModel {
        public_id: Set(public_id),
        owner_id: Set(owner),
        storage_key: Set(key.clone()),
        file_name: Set(file.file_name.clone()),
        kind: Set(file.kind.as_str().into()),
        size_bytes: Set(i64::try_from(file.size).unwrap_or(i64::MAX)),
        sha256: Set(file.sha256.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(row) => Ok(row),
        Err(e) => {
            // No record, no object: nothing is left behind that nobody owns.
            let _ = storage.delete(&key).await;
            Err(e.into())
        }
    }
}

pub async fn mine(db: &DatabaseConnection, owner: i32) -> Result<Vec<upload::Model>, AppError> {
    Ok(upload::Entity::find()
        .filter(upload::Column::OwnerId.eq(owner))
        .order_by_desc(upload::Column::Id)
        .all(db)
        .await?)
}

/// The upload `public_id` if `owner` owns it; someone else's is forbidden.
pub async fn find_mine(db: &DatabaseConnection, owner: i32, public_id: &str) -> Result<upload::Model, AppError> {
    let found = upload::Entity::find()
        .filter(upload::Column::PublicId.eq(public_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if found.owner_id == owner { Ok(found) } else { Err(AppError::Forbidden) }
}

/// Removes an upload no dossier uses (its links go first, in the caller's
/// failed request), record and object.
pub async fn discard(db: &DatabaseConnection, storage: &Storage, file: &upload::Model) -> Result<(), AppError> {
    entity::dossier_document::Entity::delete_many()
        .filter(entity::dossier_document::Column::UploadId.eq(file.id))
        .exec(db)
        .await?;
    upload::Entity::delete_by_id(file.id).exec(db).await?;
    storage.delete(&file.storage_key).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(())
}
