//! What one post of a dossier form changes: the e-form fields, new files
//! per slot (`file.<position>` or `file.extra`), files reused from the
//! document store (`reuse.<position>`), files taken out (`remove`). Limits
//! are checked before anything is stored, so a refused post changes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{dossier, upload};

use super::multipart_form::{IncomingFile, Limits, MultipartForm};
use crate::app::AppState;
use crate::documents::store;
use crate::dossier::document_changes;
use crate::dossier::documents::Slot;
use crate::error::{AppError, FieldError};

/// Form fields that steer the page rather than fill the e-form.
const CONTROL: &[&str] = &["_csrf", "action", "draft_token", "remove", "version", "note"];

pub struct Edits {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<(Option<i32>, IncomingFile)>,
    pub reuse: Vec<(Option<i32>, String)>,
    pub remove: Vec<String>,
}

/// Limits of one post: no more files than a dossier may hold.
pub fn request_limits(state: &AppState) -> Limits {
    Limits {
        file_bytes: state.settings.upload_max_bytes,
        files: state.settings.dossier_max_files,
        total_bytes: state.settings.dossier_max_bytes,
    }
}

fn slot_of(suffix: &str) -> Result<Option<i32>, FieldError> {
    match suffix {
        "extra" => Ok(None),
        n => n.parse().map(Some).map_err(|_| FieldError::new("documents", "unknown_slot")),
    }
}

pub fn edits_of(form: MultipartForm) -> Result<Edits, AppError> {
    let mut errors = Vec::new();
    let mut edits = Edits { fields: BTreeMap::new(), files: Vec::new(), reuse: Vec::new(), remove: Vec::new() };
    for (name, value) in form.fields {
        if let Some(suffix) = name.strip_prefix("reuse.") {
            if !value.is_empty() {
                match slot_of(suffix) {
                    Ok(slot) => edits.reuse.push((slot, value)),
                    Err(e) => errors.push(e),
                }
            }
        } else if name == "remove" {
            edits.remove.push(value);
        } else if !CONTROL.contains(&name.as_str()) && !name.starts_with("file.") {
            edits.fields.insert(name, value);
        }
    }
    for file in form.files {
        match file.field.strip_prefix("file.").map(slot_of) {
            Some(Ok(slot)) => edits.files.push((slot, file)),
            _ => errors.push(FieldError::new("documents", "unknown_slot")),
        }
    }
    if errors.is_empty() { Ok(edits) } else { Err(AppError::Validation(errors)) }
}

/// The documents part of `edits`, for the domain.
pub fn change_of(edits: &Edits) -> document_changes::Change<'_> {
    document_changes::Change {
        files: edits.files.iter().map(|(slot, f)| (*slot, &f.received)).collect(),
        reuse: &edits.reuse,
        remove: &edits.remove,
    }
}

/// Applies the documents part of `edits` to `d`, files owned by `owner`, in
/// one transaction; returns the files this post added to the document store.
pub async fn apply_documents(
    state: &AppState,
    d: &dossier::Model,
    slots: &[Slot],
    edits: &Edits,
    owner: i32,
    round: i32,
    now: DateTime<Utc>,
) -> Result<Vec<upload::Model>, AppError> {
    document_changes::apply(state, d, slots, change_of(edits), owner, round, now).await
}

/// Takes `files` out of the store again (a failed request keeps no files) and gives back `error`.
pub async fn discard_after(state: &AppState, files: Vec<upload::Model>, error: AppError) -> AppError {
    for file in files {
        if let Err(e) = store::discard(&state.db, &state.storage, &file).await {
            tracing::warn!(error = %e, "could not discard an upload of a failed request");
        }
    }
    error
}
