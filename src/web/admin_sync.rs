//! The operator's sync monitor: how many national sync events wait, are
//! being retried or are dead, each failing one with the national portal's
//! last answer; re-drive one or all, or set a dead one aside.

use actix_web::HttpResponse;
use actix_web::web::{Path, Query};
use serde_json::{Value, json};

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::audit;
use crate::error::AppError;
use crate::national_sync::TOPIC;
use crate::national_sync::reconcile::{self, Reconciled};
use crate::outbox::operator;

const MONITOR: &str = "/quan-tri/dong-bo";

#[derive(serde::Deserialize)]
pub struct ShowQuery {
    /// The result of a reconciliation just run: received, missing, queued.
    da_nhan: Option<usize>,
    thieu: Option<usize>,
    gui_lai: Option<usize>,
}

pub async fn show(ui: Ui, q: Query<ShowQuery>) -> Result<HttpResponse, AppError> {
    page(&ui, &q, None).await
}

async fn page(ui: &Ui, q: &ShowQuery, new_client: Option<(String, String)>) -> Result<HttpResponse, AppError> {
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
    ctx.insert(
        "clients",
        &crate::national_sync::clients::list(db)
            .await?
            .iter()
            .map(|c| {
                json!({
                    "id": c.id, "client_id": c.client_id, "created_at": c.created_at, "revoked_at": c.revoked_at,
                })
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("forwarded", &crate::dossier::forwarded::count(db).await?);
    if let (Some(received), Some(missing), Some(queued)) = (q.da_nhan, q.thieu, q.gui_lai) {
        ctx.insert("reconciled", &Reconciled { received, missing, queued });
    }
    if let Some((id, secret)) = new_client {
        ctx.insert("new_client", &json!({"id": id, "secret": secret}));
    }
    let today = crate::sla::local_time::to_local(ui.now()).date();
    ctx.insert("from", &(today - chrono::Duration::days(1)).to_string());
    ctx.insert("to", &today.to_string());
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

/// Reconciles the dossiers received from `from` to `to` (local days, both
/// included) with the national portal now, and shows what it found.
pub async fn reconcile_now(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    use crate::sla::local_time::to_utc;
    let day = |name: &str| chrono::NaiveDate::parse_from_str(form.get(name).trim(), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (day("from"), day("to")) else {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("from", "date")]));
    };
    if to < from || (to - from).num_days() > 366 {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("to", "range")]));
    }
    let now = ui.now();
    let client =
        crate::national_sync::client::SyncClient::new(&ui.state.settings.national_sync).map_err(AppError::Internal)?;
    let start = to_utc(from.and_time(chrono::NaiveTime::MIN));
    let end = to_utc(to.and_hms_opt(23, 59, 59).unwrap_or_default());
    let r = reconcile::run(&ui.state.core, &client, start, end, now)
        .await
        .map_err(|e| AppError::Unavailable(format!("national portal: {e}")))?;
    let detail = json!({"from": from, "to": to, "received": r.received, "missing": r.missing, "queued": r.queued});
    audit::record(&ui.state.db, &ui.actor(), "sync_reconciled", "national_sync", detail, now).await?;
    Ok(see_other(&format!("{MONITOR}?da_nhan={}&thieu={}&gui_lai={}", r.received, r.missing, r.queued)))
}

/// A new client id and secret for the national portal's calls of the inbound
/// API; the secret is shown on this answer only.
pub async fn register_client(ui: Ui, _form: FormData) -> Result<HttpResponse, AppError> {
    let now = ui.now();
    let (id, secret) = crate::national_sync::clients::register(&ui.state.db, now).await?;
    audit::record(&ui.state.db, &ui.actor(), "national_client_registered", &id, json!({}), now).await?;
    let none = ShowQuery { da_nhan: None, thieu: None, gui_lai: None };
    page(&ui, &none, Some((id, secret))).await
}

pub async fn revoke_client(ui: Ui, id: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let now = ui.now();
    if !crate::national_sync::clients::revoke(&ui.state.db, id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&ui.state.db, &ui.actor(), "national_client_revoked", &format!("#{id}"), json!({}), now).await?;
    Ok(see_other(MONITOR))
}
