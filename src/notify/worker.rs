//! Delivers queued e-mails. Runs every few seconds in each portal process;
//! the outbox's lease keeps two processes from sending the same mail.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::email::{Attachment, Email, TOPIC};
use super::mailer::Mailer;
use crate::error::AppError;
use crate::outbox;

const BATCH: u64 = 50;

/// One pass: claims due e-mails and sends them. Returns how many were sent.
pub async fn run_once(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut sent = 0;
    for row in outbox::claim(db, TOPIC, BATCH, now).await? {
        let result = match serde_json::from_str::<Email>(&row.payload) {
            Ok(email) => match attachments(db, &email).await {
                Ok(files) => mailer.send(from, &email, files).await,
                Err(e) => Err(format!("attachment: {e}")),
            },
            Err(e) => Err(format!("unreadable payload: {e}")),
        };
        match result {
            Ok(()) => {
                outbox::delivered(db, row.id, Utc::now()).await?;
                sent += 1;
            }
            Err(error) => outbox::failed(db, &row, &error, Utc::now()).await?,
        }
    }
    Ok(sent)
}

async fn attachments(db: &DatabaseConnection, email: &Email) -> Result<Vec<(String, String, Vec<u8>)>, AppError> {
    let mut files = Vec::new();
    for attachment in &email.attachments {
        match attachment {
            Attachment::Receipt { dossier_id, lookup_url } => {
                let receipt = crate::dossier::receipt::load(db, *dossier_id, lookup_url).await?;
                let owned = receipt.clone();
                let pdf = crate::blocking::run(move || crate::dossier::receipt::pdf(&owned)).await??;
                files.push((receipt.file_name(), "application/pdf".to_owned(), pdf));
            }
        }
    }
    Ok(files)
}

/// The background loop of a portal process.
pub async fn run_forever(db: DatabaseConnection, mailer: Mailer, from: String) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&db, &mailer, &from, Utc::now()).await {
            tracing::error!(error = %e, "e-mail worker pass failed");
        }
    }
}
