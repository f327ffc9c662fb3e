//! The application's error: a machine code, a status and a human detail, plus
//! field items for validation failures.
//!
//! `AppError` only decides *what* went wrong. The response is shaped later by
//! `web::errors` (which also maps it to an HTTP status), which knows whether the caller is a browser (an HTML page in
//! the user's language) or an integration (RFC 9457 problem+json).

use sea_orm::{DbErr, SqlErr};
use serde::Serialize;

/// One invalid input field; `code` names the rule broken and is translated
/// as `field_error_<code>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("too many requests")]
    TooManyRequests,
    #[error("payload too large")]
    TooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What the error renderer needs, carried from `error_response` to the
/// rendering middleware in the response's extensions.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub code: &'static str,
    /// Detail safe to show to the user; internal causes are only logged.
    pub detail: Option<String>,
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::TooManyRequests => "too_many_requests",
            AppError::TooLarge => "too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn report(&self) -> ErrorReport {
        let detail = match self {
            AppError::BadRequest(d) | AppError::Conflict(d) => Some(d.clone()),
            _ => None,
        };
        let fields = match self {
            AppError::Validation(f) => f.clone(),
            _ => Vec::new(),
        };
        ErrorReport { code: self.code(), detail, fields }
    }
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict("the record already exists".into()),
            _ => AppError::Internal(e.into()),
        }
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(e: validator::ValidationErrors) -> Self {
        AppError::Validation(field_errors(&e))
    }
}

/// Flattens validator's errors, nested ones included (`documents.2.name`),
/// into field items sorted by field.
pub fn field_errors(e: &validator::ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    flatten("", e, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn flatten(prefix: &str, e: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in e.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            Kind::Field(errs) => out.extend(errs.iter().map(|err| FieldError::new(&path, err.code.to_string()))),
            Kind::Struct(inner) => flatten(&path, inner, out),
            Kind::List(items) => {
                for (index, inner) in items {
                    flatten(&format!("{path}.{index}"), inner, out);
                }
            }
        }
    }
}
