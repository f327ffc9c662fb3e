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
use crate::dossier::documents::{self, Slot};
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

/// Applies the documents part of `edits` to `d`, files owned by `owner`;
/// returns the files this post added to the document store.
pub async fn apply_documents(
    state: &AppState,
    d: &dossier::Model,
    slots: &[Slot],
    edits: &Edits,
    owner: i32,
    round: i32,
    now: DateTime<Utc>,
) -> Result<Vec<upload::Model>, AppError> {
    let db = &state.db;
    let limits = crate::dossier::submit::limits(state);
    let attached = documents::list(db, d.id).await?;
    let staying: Vec<_> = attached.into_iter().filter(|a| !edits.remove.contains(&a.upload_id)).collect();
    let mut reused = Vec::new();
    for (slot, id) in &edits.reuse {
        let file = store::find_mine(db, owner, id).await?;
        if !staying.iter().any(|a| a.upload.id == file.id) {
            reused.push((*slot, file));
        }
    }
    // The same file sent again into the same slot (a repeated post) is there already.
    let incoming: Vec<_> = edits
        .files
        .iter()
        .filter(|(slot, f)| !staying.iter().any(|a| a.slot == *slot && a.sha256 == f.received.sha256))
        .collect();
    let more = incoming.len() + reused.len();
    let more_bytes = incoming.iter().map(|(_, f)| f.received.size).sum::<u64>()
        + reused.iter().map(|(_, f)| u64::try_from(f.size_bytes).unwrap_or(0)).sum::<u64>();
    let mut errors = documents::check_limits(&staying, more, more_bytes, limits);
    let unknown = incoming.iter().map(|(s, _)| s).chain(reused.iter().map(|(s, _)| s));
    if unknown.into_iter().any(|s| s.is_some_and(|p| !slots.iter().any(|x| x.position == p))) {
        errors.push(FieldError::new("documents", "unknown_slot"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    for id in &edits.remove {
        documents::detach(db, d.id, id).await?;
    }
    for (slot, file) in reused {
        documents::attach(db, d, slots, slot, &file, round, limits, now).await?;
    }
    let mut new = Vec::new();
    for (slot, file) in incoming {
        // The file's record and its place in the dossier commit together: a
        // crash leaves neither or both (at worst an object nobody records).
        let stored = store::put(&state.storage, owner, &file.received).await?;
        let linked = async {
            let txn = crate::db::begin_write(db).await?;
            let kept = store::record(&txn, owner, &file.received, &stored, now).await?;
            documents::attach(&txn, d, slots, *slot, &kept, round, limits, now).await?;
            txn.commit().await?;
            Ok::<_, AppError>(kept)
        };
        match linked.await {
            Ok(kept) => new.push(kept),
            Err(e) => {
                let _ = state.storage.delete(&stored.key).await;
                return Err(discard_after(state, new, e).await);
            }
        }
    }
    Ok(new)
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
