//! The settings every part reads, and how they are assembled and checked.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use validator::Validate;

use super::services::{MailSettings, StorageSettings, mail_settings, storage_settings};

/// Demo client secret shared by the portal and the mock national portal in
/// the embedded default; documented in README.md, refused when demo data is off.
pub const DEMO_SSO_CLIENT_SECRET: &str = "demo-sso-secret-not-for-production";

/// The path of the SSO callback on the portal.
pub const SSO_CALLBACK_PATH: &str = "/dang-nhap/dvcqg/callback";

#[derive(Debug, Clone, Validate)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub demo_data: bool,
    pub mock_national_portal: bool,
    pub mock_national_portal_listen: SocketAddr,
    /// The address people reach the portal at, for redirect URIs and links in mail.
    pub public_url: String,
    /// The national single sign-on (or the mock standing in for it).
    pub sso_issuer: String,
    pub sso_client_id: String,
    #[validate(length(min = 16, message = "MOTCUA_SSO_CLIENT_SECRET must have at least 16 characters"))]
    pub sso_client_secret: String,
    pub sso_acr_values: String,
    /// Redirect URIs the mock national portal accepts for our client.
    pub mock_redirect_uris: Vec<String>,
    /// How long the mock's authorization codes live.
    pub mock_code_ttl_secs: i64,
    /// Where the mock forwards dossiers filed on it, and its credentials there.
    pub mock_forward_url: String,
    pub mock_forward_client_id: String,
    pub mock_forward_client_secret: String,
    /// Base64 key (at least 64 bytes) signing and encrypting session cookies;
    /// when absent a key is generated once and kept in the data folder.
    pub session_key: Option<Vec<u8>>,
    pub storage: StorageSettings,
    pub mail: MailSettings,
    /// The largest file an applicant may upload.
    pub upload_max_bytes: u64,
    /// The most files, and bytes in all, one dossier may hold.
    pub dossier_max_files: usize,
    pub dossier_max_bytes: u64,
    /// A dossier is "due soon" when this share of its time limit is left.
    pub due_soon_share: f64,
    /// Office sessions, days of rest and the cut-off hour of the calendar.
    pub office_hours: super::OfficeHours,
    /// Acceptance, supplement and apology time rules.
    pub policies: super::policies::Policies,
    pub payment: super::payment::PaymentSettings,
    /// The dossier sync with the national portal.
    pub national_sync: super::national_sync::NationalSyncSettings,
    /// Satisfaction ratings: criteria, edit window, the national service.
    pub ratings: super::ratings::RatingSettings,
    /// Run the background workers (outbox delivery); tests drive them by hand.
    pub workers: bool,
    /// Set session cookies `Secure`; on by default when the public URL is https.
    pub secure_cookies: bool,
    pub log_json: bool,
    /// Tell each response's SQL statement count in a `Server-Timing` header
    /// (`MOTCUA_SERVER_TIMING`, off by default): for benchmarks and profiling.
    pub server_timing: bool,
}

