//! Calls to the gateway's transaction API: `querydr` (what became of a
//! payment) and `refund`, each a signed JSON body; the answer's signature
//! is checked before anything is believed.

use chrono::{DateTime, Utc};
use entity::payment;
use serde_json::{Value, json};

use super::vnpay;
use crate::config::payment::PaymentSettings;

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("gateway unreachable: {0}")]
    Unreachable(#[from] reqwest::Error),
    #[error("gateway answer not signed by the merchant secret")]
    BadSignature,
}

fn request_id() -> String {
    format!("RQ{:016}", crate::random::below(10_000_000_000_000_000))
}

async fn call(
    http: &reqwest::Client,
    s: &PaymentSettings,
    mut body: Value,
    fields: &[&str],
) -> Result<Value, GatewayError> {
    vnpay::sign_json(&mut body, fields, &s.hash_secret);
    let answer: Value = http.post(&s.api_url).json(&body).send().await?.json().await?;
    if !vnpay::verify_json(&answer, vnpay::ANSWER_FIELDS, &s.hash_secret) {
        return Err(GatewayError::BadSignature);
    }
    Ok(answer)
}

/// What the gateway knows of payment `p`.
pub async fn querydr(
    http: &reqwest::Client,
    s: &PaymentSettings,
    p: &payment::Model,
    now: DateTime<Utc>,
) -> Result<Value, GatewayError> {
    let body = json!({
        "vnp_RequestId": request_id(), "vnp_Version": vnpay::VERSION, "vnp_Command": "querydr",
        "vnp_TmnCode": s.tmn_code, "vnp_TxnRef": p.txn_ref, "vnp_OrderInfo": "Truy van giao dich",
        "vnp_TransactionNo": p.gateway_txn_no.clone().unwrap_or_default(),
        "vnp_TransactionDate": vnpay::time(p.created_at), "vnp_CreateDate": vnpay::time(now), "vnp_IpAddr": "127.0.0.1",
    });
    call(http, s, body, vnpay::QUERYDR_FIELDS).await
}

/// Asks the gateway to return `amount` đồng of payment `p` (all of it: type 02; part: 03).
pub async fn refund(
    http: &reqwest::Client,
    s: &PaymentSettings,
    p: &payment::Model,
    amount: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Value, GatewayError> {
    let body = json!({
        "vnp_RequestId": request_id(), "vnp_Version": vnpay::VERSION, "vnp_Command": "refund",
        "vnp_TmnCode": s.tmn_code, "vnp_TransactionType": if amount == p.amount_vnd { "02" } else { "03" },
        "vnp_TxnRef": p.txn_ref, "vnp_Amount": vnpay::amount_field(amount),
        "vnp_TransactionNo": p.gateway_txn_no.clone().unwrap_or_default(),
        "vnp_TransactionDate": vnpay::time(p.created_at), "vnp_CreateBy": by, "vnp_CreateDate": vnpay::time(now),
        "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": "Hoan tra phi le phi",
    });
    call(http, s, body, vnpay::REFUND_FIELDS).await
}
