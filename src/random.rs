//! Unguessable tokens from the operating system's randomness.

use base64::Engine;

/// 256 random bits, URL-safe base64 without padding.
pub fn token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}
