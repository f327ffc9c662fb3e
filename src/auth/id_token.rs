//! The national SSO's ID tokens, verified as OpenID Connect Core §3.1.3.7
//! asks: signed with RS256 under a key id (`kid`) the provider publishes in
//! its JWKS (`jwks_uri`), issued by the provider, for this client, not
//! expired. Anything else — `alg: none`, HS256 (even keyed with the public
//! key), an unknown `kid`, a bad signature — is refused. The keys are
//! cached; a token under a key id not in the cache makes the portal read
//! the JWKS again once, so a key rotation at the provider is followed.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::Value;

/// The provider's published keys, read on first use and again on an unknown key id.
#[derive(Default)]
pub struct KeyCache {
    keys: tokio::sync::RwLock<Option<JwkSet>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Value,
    pub exp: i64,
    pub nonce: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed")]
    Malformed,
    #[error("algorithm not RS256")]
    Algorithm,
    #[error("no key id")]
    NoKeyId,
    #[error("unknown key id")]
    UnknownKey,
    #[error("rejected: {0}")]
    Rejected(String),
    #[error("provider keys unreachable: {0}")]
    Keys(String),
}

/// Verifies `token` against `keys`: the signature under its `kid`, the
/// issuer, the audience `client_id` and the expiry (`now_unix`, the system clock).
pub fn verify(
    token: &str,
    keys: &JwkSet,
    issuer: &str,
    client_id: &str,
    now_unix: i64,
) -> Result<IdClaims, TokenError> {
    let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
    if header.alg != Algorithm::RS256 {
        return Err(TokenError::Algorithm);
    }
    let kid = header.kid.ok_or(TokenError::NoKeyId)?;
    let jwk = keys.find(&kid).ok_or(TokenError::UnknownKey)?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| TokenError::Rejected(e.to_string()))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[client_id]);
    validation.set_issuer(&[issuer, issuer.trim_end_matches('/')]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // The expiry is checked below against the caller's clock, exactly (no leeway).
    validation.validate_exp = false;
    let claims = decode::<IdClaims>(token, &key, &validation).map_err(|e| TokenError::Rejected(e.to_string()))?.claims;
    if claims.exp <= now_unix {
        return Err(TokenError::Rejected("expired".into()));
    }
    Ok(claims)
}

async fn fetch(http: &reqwest::Client, jwks_uri: &str) -> Result<JwkSet, TokenError> {
    let res = http.get(jwks_uri).send().await.map_err(|e| TokenError::Keys(e.to_string()))?;
    if !res.status().is_success() {
        return Err(TokenError::Keys(format!("{jwks_uri}: {}", res.status())));
    }
    res.json().await.map_err(|e| TokenError::Keys(format!("{jwks_uri}: {e}")))
}

impl KeyCache {
    /// Verifies `token` with the cached keys, reading the JWKS first when
    /// none is cached and again when the token names a key not in it.
    pub async fn verify(
        &self,
        http: &reqwest::Client,
        jwks_uri: &str,
        token: &str,
        issuer: &str,
        client_id: &str,
        now_unix: i64,
    ) -> Result<IdClaims, TokenError> {
        if let Some(keys) = self.keys.read().await.as_ref() {
            match verify(token, keys, issuer, client_id, now_unix) {
                Err(TokenError::UnknownKey) => {}
                other => return other,
            }
        }
        let fresh = fetch(http, jwks_uri).await?;
        let verdict = verify(token, &fresh, issuer, client_id, now_unix);
        *self.keys.write().await = Some(fresh);
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const KEY_1: &str = include_str!("../mock_national_portal/keys/demo-sso-1.pem");
    const KEY_2: &str = include_str!("../mock_national_portal/keys/demo-sso-2.pem");
    const JWKS: &str = include_str!("../mock_national_portal/keys/demo-jwks.json");
    const ISS: &str = "http://127.0.0.1:8090";

    fn keys(kids: &[&str]) -> JwkSet {
        let mut all: JwkSet = serde_json::from_str(JWKS).unwrap();
        all.keys.retain(|k| kids.contains(&k.common.key_id.as_deref().unwrap_or_default()));
        all
    }

    fn claims(exp: i64) -> Value {
        json!({"iss": ISS, "sub": "CD-001090012345", "aud": "motcua-demo", "exp": exp, "iat": 1, "nonce": "n"})
    }

    fn signed(pem: &str, kid: Option<&str>, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = kid.map(str::to_owned);
        encode(&header, claims, &EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn a_token_signed_under_a_published_key_for_us_verifies() {
        let token = signed(KEY_1, Some("demo-sso-1"), &claims(2_000_000_000));
        let c = verify(&token, &keys(&["demo-sso-1"]), ISS, "motcua-demo", 1_900_000_000).unwrap();
        assert_eq!((c.sub.as_str(), c.nonce.as_deref()), ("CD-001090012345", Some("n")));
    }

    #[test]
    fn forged_tokens_are_refused() {
        let keys = keys(&["demo-sso-1"]);
        let now = 1_900_000_000;
        let good = signed(KEY_1, Some("demo-sso-1"), &claims(2_000_000_000));
        let parts: Vec<&str> = good.split('.').collect();
        // alg none, with the signature dropped.
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"demo-sso-1"}"#), parts[1]);
        assert!(verify(&none, &keys, ISS, "motcua-demo", now).is_err());
        // HS256 keyed with the public key's text (the classic confusion).
        let mut hs = Header::new(Algorithm::HS256);
        hs.kid = Some("demo-sso-1".into());
        let confused = encode(&hs, &claims(2_000_000_000), &EncodingKey::from_secret(JWKS.as_bytes())).unwrap();
        assert_eq!(verify(&confused, &keys, ISS, "motcua-demo", now).unwrap_err(), TokenError::Algorithm);
        // A key id the provider does not publish, or another key under a published id.
        let unknown = signed(KEY_2, Some("demo-sso-9"), &claims(2_000_000_000));
        assert_eq!(verify(&unknown, &keys, ISS, "motcua-demo", now).unwrap_err(), TokenError::UnknownKey);
        let wrong_key = signed(KEY_2, Some("demo-sso-1"), &claims(2_000_000_000));
        assert!(matches!(verify(&wrong_key, &keys, ISS, "motcua-demo", now), Err(TokenError::Rejected(_))));
        let no_kid = signed(KEY_1, None, &claims(2_000_000_000));
        assert_eq!(verify(&no_kid, &keys, ISS, "motcua-demo", now).unwrap_err(), TokenError::NoKeyId);
        // Tampered claims.
        let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"sub":"other"}"#), parts[2]);
        assert!(verify(&tampered, &keys, ISS, "motcua-demo", now).is_err());
    }

    #[test]
    fn expired_foreign_or_misaddressed_tokens_are_refused() {
        let keys = keys(&["demo-sso-1"]);
        let expired = signed(KEY_1, Some("demo-sso-1"), &claims(1_900_000_000));
        assert!(matches!(verify(&expired, &keys, ISS, "motcua-demo", 1_900_000_000), Err(TokenError::Rejected(_))));
        let token = signed(KEY_1, Some("demo-sso-1"), &claims(2_000_000_000));
        assert!(verify(&token, &keys, ISS, "another-client", 1).is_err(), "audience");
        assert!(verify(&token, &keys, "http://elsewhere", "motcua-demo", 1).is_err(), "issuer");
    }
}
