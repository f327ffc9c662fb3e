//! The personal document store (Kho dữ liệu của tổ chức, cá nhân, NĐ 45/2020
//! Art. 16): files an applicant uploaded once and may reuse in any dossier.
//! Only the owner sees them.

use chrono::{DateTime, Utc};
use entity::upload;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
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
    let stored = put(storage, owner, file).await?;
    match record(db, owner, file, &stored, now).await {
        Ok(row) => Ok(row),
        Err(e) => {
            // No record, no object: nothing is left behind that nobody owns.
            let _ = storage.delete(&stored.key).await;
            Err(e)
        }
    }
}

/// An object put in storage, not yet recorded.
pub struct Stored {
    public_id: String,
    pub key: String,
}

/// Puts a received file of `owner` in storage; `record` writes its row (in
/// the caller's transaction, so the row and what uses it commit together).
pub async fn put(storage: &Storage, owner: i32, file: &Received) -> Result<Stored, AppError> {
    let public_id = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let key = format!("uploads/{owner}/{public_id}.{}", file.kind.extension());
    storage.put_file(&key, &file.path, file.kind.content_type()).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(Stored { public_id, key })
}

pub async fn record(
    db: &impl ConnectionTrait,
    owner: i32,
    file: &Received,
    stored: &Stored,
    now: DateTime<Utc>,
) -> Result<upload::Model, AppError> {
    let row = upload::ActiveModel {
        public_id: Set(stored.public_id.clone()),
        owner_id: Set(owner),
        storage_key: Set(stored.key.clone()),
        file_name: Set(file.file_name.clone()),
        kind: Set(file.kind.as_str().into()),
        size_bytes: Set(i64::try_from(file.size).unwrap_or(i64::MAX)),
        sha256: Set(file.sha256.clone()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

pub async fn mine(db: &DatabaseConnection, owner: i32) -> Result<Vec<upload::Model>, AppError> {
    Ok(upload::Entity::find()
        .filter(upload::Column::OwnerId.eq(owner))
        .order_by_desc(upload::Column::Id)
        .all(db)
        .await?)
}

/// The upload `public_id` if `owner` owns it; someone else's is forbidden.
pub async fn find_mine(db: &impl ConnectionTrait, owner: i32, public_id: &str) -> Result<upload::Model, AppError> {
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
    let linked = entity::dossier_document::Entity::find()
        .filter(entity::dossier_document::Column::UploadId.eq(file.id))
        .all(db)
        .await?;
    entity::dossier_document::Entity::delete_many()
        .filter(entity::dossier_document::Column::UploadId.eq(file.id))
        .exec(db)
        .await?;
    for link in linked {
        crate::dossier::facts::documents_changed(db, link.dossier_id).await?;
    }
    upload::Entity::delete_by_id(file.id).exec(db).await?;
    storage.delete(&file.storage_key).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(())
}
