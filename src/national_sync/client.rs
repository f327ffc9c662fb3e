//! A client of the national adapter: OAuth2 client-credentials tokens from
//! the token endpoint (kept until shortly before they expire, renewed once
//! when refused) and `POST /api/v1/sync` calls.

use std::time::{Duration, Instant};

use oauth2::basic::BasicClient;
use oauth2::{ClientId, ClientSecret, TokenResponse, TokenUrl};
use serde_json::{Value, json};

use crate::config::national_sync::NationalSyncSettings;

pub struct SyncClient {
    http: reqwest::Client,
    settings: NationalSyncSettings,
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
}

impl SyncClient {
    pub fn new(settings: &NationalSyncSettings) -> anyhow::Result<SyncClient> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_millis(settings.timeout_ms))
            .build()?;
        Ok(SyncClient { http, settings: settings.clone(), token: Default::default() })
    }

    async fn token(&self, renew: bool) -> Result<String, String> {
        let mut held = self.token.lock().await;
        if !renew
            && let Some((token, until)) = held.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let url = TokenUrl::new(self.settings.token_url()).map_err(|e| format!("token endpoint: {e}"))?;
        let client = BasicClient::new(ClientId::new(self.settings.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.settings.client_secret.clone()))
            .set_token_uri(url);
        let answer =
            client.exchange_client_credentials().request_async(&self.http).await.map_err(|e| format!("token: {e}"))?;
        let lifetime = answer.expires_in().unwrap_or(Duration::from_secs(300));
        // Renewed a little early, so a token does not run out on its way.
        let until = Instant::now() + lifetime.saturating_sub(Duration::from_secs(30).min(lifetime / 2));
        let token = answer.access_token().secret().clone();
        *held = Some((token.clone(), until));
        Ok(token)
    }

    async fn post(&self, token: &str, body: &Value) -> Result<reqwest::Response, String> {
        self.http.post(self.settings.sync_url()).bearer_auth(token).json(body).send().await.map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {} ms", self.settings.timeout_ms)
            } else {
                format!("unreachable: {e}")
            }
        })
    }

    /// One adapter call; the answer's body when it came with 200.
    pub async fn call(&self, service: &str, updating: bool, data: &[Value]) -> Result<Value, String> {
        let body = json!({"service": service, "isUpdating": updating, "data": data});
        let mut res = self.post(&self.token(false).await?, &body).await?;
        if res.status() == reqwest::StatusCode::UNAUTHORIZED {
            res = self.post(&self.token(true).await?, &body).await?;
        }
        let status = res.status();
        let text = res.text().await.map_err(|e| format!("answer cut off: {e}"))?;
        if !status.is_success() {
            return Err(format!("HTTP {}: {}", status.as_u16(), text.chars().take(300).collect::<String>()));
        }
        serde_json::from_str(&text).map_err(|e| format!("answer is not JSON: {e}"))
    }
}
