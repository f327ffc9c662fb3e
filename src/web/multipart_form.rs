//! Multipart bodies with files: text fields are collected (bounded), each
//! file is streamed to a temporary file (never held whole in memory),
//! stopped as soon as it passes the per-file or per-request limit, hashed
//! on the way, and kept only if its content is a kind a dossier accepts.

use actix_multipart::Multipart;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::documents::kind::DocumentKind;
use crate::documents::name::sanitize;
use crate::documents::store::Received;
use crate::error::{AppError, FieldError};

/// Bytes kept from the start and read from the end of a file to tell its kind.
const HEAD_BYTES: usize = 16;
const TAIL_BYTES: u64 = 64 * 1024;
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
pub async fn read(mut payload: Multipart, dir: &std::path::Path, limits: &Limits) -> Result<MultipartForm, AppError> {
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
        std::fs::create_dir_all(dir).map_err(io)?;
        let temp = tempfile::Builder::new().prefix("upload-").tempfile_in(dir).map_err(io)?;
        let mut out = tokio::fs::File::from_std(temp.reopen().map_err(io)?);
        let (mut size, mut hasher, mut head) = (0u64, Sha256::new(), Vec::with_capacity(HEAD_BYTES));
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("upload interrupted: {e}")))?;
            size += chunk.len() as u64;
            total += chunk.len() as u64;
            if size > limits.file_bytes || total > limits.total_bytes {
                return Err(AppError::TooLarge);
            }
            if head.len() < HEAD_BYTES {
                head.extend(chunk.iter().take(HEAD_BYTES - head.len()));
            }
            hasher.update(&chunk);
            out.write_all(&chunk).await.map_err(io)?;
        }
        out.flush().await.map_err(io)?;
        if size == 0 {
            if given.is_empty() {
                continue;
            }
            return Err(AppError::Validation(vec![FieldError::new(name, "empty_file")]));
        }
        if form.files.len() >= limits.files {
            return Err(AppError::Validation(vec![FieldError::new(name, "too_many_files")]));
        }
        let mut tail = Vec::new();
        let mut reader = tokio::fs::File::open(temp.path()).await.map_err(io)?;
        reader.seek(std::io::SeekFrom::Start(size.saturating_sub(TAIL_BYTES))).await.map_err(io)?;
        reader.read_to_end(&mut tail).await.map_err(io)?;
        let kind = DocumentKind::detect(&head, &tail)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new(name.clone(), "unsupported_type")]))?;
        let path = temp.into_temp_path();
        let received = Received {
            path: path.to_path_buf(),
            size,
            sha256: crate::digest::hex(&hasher.finalize()),
            kind,
            file_name: sanitize(&given, kind.extension()),
        };
        form.files.push(IncomingFile { field: name, received, _temp: path });
    }
    Ok(form)
}
