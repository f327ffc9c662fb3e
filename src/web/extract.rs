//! Extractor settings: malformed query strings, forms and JSON bodies become
//! `AppError`s, so they get the same page or problem body as any other error.

use actix_web::web::{FormConfig, JsonConfig, QueryConfig};

use crate::error::AppError;

/// Largest JSON body accepted (a whole catalogue import).
pub const JSON_LIMIT: usize = 16 * 1024 * 1024;
const FORM_LIMIT: usize = 1024 * 1024;

pub fn query_config() -> QueryConfig {
    QueryConfig::default().error_handler(|err, _| AppError::BadRequest(format!("invalid query string: {err}")).into())
}

pub fn form_config() -> FormConfig {
    FormConfig::default()
        .limit(FORM_LIMIT)
        .error_handler(|err, _| AppError::BadRequest(format!("invalid form: {err}")).into())
}

pub fn json_config() -> JsonConfig {
    JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(|err, _| AppError::BadRequest(format!("invalid JSON body: {err}")).into())
}
