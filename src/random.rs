//! Unguessable tokens from the operating system's randomness.

use base64::Engine;

/// 256 random bits, URL-safe base64 without padding.
pub fn token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A number below `n` (n > 0), from the operating system's generator.
pub fn below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    // Without entropy the clock's nanoseconds still make the number unlikely to repeat.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        return u64::from(nanos) % n;
    }
    u64::from_le_bytes(bytes) % n
}
