//! Uploads to the applicant's document store over the JSON API: one file per
//! request, streamed to a temporary file (never held whole in memory),
//! stopped as soon as it passes the size limit, hashed on the way, and kept
//! only if its content is a kind a dossier accepts.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::access::Viewer;
use super::csrf;
use crate::app::AppState;
use crate::documents::kind::DocumentKind;
use crate::documents::name::sanitize;
use crate::documents::store::{self, Received};
use crate::error::{AppError, FieldError};

/// Bytes kept from the start and read from the end of a file to tell its kind.
const HEAD_BYTES: usize = 16;
const TAIL_BYTES: u64 = 64 * 1024;

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("upload: {e}"))
}

fn describe(u: &entity::upload::Model) -> serde_json::Value {
    json!({
        "id": u.public_id, "name": u.file_name, "kind": u.kind, "size": u.size_bytes,
        "sha256": u.sha256, "created_at": u.created_at,
    })
}

/// Streams the multipart field `file` to a temporary file in `dir`.
async fn receive(
    mut payload: Multipart,
    dir: &std::path::Path,
    limit: u64,
) -> Result<(tempfile::TempPath, Received), AppError> {
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(format!("invalid multipart body: {e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let given = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or_default().to_owned();
        std::fs::create_dir_all(dir).map_err(io)?;
        let temp = tempfile::Builder::new().prefix("upload-").tempfile_in(dir).map_err(io)?;
        let mut out = tokio::fs::File::from_std(temp.reopen().map_err(io)?);
        let (mut size, mut hasher, mut head) = (0u64, Sha256::new(), Vec::with_capacity(HEAD_BYTES));
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("upload interrupted: {e}")))?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(AppError::TooLarge);
            }
            if head.len() < HEAD_BYTES {
                head.extend(chunk.iter().take(HEAD_BYTES - head.len()));
            }
            hasher.update(&chunk);
            out.write_all(&chunk).await.map_err(io)?;
        }
        out.flush().await.map_err(io)?;
        let mut tail = Vec::new();
        let mut reader = tokio::fs::File::open(temp.path()).await.map_err(io)?;
        reader.seek(std::io::SeekFrom::Start(size.saturating_sub(TAIL_BYTES))).await.map_err(io)?;
        reader.read_to_end(&mut tail).await.map_err(io)?;
        if size == 0 {
            return Err(AppError::Validation(vec![FieldError::new("file", "empty_file")]));
        }
        let kind = DocumentKind::detect(&head, &tail)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("file", "unsupported_type")]))?;
        let path = temp.into_temp_path();
        let received = Received {
            path: path.to_path_buf(),
            size,
            sha256: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            kind,
            file_name: sanitize(&given, kind.extension()),
        };
        return Ok((path, received));
    }
    Err(AppError::Validation(vec![FieldError::new("file", "required")]))
}

pub async fn upload(
    req: HttpRequest,
    viewer: Viewer,
    state: Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let owner = viewer.principal()?.id;
    if !csrf::verify_header(&req) {
        return Err(AppError::Forbidden);
    }
    let dir = state.settings.data_dir.join("tmp");
    // The temporary file goes when `_temp` is dropped, kept or not.
    let (_temp, received) = receive(payload, &dir, state.settings.upload_max_bytes).await?;
    let kept = store::keep(&state.db, &state.storage, owner, &received, Utc::now()).await?;
    tracing::info!(upload.kind = %kept.kind, upload.size = kept.size_bytes, "document uploaded");
    Ok(HttpResponse::build(StatusCode::CREATED).json(describe(&kept)))
}

pub async fn list(viewer: Viewer, state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let items: Vec<_> = store::mine(&state.db, viewer.principal()?.id).await?.iter().map(describe).collect();
    Ok(HttpResponse::Ok().json(json!({ "total": items.len(), "items": items })))
}

pub async fn download(viewer: Viewer, state: Data<AppState>, id: Path<String>) -> Result<HttpResponse, AppError> {
    let found = store::find_mine(&state.db, viewer.principal()?.id, &id).await?;
    let kind = DocumentKind::parse(&found.kind).ok_or_else(|| io("stored kind unknown"))?;
    let bytes = state.storage.get(&found.storage_key).await.map_err(|e| AppError::Internal(e.into()))?;
    let disposition =
        format!("attachment; filename*=UTF-8''{}", super::render::urlencode(&found.file_name).replace('+', "%20"));
    Ok(HttpResponse::Ok()
        .content_type(kind.content_type())
        .insert_header(("Content-Disposition", disposition))
        .body(bytes))
}