/// The keys a settings file may hold; each is also read from `MOTCUA_<KEY>`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    pub(super) listen: Option<String>,
    pub(super) database_url: Option<String>,
    pub(super) data_dir: Option<String>,
    pub(super) demo_data: Option<String>,
    pub(super) mock_national_portal: Option<String>,
    pub(super) mock_national_portal_listen: Option<String>,
    pub(super) public_url: Option<String>,
    pub(super) sso_issuer: Option<String>,
    pub(super) sso_client_id: Option<String>,
    pub(super) sso_client_secret: Option<String>,
    pub(super) sso_acr_values: Option<String>,
    pub(super) mock_sso_redirect_uris: Option<String>,
    pub(super) mock_sso_code_ttl_secs: Option<String>,
    pub(super) storage: Option<String>,
    pub(super) storage_dir: Option<String>,
    pub(super) s3_endpoint: Option<String>,
    pub(super) s3_region: Option<String>,
    pub(super) s3_bucket: Option<String>,
    pub(super) s3_path_style: Option<String>,
    pub(super) s3_access_key_id: Option<String>,
    pub(super) s3_secret_access_key: Option<String>,
    pub(super) mail: Option<String>,
    pub(super) mail_dir: Option<String>,
    pub(super) mail_from: Option<String>,
    pub(super) smtp_host: Option<String>,
    pub(super) smtp_port: Option<String>,
    pub(super) smtp_tls: Option<String>,
    pub(super) smtp_username: Option<String>,
    pub(super) smtp_password: Option<String>,
    pub(super) workers: Option<String>,
    pub(super) server_timing: Option<String>,
    pub(super) upload_max_mb: Option<String>,
    pub(super) dossier_max_files: Option<String>,
    pub(super) dossier_max_mb: Option<String>,
    pub(super) due_soon_share: Option<String>,
    pub(super) accept_within_hours: Option<String>,
    pub(super) payment_gateway_url: Option<String>,
    pub(super) vnpay_tmn_code: Option<String>,
    pub(super) vnpay_hash_secret: Option<String>,
    pub(super) payment_expire_minutes: Option<String>,
    pub(super) payment_reconcile_after_minutes: Option<String>,
    pub(super) mock_vnpay_ipn_url: Option<String>,
    pub(super) mock_forward_url: Option<String>,
    pub(super) mock_forward_client_id: Option<String>,
    pub(super) mock_forward_client_secret: Option<String>,
    pub(super) national_sync_url: Option<String>,
    pub(super) national_sync_client_id: Option<String>,
    pub(super) national_sync_client_secret: Option<String>,
    pub(super) national_sync_backoff_base_secs: Option<String>,
    pub(super) national_sync_backoff_cap_secs: Option<String>,
    pub(super) national_sync_max_attempts: Option<String>,
    pub(super) national_sync_timeout_ms: Option<String>,
    pub(super) national_sync_batch: Option<String>,
    pub(super) supplement_timeout_days: Option<String>,
    pub(super) apology_lead_days: Option<String>,
    pub(super) assign_due_within_days: Option<String>,
    pub(super) rating_criteria: Option<String>,
    pub(super) rating_edit_days: Option<String>,
    pub(super) national_rating_service: Option<String>,
    pub(super) office_hours: Option<String>,
    pub(super) rest_days: Option<String>,
    pub(super) cutoff: Option<String>,
    pub(super) session_key: Option<String>,
    pub(super) secure_cookies: Option<String>,
    pub(super) log_format: Option<String>,
}

