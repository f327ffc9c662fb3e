//! Official passwords: argon2id hashes (PHC strings), never stored or logged
//! in clear.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// `hash` on the blocking pool: argon2 holds a CPU for tens of milliseconds.
pub async fn hash_off_executor(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    crate::blocking::run(move || hash(&password)).await.map_err(|e| anyhow::anyhow!("{e}"))?
}

/// The hash of `password`, computed once per process and then reused: the
/// demo officials share the documented demo password, and a test suite
/// creates hundreds of accounts with one password; a fresh salt each buys
/// them nothing and costs an argon2 run each. Never for a real account.
pub async fn shared_hash(password: &str) -> anyhow::Result<String> {
    static SHARED: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    let known = |p: &str| SHARED.lock().ok()?.iter().find(|(clear, _)| clear == p).map(|(_, h)| h.clone());
    if let Some(hash) = known(password) {
        return Ok(hash);
    }
    let hash = hash_off_executor(password).await?;
    if let Ok(mut shared) = SHARED.lock() {
        shared.push((password.to_owned(), hash.clone()));
    }
    Ok(hash)
}

/// `verify` on the blocking pool.
pub async fn verify_off_executor(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    crate::blocking::run(move || verify(&password, &stored)).await.unwrap_or(false)
}

/// `burn_time` on the blocking pool.
pub async fn burn_time_off_executor(password: &str) {
    let password = password.to_owned();
    let _ = crate::blocking::run(move || burn_time(&password)).await;
}

/// A hash of nothing, verified against when the username is unknown so that
/// a wrong username costs as long as a wrong password.
pub fn burn_time(password: &str) {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$OE8mGKX3ytx4aEn8mcOT4VS6mS8ZdE2B1NnD4/1vcEM";
    let _ = verify(password, DUMMY);
}

/// Why a new password is refused, as a field error code.
pub fn weakness(password: &str, username: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Some("password_short")
    } else if length > MAX_LENGTH {
        Some("too_long")
    } else if password.eq_ignore_ascii_case(username) {
        Some("password_is_username")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("mật khẩu dài đủ").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("mật khẩu dài đủ", &h));
        assert!(!verify("mat khau dai du", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_named() {
        assert_eq!(weakness("short", "u"), Some("password_short"));
        assert_eq!(weakness("canbo12345", "CANBO12345"), Some("password_is_username"));
        assert_eq!(weakness("một câu khá dài", "u"), None);
    }
}
