//! Multipart bodies with files: text fields are collected (bounded), each
//! file is streamed to a temporary file (never held whole in memory),
//! stopped as soon as it passes the per-file or per-request limit, hashed
//! on the way, and kept only if its content is a kind a dossier accepts.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::documents::receive::{ReceiveError, Receiving};
use crate::documents::store::Received;
use crate::error::{AppError, FieldError};

const MAX_TEXT_BYTES: usize = 64 * 1024;
const MAX_TEXT_FIELDS: usize = 2000;

pub struct Limits {
    pub file_bytes: u64,
    pub files: usize,
    pub total_bytes: u64,
}

/// A file received in full; its temporary copy goes when this is dropped.
pub struct IncomingFile {
    pub field: String,
    pub received: Received,
    _temp: tempfile::TempPath,
}

#[derive(Default)]
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<IncomingFile>,
    /// The files left out, each with what is wrong with it (by its field's name).
    pub file_errors: Vec<FieldError>,
}

impl MultipartForm {
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("upload: {e}"))
}

/// Reads the whole body. Empty file inputs (a browser sends them when no
/// file was chosen) are skipped; a file of an unknown kind is an error on its field.
pub async fn read(payload: Multipart, dir: &std::path::Path, limits: &Limits) -> Result<MultipartForm, AppError> {
    let form = read_keeping_going(payload, dir, limits).await?;
    if form.file_errors.is_empty() { Ok(form) } else { Err(AppError::Validation(form.file_errors)) }
}

/// As `read`, but a file that is empty or of an unknown kind is left out and
/// noted in `file_errors`, so that a form can be shown again with what was
/// typed and each bad file named next to its field.
pub async fn read_keeping_going(
    mut payload: Multipart,
    dir: &std::path::Path,
    limits: &Limits,
) -> Result<MultipartForm, AppError> {
    let mut form = MultipartForm::default();
    let mut total = 0u64;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(format!("invalid multipart body: {e}")))?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
        let Some(given) = file_name else {
            let mut text = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| AppError::BadRequest(format!("body interrupted: {e}")))?;
                text.extend_from_slice(&chunk);
                if text.len() > MAX_TEXT_BYTES {
                    return Err(AppError::TooLarge);
                }
            }
            if form.fields.len() >= MAX_TEXT_FIELDS {
                return Err(AppError::BadRequest("too many form fields".into()));
            }
            let text = String::from_utf8(text).map_err(|_| AppError::BadRequest(format!("{name}: not UTF-8")))?;
            // See `input_guard`: no NUL or control character, nor its escape in a JSON text field.
            if crate::text::has_forbidden_control(&name)
                || crate::text::has_forbidden_control(&text)
                || super::input_guard::json_control_escape(text.as_bytes())
            {
                return Err(AppError::Validation(vec![FieldError::new(&name, "control_characters")]));
            }
            form.fields.push((name, text));
            continue;
        };
        let limit = limits.file_bytes.min(limits.total_bytes.saturating_sub(total));
        let mut receiving = Receiving::start(dir, limit).map_err(io)?;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("upload interrupted: {e}")))?;
            receiving.push(&chunk).await.map_err(|e| match e {
                ReceiveError::TooLarge => AppError::TooLarge,
                other => io(other),
            })?;
        }
        total += receiving.size();
        if receiving.size() == 0 {
            if !given.is_empty() {
                form.file_errors.push(FieldError::new(name, "empty_file"));
            }
            continue;
        }
        if form.files.len() >= limits.files {
            return Err(AppError::Validation(vec![FieldError::new(name, "too_many_files")]));
        }
        match receiving.finish(&given).await {
            Ok((received, path)) => form.files.push(IncomingFile { field: name, received, _temp: path }),
            Err(ReceiveError::UnsupportedType) => form.file_errors.push(FieldError::new(name, "unsupported_type")),
            Err(other) => return Err(io(other)),
        }
    }
    Ok(form)
}
