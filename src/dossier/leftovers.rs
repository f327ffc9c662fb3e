//! What a process that died mid-request leaves behind, and its clearing.
//!
//! An API submission writes its draft, then its documents, then submits in
//! one transaction; killed between those steps it leaves a draft that was
//! never acknowledged. Such a draft (a draft with a request fingerprint) is
//! never shown to the applicant (`access`), and is cleared here once it is
//! older than any request could take, with the files that request brought.
//! Temporary upload files of a killed process go too.

use chrono::{DateTime, Duration, Utc};
use entity::{dossier, dossier_document, upload};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::DossierStatus;
use crate::error::AppError;
use crate::storage::Storage;

/// An API request still at work after this long has died: its draft is abandoned.
pub const ABANDONED_AFTER: Duration = Duration::minutes(10);

/// The drafts of API submissions still at work or abandoned (never acknowledged).
pub fn api_in_flight() -> Condition {
    Condition::all()
        .add(dossier::Column::Status.eq(DossierStatus::Draft))
        .add(dossier::Column::RequestHash.is_not_null())
}

/// Deletes the abandoned API drafts and the uploads only they used; returns how many drafts.
pub async fn clear_abandoned(
    db: &DatabaseConnection,
    storage: &Storage,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let abandoned = dossier::Entity::find()
        .filter(api_in_flight())
        .filter(dossier::Column::CreatedAt.lt(now - ABANDONED_AFTER))
        .all(db)
        .await?;
    for d in &abandoned {
        let links =
            dossier_document::Entity::find().filter(dossier_document::Column::DossierId.eq(d.id)).all(db).await?;
        dossier_document::Entity::delete_many().filter(dossier_document::Column::DossierId.eq(d.id)).exec(db).await?;
        // A draft that was never acknowledged can lose its row outright (no history, no code).
        dossier::Entity::delete_by_id(d.id).exec(db).await?;
        for link in links {
            let used_elsewhere = dossier_document::Entity::find()
                .filter(dossier_document::Column::UploadId.eq(link.upload_id))
                .count(db)
                .await?
                > 0;
            let Some(file) = upload::Entity::find_by_id(link.upload_id).one(db).await? else { continue };
            // Only what that request brought: files given earlier stay in the applicant's store.
            if !used_elsewhere && file.created_at >= d.created_at {
                crate::documents::store::discard(db, storage, &file).await?;
            }
        }
    }
    Ok(abandoned.len())
}

/// Removes temporary upload files in `dir` older than `ABANDONED_AFTER`
/// (a request writing one touches it continually); returns how many.
pub fn clear_temporary_files(dir: &std::path::Path, now: std::time::SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let limit = std::time::Duration::from_secs(ABANDONED_AFTER.num_seconds().unsigned_abs());
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("upload-"))
        .filter(|e| {
            e.metadata().and_then(|m| m.modified()).is_ok_and(|t| now.duration_since(t).is_ok_and(|a| a > limit))
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}
