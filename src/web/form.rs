//! HTML form bodies, checked for a CSRF token before anything reads them.
//!
//! Forms are read as ordered name/value pairs, so repeated rows (the
//! documents and fees of a procedure) keep their order and alignment.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::csrf;
use crate::error::{AppError, FieldError};

pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// A checkbox is on when the form carries its name at all.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

impl FromRequest for FormData {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Form::<Vec<(String, String)>>::from_request(&req, payload);
        Box::pin(async move {
            let pairs = body.await?.into_inner();
            let sent = pairs.iter().find(|(k, _)| k == csrf::FIELD).map(|(_, v)| v.as_str());
            if !csrf::verify(&req.get_session(), sent) {
                return Err(AppError::Forbidden.into());
            }
            // No field holds a NUL or another control character (tab and line
            // breaks are text); one-line fields are checked where they are read.
            let bad: Vec<FieldError> = pairs
                .iter()
                .filter(|(k, v)| crate::text::has_forbidden_control(k) || crate::text::has_forbidden_control(v))
                .map(|(k, _)| FieldError::new(k, "control_characters"))
                .collect();
            if !bad.is_empty() {
                return Err(AppError::Validation(bad).into());
            }
            Ok(FormData(pairs))
        })
    }
}
