//! Who may use the admin pages and admin API.
//!
//! Temporary until official accounts exist (identity issue): an admin signs
//! in with the configured admin token, which marks the session; integrations
//! send it as `Authorization: Bearer <token>`.

use std::future::{Ready, ready};

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::csrf::constant_time_eq;
use crate::app::AppState;
use crate::error::AppError;

pub const SESSION_KEY: &str = "admin";

pub struct Admin;

impl Admin {
    pub fn signed_in(req: &HttpRequest) -> bool {
        matches!(req.get_session().get::<bool>(SESSION_KEY), Ok(Some(true)))
    }
}

impl FromRequest for Admin {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<Data<AppState>>() else {
            return ready(Err(AppError::Internal(anyhow::anyhow!("no app state")).into()));
        };
        let bearer =
            req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let allowed = match bearer {
            Some(token) => constant_time_eq(token.trim().as_bytes(), state.settings.admin_token.as_bytes()),
            None => Admin::signed_in(req),
        };
        ready(if allowed { Ok(Admin) } else { Err(AppError::Unauthorized.into()) })
    }
}
