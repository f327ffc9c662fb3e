//! CSRF protection for HTML forms: a random token kept in the (encrypted)
//! session and echoed in a hidden field of every state-changing form.

use actix_session::Session;

pub const FIELD: &str = "_csrf";
const KEY: &str = "csrf";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(KEY) {
        return existing;
    }
    // Without randomness we cannot issue a token; an empty one never verifies.
    let Ok(token) = crate::random::token() else {
        return String::new();
    };
    // A session that cannot store the token fails verification later.
    let _ = session.insert(KEY, &token);
    token
}

pub fn verify(session: &Session, sent: Option<&str>) -> bool {
    match (session.get::<String>(KEY), sent) {
        (Ok(Some(expected)), Some(sent)) => {
            !expected.is_empty() && constant_time_eq(expected.as_bytes(), sent.as_bytes())
        }
        _ => false,
    }
}

pub use crate::digest::constant_time_eq;

/// The header that scripts and integrations send the token in, for requests
/// that carry no form field (multipart uploads to the JSON API).
pub const HEADER: &str = "x-csrf-token";

pub fn verify_header(req: &actix_web::HttpRequest) -> bool {
    use actix_session::SessionExt;
    let sent = req.headers().get(HEADER).and_then(|v| v.to_str().ok());
    verify(&req.get_session(), sent)
}
