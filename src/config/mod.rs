//! Settings: defaults, then an optional TOML file, then `MOTCUA_*` environment
//! variables. Everything is validated once at start-up and every bad setting is
//! reported together, so an operator fixes them in one go.

mod services;
mod settings;

pub mod national_sync;
pub mod office_hours;
pub mod payment;
pub mod policies;
pub mod ratings;

pub use office_hours::OfficeHours;
pub use services::{MailSettings, MailTransport, SmtpTls, StorageSettings};
pub use settings::{DEMO_SSO_CLIENT_SECRET, SSO_CALLBACK_PATH, Settings};
