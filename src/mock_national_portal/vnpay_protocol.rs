//! VNPay 2.1.0 as the gateway side speaks it, written here from the
//! protocol (REGULATIONS §7.1) and not borrowed from the portal's merchant
//! side (`payment::vnpay`), so that a mistake in either shows as a refused
//! signature in the tests instead of being mirrored on both sides.
//!
//! Query signatures: the non-empty `vnp_*` parameters but the hash itself,
//! sorted by name, form-URL-encoded (space as `+`), HMAC-SHA512, hex.
//! API signatures: HMAC-SHA512 of the named fields joined by `|`.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha512;

pub type Params = BTreeMap<String, String>;

const HASH: &str = "vnp_SecureHash";
const HASH_TYPE: &str = "vnp_SecureHashType";

/// `querydr` request fields, in the order they are hashed.
pub const QUERYDR: &[&str] = &[
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];

/// `refund` request fields, in the order they are hashed.
pub const REFUND: &[&str] = &[
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];

/// The API's answer fields, in the order they are hashed.
pub const ANSWER: &[&str] = &[
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
];

fn hmac_hex(secret: &str, data: &str) -> String {
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The text a query's signature covers.
fn signed_text(params: &Params) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, v)| k.starts_with("vnp_") && *k != HASH && *k != HASH_TYPE && !v.is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// Whether the query's `vnp_SecureHash` is right for `secret`.
pub fn verify_query(params: &Params, secret: &str) -> bool {
    params.get(HASH).is_some_and(|h| h.eq_ignore_ascii_case(&hmac_hex(secret, &signed_text(params))))
}

/// The query string of `params` with its signature appended.
pub fn signed_query(params: &Params, secret: &str) -> String {
    let text = signed_text(params);
    format!("{text}&{HASH}={}", hmac_hex(secret, &text))
}

fn field(body: &Value, name: &str) -> String {
    match &body[name] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn pipe_hash(body: &Value, names: &[&str], secret: &str) -> String {
    let joined: Vec<String> = names.iter().map(|n| field(body, n)).collect();
    hmac_hex(secret, &joined.join("|"))
}

pub fn verify_body(body: &Value, names: &[&str], secret: &str) -> bool {
    body[HASH].as_str().is_some_and(|h| h.eq_ignore_ascii_case(&pipe_hash(body, names, secret)))
}

pub fn sign_body(body: &mut Value, names: &[&str], secret: &str) {
    let hash = pipe_hash(body, names, secret);
    body[HASH] = Value::String(hash);
}

fn gmt7() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}

/// `yyyyMMddHHmmss` in GMT+7.
pub fn time(t: DateTime<Utc>) -> String {
    t.with_timezone(&gmt7()).format("%Y%m%d%H%M%S").to_string()
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").ok()?;
    gmt7().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_sorted_non_empty_fields_and_any_change_breaks_it() {
        let mut p = Params::new();
        p.insert("vnp_OrderInfo".into(), "thanh toan ho so".into());
        p.insert("vnp_Amount".into(), "10000000".into());
        p.insert("vnp_BankCode".into(), String::new());
        assert_eq!(signed_text(&p), "vnp_Amount=10000000&vnp_OrderInfo=thanh+toan+ho+so");
        let query = signed_query(&p, "secret");
        let back: Params = serde_urlencoded::from_str(&query).unwrap();
        assert!(verify_query(&back, "secret"));
        assert!(!verify_query(&back, "other"));
        let mut changed = back.clone();
        changed.insert("vnp_Amount".into(), "20000000".into());
        assert!(!verify_query(&changed, "secret"));
    }

    #[test]
    fn api_bodies_are_signed_over_their_fields_in_order() {
        let mut body = serde_json::json!({"vnp_ResponseId": "1", "vnp_Command": "querydr", "vnp_Amount": 100});
        sign_body(&mut body, ANSWER, "s");
        assert!(verify_body(&body, ANSWER, "s"));
        body["vnp_Amount"] = serde_json::json!(200);
        assert!(!verify_body(&body, ANSWER, "s"));
    }

    #[test]
    fn times_are_in_gmt_plus_7() {
        let t = parse_time("20261202083000").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-02T01:30:00+00:00");
        assert_eq!(time(t), "20261202083000");
    }
}
