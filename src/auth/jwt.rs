//! Compact JWS with HS256 (RFC 7515/7519), for the OpenID Connect ID token
//! that the national SSO signs with the client secret (OIDC Core §10.1).
//! Only HS256 is accepted: the `alg` header is checked, never trusted.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    #[error("malformed token")]
    Malformed,
    #[error("unsupported algorithm")]
    Algorithm,
    #[error("bad signature")]
    Signature,
}

fn mac(key: &[u8], signing_input: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(signing_input.as_bytes());
    mac
}

pub fn sign(claims: &impl Serialize, key: &[u8]) -> Result<String, serde_json::Error> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?);
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(mac(key, &signing_input).finalize().into_bytes());
    Ok(format!("{signing_input}.{signature}"))
}

/// The claims of a token signed with `key`; expiry and audience are the caller's to check.
pub fn verify<T: DeserializeOwned>(token: &str, key: &[u8]) -> Result<T, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header_text = header;
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|_| JwtError::Malformed)?)
            .map_err(|_| JwtError::Malformed)?;
    if header["alg"] != "HS256" {
        return Err(JwtError::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| JwtError::Malformed)?;
    mac(key, &format!("{header_text}.{payload}")).verify_slice(&signature).map_err(|_| JwtError::Signature)?;
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&payload).map_err(|_| JwtError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn a_signed_token_verifies_with_its_key_only() {
        let token = sign(&json!({"sub": "a", "nonce": "n"}), b"secret").unwrap();
        let claims: Value = verify(&token, b"secret").unwrap();
        assert_eq!(claims["nonce"], "n");
        assert_eq!(verify::<Value>(&token, b"other"), Err(JwtError::Signature));
    }

    #[test]
    fn tampering_and_other_algorithms_are_refused() {
        let token = sign(&json!({"sub": "a"}), b"k").unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"sub":"b"}"#), parts[2]);
        assert_eq!(verify::<Value>(&forged, b"k"), Err(JwtError::Signature));
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), parts[1]);
        assert_eq!(verify::<Value>(&none, b"k"), Err(JwtError::Algorithm));
        assert_eq!(verify::<Value>("a.b", b"k"), Err(JwtError::Malformed));
    }
}
