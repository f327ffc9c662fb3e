//! HTTP only: routes, extractors, rendering and middleware. Handlers parse
//! the request, call a domain module and shape its answer; rules live in the
//! domain modules.

pub mod access;
pub mod admin;
pub mod admin_agencies;
pub mod admin_audit;
pub mod admin_calendar;
pub mod admin_form;
pub mod admin_mail;
pub mod admin_national_catalogue;
pub mod admin_officials;
pub mod admin_sync;
pub mod admin_workflows;
pub mod api;
pub mod auth_pages;
pub mod catalogue_query;
pub mod csrf;
pub mod csv;
pub mod dashboard;
pub mod dossier_api;
pub mod dossier_edit;
pub mod dossier_pages;
pub mod eform_view;
pub mod errors;
pub mod extract;
pub mod form;
pub mod forms;
pub mod headers;
pub mod health;
pub mod input_guard;
pub mod multipart_form;
pub mod national_inbound;
pub mod open_data;
pub mod payments;
pub mod processing;
pub mod public;
pub mod ratings;
pub mod reception;
pub mod render;
pub mod request_span;
pub mod routes;
pub mod session;
pub mod statistics;
pub mod uploads;

pub use routes::routes;