impl Raw {
    fn overlay_env(&mut self, env: &HashMap<String, String>) {
        let slots: [(&str, &mut Option<String>); 65] = [
            ("LISTEN", &mut self.listen),
            ("DATABASE_URL", &mut self.database_url),
            ("DATA_DIR", &mut self.data_dir),
            ("DEMO_DATA", &mut self.demo_data),
            ("MOCK_NATIONAL_PORTAL", &mut self.mock_national_portal),
            ("MOCK_NATIONAL_PORTAL_LISTEN", &mut self.mock_national_portal_listen),
            ("PUBLIC_URL", &mut self.public_url),
            ("SSO_ISSUER", &mut self.sso_issuer),
            ("SSO_CLIENT_ID", &mut self.sso_client_id),
            ("SSO_CLIENT_SECRET", &mut self.sso_client_secret),
            ("SSO_ACR_VALUES", &mut self.sso_acr_values),
            ("MOCK_SSO_REDIRECT_URIS", &mut self.mock_sso_redirect_uris),
            ("MOCK_SSO_CODE_TTL_SECS", &mut self.mock_sso_code_ttl_secs),
            ("STORAGE", &mut self.storage),
            ("STORAGE_DIR", &mut self.storage_dir),
            ("S3_ENDPOINT", &mut self.s3_endpoint),
            ("S3_REGION", &mut self.s3_region),
            ("S3_BUCKET", &mut self.s3_bucket),
            ("S3_PATH_STYLE", &mut self.s3_path_style),
            ("S3_ACCESS_KEY_ID", &mut self.s3_access_key_id),
            ("S3_SECRET_ACCESS_KEY", &mut self.s3_secret_access_key),
            ("MAIL", &mut self.mail),
            ("MAIL_DIR", &mut self.mail_dir),
            ("MAIL_FROM", &mut self.mail_from),
            ("SMTP_HOST", &mut self.smtp_host),
            ("SMTP_PORT", &mut self.smtp_port),
            ("SMTP_TLS", &mut self.smtp_tls),
            ("SMTP_USERNAME", &mut self.smtp_username),
            ("SMTP_PASSWORD", &mut self.smtp_password),
            ("WORKERS", &mut self.workers),
            ("SERVER_TIMING", &mut self.server_timing),
            ("UPLOAD_MAX_MB", &mut self.upload_max_mb),
            ("DOSSIER_MAX_FILES", &mut self.dossier_max_files),
            ("DOSSIER_MAX_MB", &mut self.dossier_max_mb),
            ("DUE_SOON_SHARE", &mut self.due_soon_share),
            ("ACCEPT_WITHIN_HOURS", &mut self.accept_within_hours),
            ("PAYMENT_GATEWAY_URL", &mut self.payment_gateway_url),
            ("VNPAY_TMN_CODE", &mut self.vnpay_tmn_code),
            ("VNPAY_HASH_SECRET", &mut self.vnpay_hash_secret),
            ("PAYMENT_EXPIRE_MINUTES", &mut self.payment_expire_minutes),
            ("PAYMENT_RECONCILE_AFTER_MINUTES", &mut self.payment_reconcile_after_minutes),
            ("MOCK_VNPAY_IPN_URL", &mut self.mock_vnpay_ipn_url),
            ("MOCK_FORWARD_URL", &mut self.mock_forward_url),
            ("MOCK_FORWARD_CLIENT_ID", &mut self.mock_forward_client_id),
            ("MOCK_FORWARD_CLIENT_SECRET", &mut self.mock_forward_client_secret),
            ("NATIONAL_SYNC_URL", &mut self.national_sync_url),
            ("NATIONAL_SYNC_CLIENT_ID", &mut self.national_sync_client_id),
            ("NATIONAL_SYNC_CLIENT_SECRET", &mut self.national_sync_client_secret),
            ("NATIONAL_SYNC_BACKOFF_BASE_SECS", &mut self.national_sync_backoff_base_secs),
            ("NATIONAL_SYNC_BACKOFF_CAP_SECS", &mut self.national_sync_backoff_cap_secs),
            ("NATIONAL_SYNC_MAX_ATTEMPTS", &mut self.national_sync_max_attempts),
            ("NATIONAL_SYNC_TIMEOUT_MS", &mut self.national_sync_timeout_ms),
            ("NATIONAL_SYNC_BATCH", &mut self.national_sync_batch),
            ("SUPPLEMENT_TIMEOUT_DAYS", &mut self.supplement_timeout_days),
            ("APOLOGY_LEAD_DAYS", &mut self.apology_lead_days),
            ("ASSIGN_DUE_WITHIN_DAYS", &mut self.assign_due_within_days),
            ("RATING_CRITERIA", &mut self.rating_criteria),
            ("RATING_EDIT_DAYS", &mut self.rating_edit_days),
            ("NATIONAL_RATING_SERVICE", &mut self.national_rating_service),
            ("OFFICE_HOURS", &mut self.office_hours),
            ("REST_DAYS", &mut self.rest_days),
            ("CUTOFF", &mut self.cutoff),
            ("SESSION_KEY", &mut self.session_key),
            ("SECURE_COOKIES", &mut self.secure_cookies),
            ("LOG_FORMAT", &mut self.log_format),
        ];
        for (key, slot) in slots {
            if let Some(value) = env.get(&format!("MOTCUA_{key}")) {
                *slot = Some(value.clone());
            }
        }
    }
}

