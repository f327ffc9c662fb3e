//! The integration test binary: every test starts the real portal on a random
//! port with a fresh database (SQLite by default, PostgreSQL when
//! `MOTCUA_TEST_DATABASE_URL` is set) and drives it over HTTP.

mod helpers;
mod seeded_dossiers;
mod services;
mod statistics;
mod step_budgets;

mod admin_agencies;
mod admin_procedures;
mod audit_log;
mod authorization_matrix;
mod back_office;
mod browser;
mod builders;
mod calendar;
mod catalogue_api;
mod catalogue_copies;
mod catalogue_pages;
mod catalogue_transfer;
mod dashboard;
mod deadlines;
mod dossier_api;
mod dossier_codes;
mod dossier_support;
mod dossiers;
mod errors_and_headers;
mod forwarded;
mod health;
mod housekeeping;
mod identity_sso;
mod journey;
mod lifecycle;
mod mail;
mod national_catalogue;
mod national_sync;
mod office_rules;
mod offices;
mod officials;
mod open_data;
mod openapi_contract;
mod page_style;
mod payment_orders;
mod payments;
mod processes;
mod processing;
mod ratings;
mod reception;
mod storage;
mod sync_operator;
mod sync_processes;
mod time_rules;
mod unstorable_input;
mod uploads;
mod workflow_versions;
mod workflows;
