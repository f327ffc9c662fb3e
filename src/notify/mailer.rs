//! The two ways mail leaves: `.eml` files in a folder (the embedded default,
//! so a demo never sends real mail) or SMTP.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::email::Email;
use crate::config::{MailSettings, MailTransport, SmtpTls};

#[derive(Clone)]
pub enum Mailer {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> anyhow::Result<Mailer> {
        Ok(match &settings.transport {
            MailTransport::File { dir } => {
                std::fs::create_dir_all(dir)?;
                Mailer::File(AsyncFileTransport::new(dir))
            }
            MailTransport::Smtp { host, port, tls, username, password } => {
                let mut builder = match tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                };
                builder = builder.port(*port).timeout(Some(std::time::Duration::from_secs(20)));
                if let (Some(user), Some(pass)) = (username, password) {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
                }
                Mailer::Smtp(builder.build())
            }
        })
    }

    /// Sends `email` with its attachments, already generated, as (file name, content type, bytes).
    pub async fn send(&self, from: &str, email: &Email, files: Vec<(String, String, Vec<u8>)>) -> Result<(), String> {
        let message = build(from, email, files)?;
        match self {
            Mailer::File(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

fn build(from: &str, email: &Email, files: Vec<(String, String, Vec<u8>)>) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("sender: {e}"))?;
    let to: Mailbox = email.to.parse().map_err(|e| format!("recipient {:?}: {e}", email.to))?;
    let body = MultiPart::alternative_plain_html(email.text.clone(), email.html.clone());
    let body = if files.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for (name, content_type, bytes) in files {
            let content_type = ContentType::parse(&content_type).map_err(|e| format!("content type: {e}"))?;
            mixed = mixed.singlepart(Attachment::new(name).body(bytes, content_type));
        }
        mixed
    };
    Message::builder().from(from).to(to).subject(&email.subject).multipart(body).map_err(|e| e.to_string())
}