impl Settings {
    /// Settings from the process environment and the file named by `MOTCUA_CONFIG`.
    pub fn from_env() -> Result<Self, Vec<String>> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let file = env.get("MOTCUA_CONFIG").map(PathBuf::from);
        Self::load(file.as_deref(), &env)
    }

    pub fn load(file: Option<&Path>, env: &HashMap<String, String>) -> Result<Self, Vec<String>> {
        let mut raw = match file {
            Some(path) => read_file(path).map_err(|e| vec![e])?,
            None => Raw::default(),
        };
        raw.overlay_env(env);
        Self::from_raw(raw)
    }

    fn from_raw(raw: Raw) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let data_dir = PathBuf::from(raw.data_dir.clone().unwrap_or_else(|| "./data".into()));
        let storage = storage_settings(&raw, &data_dir, &mut errors);
        let mail = mail_settings(&raw, &data_dir, &mut errors);
        let workers = parse_switch("MOTCUA_WORKERS", raw.workers.clone(), true, &mut errors);
        let upload_max_bytes = match raw.upload_max_mb.as_deref().map(str::parse::<u64>) {
            None => 10 * 1024 * 1024,
            Some(Ok(mb)) if (1..=1024).contains(&mb) => mb * 1024 * 1024,
            Some(_) => {
                errors.push("MOTCUA_UPLOAD_MAX_MB must be a number of megabytes from 1 to 1024".into());
                10 * 1024 * 1024
            }
        };
        let dossier_max_files = match raw.dossier_max_files.as_deref().map(str::parse::<usize>) {
            None => 20,
            Some(Ok(n)) if (1..=200).contains(&n) => n,
            Some(_) => {
                errors.push("MOTCUA_DOSSIER_MAX_FILES must be a number from 1 to 200".into());
                20
            }
        };
        let dossier_max_bytes = match raw.dossier_max_mb.as_deref().map(str::parse::<u64>) {
            None => 50 * 1024 * 1024,
            Some(Ok(mb)) if (1..=10240).contains(&mb) => mb * 1024 * 1024,
            Some(_) => {
                errors.push("MOTCUA_DOSSIER_MAX_MB must be a number of megabytes from 1 to 10240".into());
                50 * 1024 * 1024
            }
        };
        let due_soon_share = match raw.due_soon_share.as_deref().map(str::parse::<f64>) {
            None => 0.2,
            Some(Ok(x)) if (0.0..1.0).contains(&x) => x,
            Some(_) => {
                errors.push("MOTCUA_DUE_SOON_SHARE must be a share from 0 to below 1, e.g. 0.2".into());
                0.2
            }
        };
        let policies = super::policies::Policies::parse(
            raw.accept_within_hours.as_deref(),
            raw.supplement_timeout_days.as_deref(),
            raw.apology_lead_days.as_deref(),
            raw.assign_due_within_days.as_deref(),
            &mut errors,
        );
        let ratings = super::ratings::RatingSettings::parse(
            raw.rating_criteria.as_deref(),
            raw.rating_edit_days.as_deref(),
            raw.national_rating_service.as_deref(),
            &mut errors,
        );
        let mut office_hours = super::OfficeHours::default();
        if let Some(text) = raw.office_hours.as_deref() {
            match super::office_hours::parse_sessions(text) {
                Some(sessions) => office_hours.sessions = sessions,
                None => errors.push("MOTCUA_OFFICE_HOURS must look like 08:00-12:00,13:00-17:00".into()),
            }
        }
        if let Some(text) = raw.rest_days.as_deref() {
            match super::office_hours::parse_rest_days(text) {
                Some(days) => office_hours.rest_days = days,
                None => errors.push("MOTCUA_REST_DAYS must look like sat,sun".into()),
            }
        }
        if let Some(text) = raw.cutoff.as_deref() {
            match chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M") {
                Ok(t) => office_hours.cutoff = t,
                Err(_) => errors.push("MOTCUA_CUTOFF must be an hour like 15:00".into()),
            }
        }
        if let Err(e) = crate::sla::Calendar::new(
            office_hours.sessions.clone(),
            office_hours.rest_days.clone(),
            Default::default(),
            office_hours.cutoff,
        ) {
            errors.push(format!("office hours: {e}"));
        }
        let listen = parse_addr("MOTCUA_LISTEN", raw.listen, "127.0.0.1:8080", &mut errors);
        let mock_listen = parse_addr(
            "MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN",
            raw.mock_national_portal_listen,
            "127.0.0.1:8090",
            &mut errors,
        );
        let demo_data = parse_switch("MOTCUA_DEMO_DATA", raw.demo_data, true, &mut errors);
        let database_url =
            raw.database_url.unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("motcua.db").display()));
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            errors.push("MOTCUA_DATABASE_URL must start with sqlite: or postgres://".into());
        }
        let sso_client_secret = match raw.sso_client_secret {
            Some(secret) => secret,
            None if demo_data => DEMO_SSO_CLIENT_SECRET.into(),
            None => {
                errors.push("MOTCUA_SSO_CLIENT_SECRET is required when MOTCUA_DEMO_DATA is off".into());
                "x".repeat(16)
            }
        };
        let public_url = raw.public_url.unwrap_or_else(|| format!("http://{listen}")).trim_end_matches('/').to_owned();
        let sso_issuer =
            raw.sso_issuer.unwrap_or_else(|| format!("http://{mock_listen}")).trim_end_matches('/').to_owned();
        for (name, url) in [("MOTCUA_PUBLIC_URL", &public_url), ("MOTCUA_SSO_ISSUER", &sso_issuer)] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                errors.push(format!("{name} must be an http(s) URL, not {url:?}"));
            }
        }
        let payment = super::payment::PaymentSettings::parse(
            super::payment::Raw {
                gateway_url: raw.payment_gateway_url.as_deref(),
                tmn_code: raw.vnpay_tmn_code.as_deref(),
                hash_secret: raw.vnpay_hash_secret.as_deref(),
                expire_minutes: raw.payment_expire_minutes.as_deref(),
                reconcile_after_minutes: raw.payment_reconcile_after_minutes.as_deref(),
                mock_ipn_url: raw.mock_vnpay_ipn_url.as_deref(),
            },
            &sso_issuer,
            &public_url,
            demo_data,
            &mut errors,
        );
        let national_sync = super::national_sync::NationalSyncSettings::parse(
            super::national_sync::Raw {
                url: raw.national_sync_url.as_deref(),
                client_id: raw.national_sync_client_id.as_deref(),
                client_secret: raw.national_sync_client_secret.as_deref(),
                backoff_base_secs: raw.national_sync_backoff_base_secs.as_deref(),
                backoff_cap_secs: raw.national_sync_backoff_cap_secs.as_deref(),
                max_attempts: raw.national_sync_max_attempts.as_deref(),
                timeout_ms: raw.national_sync_timeout_ms.as_deref(),
                batch: raw.national_sync_batch.as_deref(),
            },
            &format!("http://{mock_listen}"),
            demo_data,
            &mut errors,
        );
        let callback = format!("{public_url}{SSO_CALLBACK_PATH}");
        let mock_forward_url =
            raw.mock_forward_url.clone().unwrap_or_else(|| format!("{public_url}/api/v1/national/dossiers"));
        let behind_https = public_url.starts_with("https://");
        let mock_redirect_uris = match raw.mock_sso_redirect_uris {
            Some(list) => list.split(',').map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()).collect(),
            None => vec![callback],
        };
        let session_key = raw.session_key.and_then(|k| match decode_key(&k) {
            Ok(key) => Some(key),
            Err(e) => {
                errors.push(e);
                None
            }
        });
        let log_json = match raw.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                errors.push(format!("MOTCUA_LOG_FORMAT must be text or json, not {other:?}"));
                false
            }
        };
        let settings = Settings {
            storage,
            mail,
            workers,
            upload_max_bytes,
            dossier_max_files,
            dossier_max_bytes,
            due_soon_share,
            office_hours,
            policies,
            payment,
            national_sync,
            ratings,
            listen,
            database_url,
            data_dir,
            demo_data,
            mock_national_portal: parse_switch(
                "MOTCUA_MOCK_NATIONAL_PORTAL",
                raw.mock_national_portal,
                true,
                &mut errors,
            ),
            mock_national_portal_listen: mock_listen,
            public_url,
            sso_issuer,
            sso_client_id: raw.sso_client_id.unwrap_or_else(|| "motcua-demo".into()),
            sso_client_secret,
            sso_acr_values: raw.sso_acr_values.unwrap_or_else(|| "LoA1".into()),
            mock_redirect_uris,
            mock_code_ttl_secs: match raw.mock_sso_code_ttl_secs.map(|t| t.parse::<i64>()) {
                None => 60,
                Some(Ok(secs)) if secs >= 0 => secs,
                Some(_) => {
                    errors.push("MOTCUA_MOCK_SSO_CODE_TTL_SECS must be a number of seconds".into());
                    60
                }
            },
            mock_forward_url,
            mock_forward_client_id: raw
                .mock_forward_client_id
                .unwrap_or_else(|| crate::national_sync::clients::DEMO_CLIENT_ID.into()),
            mock_forward_client_secret: raw
                .mock_forward_client_secret
                .unwrap_or_else(|| crate::national_sync::clients::DEMO_CLIENT_SECRET.into()),
            session_key,
            secure_cookies: parse_switch("MOTCUA_SECURE_COOKIES", raw.secure_cookies, behind_https, &mut errors),
            log_json,
            server_timing: parse_switch("MOTCUA_SERVER_TIMING", raw.server_timing.clone(), false, &mut errors),
        };
        if let Err(invalid) = settings.validate() {
            for (_, field_errors) in invalid.field_errors() {
                for e in field_errors {
                    errors.push(e.message.as_deref().unwrap_or("invalid setting").to_owned());
                }
            }
        }
        if errors.is_empty() { Ok(settings) } else { Err(errors) }
    }

    /// Where the national SSO sends the browser back to.
    pub fn sso_redirect_uri(&self) -> String {
        format!("{}{SSO_CALLBACK_PATH}", self.public_url)
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn read_file(path: &Path) -> Result<Raw, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_addr(name: &str, value: Option<String>, default: &str, errors: &mut Vec<String>) -> SocketAddr {
    let text = value.unwrap_or_else(|| default.into());
    text.parse().unwrap_or_else(|_| {
        errors.push(format!("{name} must be host:port with an IP address, not {text:?}"));
        SocketAddr::from(([127, 0, 0, 1], 0))
    })
}

pub(super) fn parse_switch(name: &str, value: Option<String>, default: bool, errors: &mut Vec<String>) -> bool {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => default,
        Some("on" | "true" | "1" | "yes") => true,
        Some("off" | "false" | "0" | "no") => false,
        Some(other) => {
            errors.push(format!("{name} must be on or off, not {other:?}"));
            default
        }
    }
}

