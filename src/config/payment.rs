//! The payment gateway: a VNPay-style merchant account. By default the
//! gateway stub of the mock national portal (same address as the SSO) with
//! a demo secret, so `cargo run` pays end to end; production sets the real
//! gateway's addresses, merchant code and secret.

/// Demo only: the secret the portal and the stub share when none is set.
pub const DEMO_HASH_SECRET: &str = "demo-vnpay-hash-secret-not-for-production";

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentSettings {
    /// Where the payer's browser is sent (`…/paymentv2/vpcpay.html`).
    pub pay_url: String,
    /// The query and refund API (`…/merchant_webapi/api/transaction`).
    pub api_url: String,
    /// The gateway's origin (`scheme://host[:port]`), the one other origin
    /// the portal's forms may lead to: the pay form's answer redirects there,
    /// and the Content-Security-Policy's `form-action` allows exactly it.
    pub origin: String,
    pub tmn_code: String,
    pub hash_secret: String,
    /// A payment not made within this many minutes expires.
    pub expire_minutes: i64,
    /// Payments still pending this long are asked about by reconciliation.
    pub reconcile_after_minutes: i64,
    /// The stub's own setting: where it sends its IPN (the merchant's IPN address).
    pub mock_ipn_url: String,
}

pub(super) struct Raw<'a> {
    pub gateway_url: Option<&'a str>,
    pub tmn_code: Option<&'a str>,
    pub hash_secret: Option<&'a str>,
    pub expire_minutes: Option<&'a str>,
    pub reconcile_after_minutes: Option<&'a str>,
    pub mock_ipn_url: Option<&'a str>,
}

fn minutes(name: &str, value: Option<&str>, default: i64, errors: &mut Vec<String>) -> i64 {
    match value.map(str::parse::<i64>) {
        None => default,
        Some(Ok(n)) if (1..=1440).contains(&n) => n,
        Some(_) => {
            errors.push(format!("MOTCUA_{name} must be a number of minutes from 1 to 1440"));
            default
        }
    }
}

impl PaymentSettings {
    pub(super) fn parse(
        raw: Raw<'_>,
        sso_issuer: &str,
        public_url: &str,
        demo: bool,
        errors: &mut Vec<String>,
    ) -> Self {
        let gateway = raw.gateway_url.unwrap_or(sso_issuer).trim_end_matches('/').to_owned();
        let origin = match reqwest::Url::parse(&gateway) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                url.origin().ascii_serialization()
            }
            _ => {
                errors.push("MOTCUA_PAYMENT_GATEWAY_URL must be an http(s) address".into());
                String::new()
            }
        };
        let hash_secret = match raw.hash_secret {
            Some(s) if s.len() >= 16 => s.to_owned(),
            Some(_) => {
                errors.push("MOTCUA_VNPAY_HASH_SECRET must have at least 16 characters".into());
                DEMO_HASH_SECRET.into()
            }
            None if demo => DEMO_HASH_SECRET.into(),
            None => {
                errors.push("MOTCUA_VNPAY_HASH_SECRET is required when MOTCUA_DEMO_DATA is off".into());
                DEMO_HASH_SECRET.into()
            }
        };
        PaymentSettings {
            pay_url: format!("{gateway}/paymentv2/vpcpay.html"),
            api_url: format!("{gateway}/merchant_webapi/api/transaction"),
            origin,
            tmn_code: raw.tmn_code.unwrap_or("MOTCUA01").to_owned(),
            hash_secret,
            expire_minutes: minutes("PAYMENT_EXPIRE_MINUTES", raw.expire_minutes, 15, errors),
            reconcile_after_minutes: minutes(
                "PAYMENT_RECONCILE_AFTER_MINUTES",
                raw.reconcile_after_minutes,
                15,
                errors,
            ),
            mock_ipn_url: raw
                .mock_ipn_url
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{public_url}{}", crate::payment::IPN_PATH)),
        }
    }
}
