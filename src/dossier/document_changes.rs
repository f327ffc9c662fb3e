//! What one post does to a dossier's documents: files added per slot,
//! files reused from the applicant's store, files taken out. The new files'
//! objects go to the store first (an object store takes no part in a
//! database transaction); then one transaction writes every record and
//! link, with whatever change of the dossier the post makes, so a failure
//! half-way leaves no document attached and none detached. Objects of a
//! failed post are deleted again.

use chrono::{DateTime, Utc};
use entity::{dossier, upload};
use sea_orm::ConnectionTrait;

use super::documents::{self, Limits, Slot};
use crate::context::Context;
use crate::documents::store::{self, Received, Stored};
use crate::error::{AppError, FieldError};

/// The documents part of a post.
pub struct Change<'a> {
    pub files: Vec<(Option<i32>, &'a Received)>,
    pub reuse: &'a [(Option<i32>, String)],
    pub remove: &'a [String],
}

/// A change checked against the dossier's limits, its new files in the store.
pub struct Prepared<'a> {
    new: Vec<(Option<i32>, &'a Received, Stored)>,
    reused: Vec<(Option<i32>, upload::Model)>,
    remove: Vec<String>,
    limits: Limits,
}

pub fn limits(cx: &Context) -> Limits {
    Limits { files: cx.settings.dossier_max_files, bytes: cx.settings.dossier_max_bytes }
}

/// Checks `change` against what `d` holds and puts its new files in the
/// store; a refused change stores nothing.
pub async fn prepare<'a>(
    cx: &Context,
    d: &dossier::Model,
    slots: &[Slot],
    change: Change<'a>,
    owner: i32,
) -> Result<Prepared<'a>, AppError> {
    let limits = limits(cx);
    // The dossier's count says when it holds none (a draft this request started): nothing to read.
    let attached = if d.documents == 0 { Vec::new() } else { documents::list(&cx.db, d.id).await? };
    let staying: Vec<_> = attached.into_iter().filter(|a| !change.remove.contains(&a.upload_id)).collect();
    let mut reused = Vec::new();
    for (slot, id) in change.reuse {
        let file = store::find_mine(&cx.db, owner, id).await?;
        if !staying.iter().any(|a| a.upload.id == file.id) {
            reused.push((*slot, file));
        }
    }
    // The same file sent again into the same slot (a repeated post) is there already.
    let incoming: Vec<_> = change
        .files
        .into_iter()
        .filter(|(slot, f)| !staying.iter().any(|a| a.slot == *slot && a.sha256 == f.sha256))
        .collect();
    let more = incoming.len() + reused.len();
    let more_bytes = incoming.iter().map(|(_, f)| f.size).sum::<u64>()
        + reused.iter().map(|(_, f)| u64::try_from(f.size_bytes).unwrap_or(0)).sum::<u64>();
    let mut errors = documents::check_limits(&staying, more, more_bytes, limits);
    let unknown = incoming.iter().map(|(s, _)| s).chain(reused.iter().map(|(s, _)| s));
    if unknown.into_iter().any(|s| s.is_some_and(|p| !slots.iter().any(|x| x.position == p))) {
        errors.push(FieldError::new("documents", "unknown_slot"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut prepared = Prepared { new: Vec::new(), reused, remove: change.remove.to_vec(), limits };
    // The files go to the store side by side: their writes and syncs overlap.
    let puts = incoming.iter().map(|(_, file)| store::put(&cx.storage, owner, file));
    let mut failed = None;
    for ((slot, file), put) in incoming.iter().zip(futures_util::future::join_all(puts).await) {
        match put {
            Ok(stored) => prepared.new.push((*slot, *file, stored)),
            Err(e) => failed = Some(e),
        }
    }
    if let Some(e) = failed {
        abandon(cx, prepared).await;
        return Err(e);
    }
    Ok(prepared)
}

/// Writes the prepared change in the caller's transaction: links removed,
/// reused files linked, new files recorded and linked; returns the new records.
#[allow(clippy::too_many_arguments)]
pub async fn write(
    txn: &impl ConnectionTrait,
    d: &dossier::Model,
    slots: &[Slot],
    prepared: &Prepared<'_>,
    owner: i32,
    round: i32,
    now: DateTime<Utc>,
) -> Result<Vec<upload::Model>, AppError> {
    for id in &prepared.remove {
        documents::detach(txn, d.id, id).await?;
    }
    // Read again in the transaction: another post may have changed them since `prepare`.
    let mut attached = documents::list(txn, d.id).await?;
    for (slot, file) in &prepared.reused {
        documents::attach(txn, d, slots, *slot, file, true, round, prepared.limits, &mut attached, now).await?;
    }
    let mut new = Vec::new();
    for (slot, file, stored) in &prepared.new {
        let kept = store::record(txn, owner, file, stored, now).await?;
        documents::attach(txn, d, slots, *slot, &kept, false, round, prepared.limits, &mut attached, now).await?;
        new.push(kept);
    }
    crate::dossier::facts::documents_changed(txn, d.id).await?;
    Ok(new)
}

/// Deletes the objects of a change that was not written.
pub async fn abandon(cx: &Context, prepared: Prepared<'_>) {
    for (_, _, stored) in prepared.new {
        if let Err(e) = cx.storage.delete(&stored.key).await {
            tracing::warn!(error = %e, key = %stored.key, "could not delete the object of a failed post");
        }
    }
}

/// Prepares and writes `change` in a transaction of its own.
pub async fn apply(
    cx: &Context,
    d: &dossier::Model,
    slots: &[Slot],
    change: Change<'_>,
    owner: i32,
    round: i32,
    now: DateTime<Utc>,
) -> Result<Vec<upload::Model>, AppError> {
    let prepared = prepare(cx, d, slots, change, owner).await?;
    let written = async {
        let txn = crate::db::begin_write(&cx.db).await?;
        let new = write(&txn, d, slots, &prepared, owner, round, now).await?;
        txn.commit().await?;
        Ok::<_, AppError>(new)
    }
    .await;
    match written {
        Ok(new) => Ok(new),
        Err(e) => {
            abandon(cx, prepared).await;
            Err(e)
        }
    }
}