fn decode_key(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| "MOTCUA_SESSION_KEY must be base64".to_owned())?;
    if key.len() < 64 {
        return Err("MOTCUA_SESSION_KEY must hold at least 64 bytes".into());
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_are_the_embedded_demo() {
        let s = Settings::load(None, &env(&[])).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert!(s.database_url.starts_with("sqlite://./data/motcua.db"));
        assert!(s.demo_data && s.mock_national_portal);
        assert_eq!(s.sso_client_secret, DEMO_SSO_CLIENT_SECRET);
        assert_eq!(s.sso_issuer, "http://127.0.0.1:8090");
        assert_eq!(s.sso_redirect_uri(), "http://127.0.0.1:8080/dang-nhap/dvcqg/callback");
        assert_eq!(s.mock_redirect_uris, vec![s.sso_redirect_uri()]);
    }

    #[test]
    fn every_bad_setting_is_reported_at_once() {
        let errors = Settings::load(
            None,
            &env(&[
                ("MOTCUA_LISTEN", "nowhere"),
                ("MOTCUA_DEMO_DATA", "maybe"),
                ("MOTCUA_DATABASE_URL", "mysql://x"),
                ("MOTCUA_SSO_CLIENT_SECRET", "short"),
            ]),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn production_needs_a_real_sso_secret() {
        let errors = Settings::load(None, &env(&[("MOTCUA_DEMO_DATA", "off")])).unwrap_err();
        assert!(errors[0].contains("MOTCUA_SSO_CLIENT_SECRET"));
    }
}
