//! The mock SSO's signing keys: demo RSA keys shipped in `keys/` (demo and
//! tests only, see keys/README.md). It signs ID tokens with RS256 under the
//! active key's id and publishes, at its `jwks_uri`, the keys up to the
//! active one; `POST /_test/sso/rotate` moves to the next, as a provider
//! rotating its keys does.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::HttpResponse;
use actix_web::web::Data;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;

use super::server::MockState;

const PEMS: [(&str, &str); 2] =
    [("demo-sso-1", include_str!("keys/demo-sso-1.pem")), ("demo-sso-2", include_str!("keys/demo-sso-2.pem"))];
const JWKS: &str = include_str!("keys/demo-jwks.json");

pub struct SigningKeys {
    keys: Vec<(String, EncodingKey)>,
    public: Vec<Value>,
    active: AtomicUsize,
}

impl SigningKeys {
    pub fn demo() -> anyhow::Result<SigningKeys> {
        let keys = PEMS
            .iter()
            .map(|(kid, pem)| Ok(((*kid).to_owned(), EncodingKey::from_rsa_pem(pem.as_bytes())?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let jwks: Value = serde_json::from_str(JWKS)?;
        let public = jwks["keys"].as_array().cloned().unwrap_or_default();
        anyhow::ensure!(public.len() == keys.len(), "keys/demo-jwks.json must list every demo key");
        Ok(SigningKeys { keys, public, active: AtomicUsize::new(0) })
    }

    /// A compact JWS of `claims`, RS256, under the active key's id.
    pub fn sign(&self, claims: &Value) -> Result<String, jsonwebtoken::errors::Error> {
        let (kid, key) = &self.keys[self.active.load(Ordering::Relaxed).min(self.keys.len() - 1)];
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, claims, key)
    }

    fn published(&self) -> Value {
        let upto = self.active.load(Ordering::Relaxed) + 1;
        serde_json::json!({"keys": self.public.iter().take(upto).collect::<Vec<_>>()})
    }
}

/// GET /oauth2/jwks.
pub async fn jwks(state: Data<MockState>) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "max-age=300")).json(state.sso_keys.published())
}

/// POST /_test/sso/rotate: tokens are signed with the next key from now on.
pub async fn rotate(state: Data<MockState>) -> HttpResponse {
    let keys = &state.sso_keys;
    let next = (keys.active.load(Ordering::Relaxed) + 1).min(keys.keys.len() - 1);
    keys.active.store(next, Ordering::Relaxed);
    HttpResponse::NoContent().finish()
}
