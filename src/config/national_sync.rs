//! The dossier sync with the national portal (REGULATIONS §6): where the
//! sync API is, the client credentials it grants tokens for, and how the
//! delivery worker backs off. By default the mock national portal with a
//! demo secret, so `cargo run` syncs end to end; production sets the real
//! endpoint and credentials.

/// Demo only: the secret the portal and the mock share when none is set.
pub const DEMO_CLIENT_SECRET: &str = "demo-sync-secret-not-for-production";

#[derive(Debug, Clone, PartialEq)]
pub struct NationalSyncSettings {
    /// The national portal's origin; the token endpoint is `/oauth2/token`
    /// and the adapter `/api/v1/sync` below it.
    pub url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The first retry waits this long, doubling on each failure up to `backoff_cap_secs`.
    pub backoff_base_secs: i64,
    pub backoff_cap_secs: i64,
    /// After this many failed attempts an event is dead until an operator re-drives it.
    pub max_attempts: i32,
    /// One call to the national portal may take this long before it counts as failed.
    pub timeout_ms: u64,
    /// The most records sent in one call.
    pub batch: usize,
}

pub(super) struct Raw<'a> {
    pub url: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub backoff_base_secs: Option<&'a str>,
    pub backoff_cap_secs: Option<&'a str>,
    pub max_attempts: Option<&'a str>,
    pub timeout_ms: Option<&'a str>,
    pub batch: Option<&'a str>,
}

fn number(
    name: &str,
    value: Option<&str>,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
    errors: &mut Vec<String>,
) -> i64 {
    match value.map(|v| v.trim().parse::<i64>()) {
        None => default,
        Some(Ok(n)) if range.contains(&n) => n,
        Some(_) => {
            errors.push(format!("MOTCUA_{name} must be a whole number from {} to {}", range.start(), range.end()));
            default
        }
    }
}

impl NationalSyncSettings {
    pub(super) fn parse(raw: Raw<'_>, mock_url: &str, demo: bool, errors: &mut Vec<String>) -> Self {
        let url = raw.url.unwrap_or(mock_url).trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            errors.push(format!("MOTCUA_NATIONAL_SYNC_URL must be an http(s) URL, not {url:?}"));
        }
        let client_secret = match raw.client_secret {
            Some(s) if s.len() >= 16 => s.to_owned(),
            Some(_) => {
                errors.push("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET must have at least 16 characters".into());
                DEMO_CLIENT_SECRET.into()
            }
            None if demo => DEMO_CLIENT_SECRET.into(),
            None => {
                errors.push("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET is required when MOTCUA_DEMO_DATA is off".into());
                DEMO_CLIENT_SECRET.into()
            }
        };
        let backoff_base_secs =
            number("NATIONAL_SYNC_BACKOFF_BASE_SECS", raw.backoff_base_secs, 0..=86_400, 30, errors);
        let backoff_cap_secs =
            number("NATIONAL_SYNC_BACKOFF_CAP_SECS", raw.backoff_cap_secs, 0..=7 * 86_400, 6 * 3600, errors);
        if backoff_cap_secs < backoff_base_secs {
            errors.push(
                "MOTCUA_NATIONAL_SYNC_BACKOFF_CAP_SECS must not be below MOTCUA_NATIONAL_SYNC_BACKOFF_BASE_SECS".into(),
            );
        }
        NationalSyncSettings {
            url,
            client_id: raw.client_id.unwrap_or("motcua-sync-demo").to_owned(),
            client_secret,
            backoff_base_secs,
            backoff_cap_secs,
            max_attempts: number("NATIONAL_SYNC_MAX_ATTEMPTS", raw.max_attempts, 1..=100, 12, errors) as i32,
            timeout_ms: number("NATIONAL_SYNC_TIMEOUT_MS", raw.timeout_ms, 100..=600_000, 10_000, errors) as u64,
            batch: number("NATIONAL_SYNC_BATCH", raw.batch, 1..=1000, 200, errors) as usize,
        }
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.url)
    }

    pub fn sync_url(&self) -> String {
        format!("{}/api/v1/sync", self.url)
    }
}
