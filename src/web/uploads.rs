//! Uploads to the applicant's document store over the JSON API, one file
//! per request (see `multipart_form` for how files are received).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

use super::access::Viewer;
use super::multipart_form::{self, Limits};
use crate::app::AppState;
use crate::documents::kind::DocumentKind;
use crate::documents::store;
use crate::error::{AppError, FieldError};

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("upload: {e}"))
}

fn describe(u: &entity::upload::Model) -> serde_json::Value {
    json!({
        "id": u.public_id, "name": u.file_name, "kind": u.kind, "size": u.size_bytes,
        "sha256": u.sha256, "created_at": u.created_at,
    })
}

pub async fn upload(viewer: Viewer, state: Data<AppState>, payload: Multipart) -> Result<HttpResponse, AppError> {
    let owner = viewer.principal()?.id;
    let limits =
        Limits { file_bytes: state.settings.upload_max_bytes, files: 1, total_bytes: state.settings.upload_max_bytes };
    let form = multipart_form::read(payload, &state.settings.data_dir.join("tmp"), &limits).await?;
    let file = form
        .files
        .iter()
        .find(|f| f.field == "file")
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("file", "required")]))?;
    let kept = store::keep(&state.db, &state.storage, owner, &file.received, state.clock.now()).await?;
    tracing::info!(upload.kind = %kept.kind, upload.size = kept.size_bytes, "document uploaded");
    Ok(HttpResponse::build(StatusCode::CREATED).json(describe(&kept)))
}

pub async fn list(viewer: Viewer, state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let items: Vec<_> = store::mine(&state.db, viewer.principal()?.id).await?.iter().map(describe).collect();
    Ok(HttpResponse::Ok().json(json!({ "total": items.len(), "items": items })))
}

pub async fn download(
    req: HttpRequest,
    viewer: Viewer,
    state: Data<AppState>,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let found = store::find_mine(&state.db, viewer.principal()?.id, &id).await?;
    serve(&req, &state, &found).await
}

/// How long a presigned download address stays valid.
const PRESIGNED_TTL: std::time::Duration = std::time::Duration::from_secs(300);

/// Lets a previewed file be shown in a frame of the portal's own pages, and
/// nowhere else; it may run nothing.
fn framed_by_us(res: &mut HttpResponse) {
    use actix_web::http::header::{CONTENT_SECURITY_POLICY, HeaderValue, X_FRAME_OPTIONS};
    let headers = res.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'self'"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
}

/// Sends a stored file the caller has been authorised to read: streamed
/// from disk, or, from S3, by a redirect to a short-lived presigned address.
pub async fn serve(
    req: &HttpRequest,
    state: &AppState,
    found: &entity::upload::Model,
) -> Result<HttpResponse, AppError> {
    let kind = DocumentKind::parse(&found.kind).ok_or_else(|| io("stored kind unknown"))?;
    let storage_error = |e: crate::storage::StorageError| AppError::Internal(e.into());
    // `?xem` asks to view a PDF or a picture in the page (its kind was read from its bytes);
    // anything else, and everything by default, downloads.
    let inline = req.query_string().split('&').any(|p| p == "xem")
        && matches!(kind, DocumentKind::Pdf | DocumentKind::Jpeg | DocumentKind::Png);
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        super::render::urlencode(&found.file_name).replace('+', "%20")
    );
    if let Some(path) = state.storage.local_path(&found.storage_key).map_err(storage_error)? {
        let file = actix_files::NamedFile::open_async(&path).await.map_err(io)?;
        let mut res = file
            .set_content_type(kind.content_type().parse().map_err(io)?)
            .use_etag(true)
            .use_last_modified(true)
            .into_response(req);
        res.headers_mut().insert(
            actix_web::http::header::CONTENT_DISPOSITION,
            actix_web::http::header::HeaderValue::from_str(&disposition).map_err(io)?,
        );
        if inline {
            framed_by_us(&mut res);
        }
        return Ok(res);
    }
    // A preview is framed by our own page, so it comes from our origin, not the object store's.
    if inline {
        let bytes = state.storage.get(&found.storage_key).await.map_err(storage_error)?;
        let mut res = HttpResponse::Ok()
            .content_type(kind.content_type())
            .insert_header(("Content-Disposition", disposition))
            .body(bytes);
        framed_by_us(&mut res);
        return Ok(res);
    }
    match state.storage.presigned_get(&found.storage_key, PRESIGNED_TTL).await.map_err(storage_error)? {
        Some(url) => Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, url))
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .finish()),
        None => {
            let bytes = state.storage.get(&found.storage_key).await.map_err(storage_error)?;
            Ok(HttpResponse::Ok()
                .content_type(kind.content_type())
                .insert_header(("Content-Disposition", disposition))
                .body(bytes))
        }
    }
}
