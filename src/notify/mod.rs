//! Notifications: e-mails composed from templates when the event happens
//! (the text is frozen in the outbox), delivered by `worker` through the
//! configured `Mailer` (files on disk by default, SMTP in production).

pub mod dossier;
pub mod email;
pub mod mailer;
pub mod notice;
pub mod worker;

pub use mailer::Mailer;

/// The templates mails are rendered from, shared with the web's pages.
#[derive(Clone)]
pub struct Templates(pub std::sync::Arc<tera::Tera>);
