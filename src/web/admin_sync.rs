//! The operator's sync monitor: how many national sync events wait, are
//! being retried or are dead, each failing one with the national portal's
//! last answer; re-drive one or all, or set a dead one aside.

use actix_web::HttpResponse;
use actix_web::web::Path;
use serde_json::{Value, json};

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::audit;
use crate::error::AppError;
use crate::national_sync::TOPIC;
use crate::outbox::operator;

const MONITOR: &str = "/quan-tri/dong-bo";

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    let db = &ui.state.db;
    let counts = operator::counts(db, TOPIC).await?;
    let failures: Vec<Value> = operator::failures(db, TOPIC, 100)
        .await?
        .into_iter()
        .map(|r| {
            let payload: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
            json!({
                "id": r.id, "dossier": r.ordering_key, "service": payload["service"], "seq": payload["seq"],
                "status": r.status, "attempts": r.attempts, "next_attempt_at": r.next_attempt_at,
                "last_error": r.last_error, "created_at": r.created_at,
            })
        })
        .collect();
    let mut ctx = ui.form_context();
    ctx.insert("counts", &counts);
    ctx.insert("failures", &failures);
    ctx.insert("synced_dossiers", &operator::keys_delivered(db, TOPIC).await?);
    ctx.insert("endpoint", &ui.state.settings.national_sync.url);
    ui.render("admin/sync.html", &ctx)
}

fn id_of(path: &str) -> Result<i64, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}

/// Every dead or failing event is tried again now, from its first attempt.
pub async fn redrive_all(ui: Ui, _form: FormData) -> Result<HttpResponse, AppError> {
    let now = ui.now();
    let n = operator::redrive(&ui.state.db, TOPIC, None, now).await?;
    audit::record(&ui.state.db, &ui.actor(), "sync_redriven", "national_sync", json!({"events": n}), now).await?;
    Ok(see_other(MONITOR))
}

pub async fn redrive_one(ui: Ui, id: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let id = id_of(&id)?;
    let now = ui.now();
    if operator::redrive(&ui.state.db, TOPIC, Some(id), now).await? == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(&ui.state.db, &ui.actor(), "sync_redriven", &format!("#{id}"), json!({"events": 1}), now).await?;
    Ok(see_other(MONITOR))
}

/// A dead event is set aside: never sent, and its dossier's later events go on.
pub async fn discard(ui: Ui, id: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let id = id_of(&id)?;
    let now = ui.now();
    if !operator::discard(&ui.state.db, TOPIC, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&ui.state.db, &ui.actor(), "sync_discarded", &format!("#{id}"), json!({}), now).await?;
    Ok(see_other(MONITOR))
}
