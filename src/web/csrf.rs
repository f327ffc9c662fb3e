//! CSRF protection for HTML forms: a random token kept in the (encrypted)
//! session and echoed in a hidden field of every state-changing form.

use actix_session::Session;
use base64::Engine;

pub const FIELD: &str = "_csrf";
const KEY: &str = "csrf";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(KEY) {
        return existing;
    }
    let mut bytes = [0u8; 32];
    // Without randomness we cannot issue a token; an empty one never verifies.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
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

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
