//! The VNPay 2.1.0 protocol as both sides speak it (REGULATIONS §7.1): the
//! pay redirect and its result signed with HMAC-SHA512 over the sorted,
//! form-URL-encoded `vnp_*` parameters; the `querydr` and `refund` calls
//! signed over their pipe-joined fields; times as `yyyyMMddHHmmss` in GMT+7.
//! Pure: no HTTP, no database. The portal and the gateway stub share it, so
//! a real gateway is a change of address and secret.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha512;

pub const VERSION: &str = "2.1.0";

/// Parameters by name, sorted as the signature wants them.
pub type Params = BTreeMap<String, String>;

fn hmac_hex(secret: &str, data: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(data.as_bytes());
    crate::digest::hex(&mac.finalize().into_bytes())
}

/// Form-URL-encoding as VNPay's own libraries do it (space as `+`).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The signed text: non-empty `vnp_*` parameters but the hash itself, by name.
fn signed_text(params: &Params) -> String {
    params
        .iter()
        .filter(|(k, v)| k.starts_with("vnp_") && !v.is_empty())
        .filter(|(k, _)| *k != "vnp_SecureHash" && *k != "vnp_SecureHashType")
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn sign(params: &Params, secret: &str) -> String {
    hmac_hex(secret, &signed_text(params))
}

/// Whether `params` carry a `vnp_SecureHash` made with `secret`.
pub fn verify(params: &Params, secret: &str) -> bool {
    let Some(given) = params.get("vnp_SecureHash") else { return false };
    let expected = sign(params, secret);
    // Same length hex strings; compare without an early exit.
    given.len() == expected.len()
        && given.to_ascii_lowercase().bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// `params` with their signature, as a query string.
pub fn signed_query(params: &Params, secret: &str) -> String {
    let hash = sign(params, secret);
    let mut q = signed_text(params);
    q.push_str("&vnp_SecureHash=");
    q.push_str(&hash);
    q
}

/// HMAC-SHA512 of `fields` joined by `|` (querydr, refund and their answers).
pub fn pipe_hash(fields: &[&str], secret: &str) -> String {
    hmac_hex(secret, &fields.join("|"))
}

/// A moment as VNPay writes it: `yyyyMMddHHmmss` in GMT+7.
pub fn time(t: DateTime<Utc>) -> String {
    crate::sla::local_time::to_local(t).format("%Y%m%d%H%M%S").to_string()
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok().map(crate::sla::local_time::to_utc)
}

/// Order information without diacritics, as the gateway asks.
pub fn plain(text: &str) -> String {
    crate::text::fold(text).chars().filter(|c| c.is_ascii_alphanumeric() || " -.,:".contains(*c)).take(240).collect()
}

/// The merchant's answer to an IPN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnAnswer {
    Confirmed,
    OrderNotFound,
    AlreadyConfirmed,
    InvalidAmount,
    InvalidSignature,
    Other,
}

impl IpnAnswer {
    pub fn code(self) -> &'static str {
        match self {
            IpnAnswer::Confirmed => "00",
            IpnAnswer::OrderNotFound => "01",
            IpnAnswer::AlreadyConfirmed => "02",
            IpnAnswer::InvalidAmount => "04",
            IpnAnswer::InvalidSignature => "97",
            IpnAnswer::Other => "99",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            IpnAnswer::Confirmed => "Confirm Success",
            IpnAnswer::OrderNotFound => "Order not found",
            IpnAnswer::AlreadyConfirmed => "Order already confirmed",
            IpnAnswer::InvalidAmount => "Invalid amount",
            IpnAnswer::InvalidSignature => "Invalid signature",
            IpnAnswer::Other => "Unknown error",
        }
    }
}

/// What a pay result says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Paid,
    Cancelled,
    Failed,
}

/// Success needs both codes `00`; `24` is the payer's cancel.
pub fn outcome(response_code: &str, transaction_status: &str) -> Outcome {
    match (response_code, transaction_status) {
        ("00", "00") => Outcome::Paid,
        ("24", _) => Outcome::Cancelled,
        _ => Outcome::Failed,
    }
}

