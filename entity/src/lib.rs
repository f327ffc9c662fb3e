//! SeaORM entities: one file per table, no business logic.
//!
//! Enumerations are stored as strings so the same schema works on SQLite and
//! PostgreSQL; the dossier's closed lists are typed columns (`values`), others
//! still strings given meaning by the portal crate's domain modules.

pub mod db_enum;
pub mod string_enum;
pub mod values;

pub mod account;
pub mod account_role;
pub mod agency;
pub mod agency_day;
pub mod audit_log;
pub mod change_counter;
pub mod dossier;
pub mod dossier_document;
pub mod dossier_event;
pub mod dossier_pause;
pub mod dossier_sequence;
pub mod ended_session;
pub mod field;
pub mod national_client;
pub mod notice;
pub mod outbox;
pub mod outbox_key_lease;
pub mod payment;
pub mod procedure;
pub mod procedure_document;
pub mod procedure_fee;
pub mod procedure_proposal;
pub mod procedure_revision;
pub mod procedure_step_budget;
pub mod rate_limit;
pub mod rating;
pub mod rating_answer;
pub mod rating_link;
pub mod rating_official;
pub mod sla_rule;
pub mod supplement_round;
pub mod upload;
pub mod work_calendar;
pub mod workflow_activation;
pub mod workflow_version;
