//! motcua — online public-service portal with a one-stop ("một cửa")
//! electronic dossier system.
//!
//! `web` is the HTTP layer; the domain modules (`catalogue`, …) own their
//! tables and rules and know nothing of HTTP; `entity` and `migration` are the
//! database schema. See README.md for the codemap.

pub mod app;
pub mod audit;
pub mod auth;
pub mod blocking;
#[cfg(test)]
mod boundaries;
pub mod catalogue;
pub mod change_counter;
pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod db;
pub mod deadlines;
pub mod digest;
pub mod documents;
pub mod dossier;
pub mod error;
pub mod forms;
pub mod held_back;
pub mod i18n;
pub mod mock_national_portal;
pub mod national_sync;
pub mod notify;
pub mod outbox;
pub mod payment;
pub mod pdf;
pub mod random;
pub mod ratelimit;
pub mod rating;
pub mod scheduler;
pub mod seed;
pub mod sla;
pub mod sla_rules;
pub mod statistics;
pub mod storage;
/// Closed enumerations stored as strings (declared with the entities, which use them as column types).
pub use entity::string_enum;
pub mod telemetry;
pub mod text;
#[cfg(test)]
mod untrusted_input_properties;
pub mod values;
pub mod web;
pub mod work_calendar;
pub mod workflow;
pub mod workflow_registry;
pub mod workflow_store;
