//! The operator's view of outgoing e-mail: recent messages with their
//! delivery state and last error, and a test message to check the setup.

use actix_web::HttpResponse;
use serde_json::json;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::audit;
use crate::error::{AppError, FieldError};
use crate::notify::email::{self, Email, TOPIC};
use crate::outbox;

async fn page(ui: &Ui, errors: &[FieldError], to: &str) -> Result<HttpResponse, AppError> {
    let rows = outbox::recent(&ui.state.db, TOPIC, 50).await?;
    let messages: Vec<_> = rows
        .iter()
        .map(|r| {
            let email: Option<Email> = serde_json::from_str(&r.payload).ok();
            json!({
                "id": r.id, "status": r.status, "attempts": r.attempts, "created_at": r.created_at,
                "next_attempt_at": r.next_attempt_at, "last_error": r.last_error,
                "to": email.as_ref().map(|e| e.to.clone()), "subject": email.map(|e| e.subject),
            })
        })
        .collect();
    let mut ctx = ui.form_context();
    ctx.insert("messages", &messages);
    ctx.insert("to", to);
    ui.render_form("admin/mail.html", &mut ctx, errors)
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    page(&ui, &[], "").await
}

/// Queues a test message to `to`; the worker sends it like any other.
pub async fn send_test(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let to = form.get("to").trim().to_owned();
    if to.parse::<lettre::message::Mailbox>().is_err() {
        return page(&ui, &[FieldError::new("to", "email")], &to).await;
    }
    let now = ui.now();
    let mut ctx = tera::Context::new();
    ctx.insert("sent_by", &ui.principal()?.name);
    ctx.insert("portal", &ui.state.settings.public_url);
    let message = Email::compose(&ui.state.tera, "mail_test", &to, &ctx)?;
    let txn = crate::db::begin_write(&ui.state.db).await?;
    email::enqueue(&txn, &message, now).await?;
    audit::record(&txn, &ui.actor(), "mail_test_queued", &to, json!({}), now).await?;
    txn.commit().await?;
    Ok(see_other("/quan-tri/thu-dien-tu"))
}