/// Amounts travel as VND × 100.
pub fn amount_field(vnd: i64) -> String {
    (vnd * 100).to_string()
}

pub fn parse_amount(field: &str) -> Option<i64> {
    let hundredths: i64 = field.parse().ok()?;
    (hundredths % 100 == 0).then_some(hundredths / 100)
}

/// The answer's signed fields (querydr and refund answer alike).
pub const ANSWER_FIELDS: &[&str] = &[
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

pub fn fields(body: &serde_json::Value, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| match &body[*n] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// Signs a JSON body over `names` into its `vnp_SecureHash`.
pub fn sign_json(body: &mut serde_json::Value, names: &[&str], secret: &str) {
    let f = fields(body, names);
    let refs: Vec<&str> = f.iter().map(String::as_str).collect();
    body["vnp_SecureHash"] = serde_json::Value::String(pipe_hash(&refs, secret));
}

pub fn verify_json(body: &serde_json::Value, names: &[&str], secret: &str) -> bool {
    let f = fields(body, names);
    let refs: Vec<&str> = f.iter().map(String::as_str).collect();
    body["vnp_SecureHash"].as_str().is_some_and(|h| h.eq_ignore_ascii_case(&pipe_hash(&refs, secret)))
}

pub const QUERYDR_FIELDS: &[&str] = &[
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

pub const REFUND_FIELDS: &[&str] = &[
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

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_signature_covers_sorted_non_empty_vnp_parameters() {
        let p = params(&[
            ("vnp_TxnRef", "MC261123000001"),
            ("vnp_Amount", "5000000"),
            ("vnp_OrderInfo", "Le phi ho so 000.01.00.G12-261123-0001"),
            ("vnp_BankCode", ""),
            ("other", "x"),
        ]);
        assert_eq!(
            signed_text(&p),
            "vnp_Amount=5000000&vnp_OrderInfo=Le+phi+ho+so+000.01.00.G12-261123-0001&vnp_TxnRef=MC261123000001"
        );
        let mut signed = p.clone();
        signed.insert("vnp_SecureHash".into(), sign(&p, "bi-mat"));
        assert!(verify(&signed, "bi-mat"));
        assert!(!verify(&signed, "bi-mat-khac"), "another secret");
        signed.insert("vnp_Amount".into(), "5000100".into());
        assert!(!verify(&signed, "bi-mat"), "a changed amount");
        assert_eq!(sign(&p, "k").len(), 128, "hex of 64 bytes");
    }

    #[test]
    fn amounts_times_and_outcomes() {
        assert_eq!(amount_field(50_000), "5000000");
        assert_eq!(parse_amount("5000000"), Some(50_000));
        assert_eq!(parse_amount("5000050"), None, "no fractions of a đồng");
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 17, 30, 5).unwrap();
        assert_eq!(time(t), "20261124003005", "GMT+7");
        assert_eq!(parse_time("20261124003005"), Some(t));
        assert_eq!(outcome("00", "00"), Outcome::Paid);
        assert_eq!(outcome("00", "02"), Outcome::Failed);
        assert_eq!(outcome("24", "02"), Outcome::Cancelled);
        assert_eq!(plain("Lệ phí cấp thẻ nhà báo – Đợt 1"), "le phi cap the nha bao dot 1");
    }

    #[test]
    fn json_calls_are_signed_over_their_fields_in_order() {
        let mut body = serde_json::json!({"vnp_RequestId": "r1", "vnp_Version": VERSION, "vnp_Command": "querydr",
            "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": "MC1", "vnp_TransactionDate": "20261123090000",
            "vnp_CreateDate": "20261123091500", "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": "Tra cuu"});
        sign_json(&mut body, QUERYDR_FIELDS, "k");
        assert!(verify_json(&body, QUERYDR_FIELDS, "k"));
        body["vnp_TxnRef"] = "MC2".into();
        assert!(!verify_json(&body, QUERYDR_FIELDS, "k"));
    }
}
