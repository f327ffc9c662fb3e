//! The portal as an OpenID Connect relying party of the national SSO:
//! authorization code flow with PKCE (S256), `state` against CSRF, `nonce`
//! against replay, the ID token's signature, issuer, audience and expiry
//! checked, then the userinfo claims read.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::id_token::KeyCache;
use super::sso_identity::SsoIdentity;

/// Where to reach the identity provider and who we are to it.
#[derive(Debug, Clone)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    pub acr_values: String,
}

/// The provider's endpoints, from its discovery document.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    /// The provider's signing keys (RFC 7517), against which ID tokens are checked.
    pub jwks_uri: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenField {}

type OidcTokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;
type OidcClient = Client<
    BasicErrorResponse,
    OidcTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("identity provider unreachable: {0}")]
    Unreachable(String),
    #[error("identity provider refused the code: {0}")]
    Refused(String),
    #[error("invalid ID token: {0}")]
    BadIdToken(&'static str),
    #[error("userinfo unusable")]
    BadUserinfo,
    #[error("misconfigured: {0}")]
    Config(String),
}

/// What the portal keeps in the session between the redirect and the callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
}

pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Discovery, SsoError> {
    let url = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
    let res = http.get(&url).send().await.map_err(|e| SsoError::Unreachable(e.to_string()))?;
    if !res.status().is_success() {
        return Err(SsoError::Unreachable(format!("{url}: {}", res.status())));
    }
    res.json().await.map_err(|e| SsoError::Unreachable(format!("{url}: {e}")))
}

fn client(settings: &SsoSettings, discovery: &Discovery) -> Result<OidcClient, SsoError> {
    let config = |e: oauth2::url::ParseError| SsoError::Config(e.to_string());
    Ok(Client::new(ClientId::new(settings.client_id.clone()))
        .set_client_secret(ClientSecret::new(settings.client_secret.clone()))
        .set_auth_uri(AuthUrl::new(discovery.authorization_endpoint.clone()).map_err(config)?)
        .set_token_uri(TokenUrl::new(discovery.token_endpoint.clone()).map_err(config)?)
        .set_redirect_uri(RedirectUrl::new(settings.redirect_uri.clone()).map_err(config)?))
}

/// The URL to send the browser to, and what to remember until it comes back.
pub fn start(settings: &SsoSettings, discovery: &Discovery, next: &str) -> Result<(String, PendingSignIn), SsoError> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = CsrfToken::new_random().secret().clone();
    let (url, state) = client(settings, discovery)?
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_extra_param("nonce", nonce.clone())
        .add_extra_param("acr_values", settings.acr_values.clone())
        .set_pkce_challenge(challenge)
        .url();
    let pending = PendingSignIn {
        state: state.secret().clone(),
        nonce,
        pkce_verifier: verifier.secret().clone(),
        next: next.into(),
    };
    Ok((url.to_string(), pending))
}

/// Exchanges the code and returns who signed in.
pub async fn finish(
    http: &reqwest::Client,
    settings: &SsoSettings,
    discovery: &Discovery,
    keys: &KeyCache,
    code: &str,
    pending: &PendingSignIn,
    now_unix: i64,
) -> Result<SsoIdentity, SsoError> {
    let token = client(settings, discovery)?
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(http)
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => SsoError::Refused(r.error().to_string()),
            other => SsoError::Unreachable(other.to_string()),
        })?;
    let id_token = token.extra_fields().id_token.as_deref().ok_or(SsoError::BadIdToken("missing"))?;
    let claims = keys
        .verify(http, &discovery.jwks_uri, id_token, &discovery.issuer, &settings.client_id, now_unix)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "ID token refused");
            SsoError::BadIdToken("signature, issuer, audience or expiry")
        })?;
    if claims.nonce.as_deref() != Some(pending.nonce.as_str()) {
        return Err(SsoError::BadIdToken("nonce"));
    }
    let res = http
        .get(&discovery.userinfo_endpoint)
        .bearer_auth(token.access_token().secret())
        .send()
        .await
        .map_err(|e| SsoError::Unreachable(e.to_string()))?;
    if !res.status().is_success() {
        return Err(SsoError::BadUserinfo);
    }
    let userinfo: Value = res.json().await.map_err(|_| SsoError::BadUserinfo)?;
    let identity = SsoIdentity::from_claims(&userinfo).ok_or(SsoError::BadUserinfo)?;
    if identity.subject != claims.sub {
        return Err(SsoError::BadUserinfo);
    }
    Ok(identity)
}
