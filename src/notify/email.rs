//! Composing e-mails from `templates/email/<name>/{subject.txt,body.txt,body.html}`
//! and queueing them in the outbox of the caller's transaction.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::outbox;

pub const TOPIC: &str = "email";

/// An e-mail as frozen in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Documents generated when the mail is sent, from records that no
    /// longer change (a receipt is fixed once the dossier is received).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attachment {
    /// Form 01, the receipt and appointment slip of a dossier.
    Receipt { dossier_id: i64, lookup_url: String },
}

impl Email {
    pub fn compose(tera: &tera::Tera, name: &str, to: &str, ctx: &tera::Context) -> Result<Email, AppError> {
        let render = |part: &str| {
            tera.render(&format!("email/{name}/{part}"), ctx)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("e-mail template {name}/{part}: {e:?}")))
        };
        Ok(Email {
            to: to.to_owned(),
            subject: render("subject.txt")?.trim().to_owned(),
            text: render("body.txt")?,
            html: render("body.html")?,
            attachments: Vec::new(),
        })
    }
}

/// Queues `email` in the transaction `db`: it leaves only if the change commits.
pub async fn enqueue(db: &impl ConnectionTrait, email: &Email, now: DateTime<Utc>) -> Result<(), AppError> {
    let payload = serde_json::to_value(email).map_err(anyhow::Error::from)?;
    outbox::enqueue(db, TOPIC, None, &payload, now).await
}
