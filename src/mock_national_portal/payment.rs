//! The gateway stub: the national portal's payment platform, speaking
//! VNPay 2.1.0 (REGULATIONS §7.1) so that the real gateway is a change of
//! address and secret. A payment page where the payer chooses success,
//! cancel or a failure; the signed result sent to the merchant's IPN
//! address (server to server) and the browser sent back to its return
//! address; `querydr` and `refund`; and fault switches for tests (drop the
//! IPN, send it twice or late, with a bad signature or a wrong amount).

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Form, Json};
use actix_web::{HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::payment_store::{self as store, Txn};
use super::server::MockState;
use super::sso::{error_page, page};
use super::vnpay_protocol::{self as vnpay, Params};

fn params_of(req: &HttpRequest) -> Params {
    serde_urlencoded::from_str::<BTreeMap<String, String>>(req.query_string()).unwrap_or_default()
}

fn db_error(e: sea_orm::DbErr) -> actix_web::Error {
    actix_web::error::ErrorInternalServerError(e.to_string())
}

/// GET /paymentv2/vpcpay.html: the payment page, if the merchant signed the request.
pub async fn pay_page(state: Data<MockState>, req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    let p = params_of(&req);
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    if get("vnp_TmnCode") != state.vnpay_tmn_code {
        return Ok(error_page(&state, "Mã website (vnp_TmnCode) không tồn tại — invalid merchant (02)"));
    }
    if !vnpay::verify_query(&p, &state.vnpay_secret) {
        return Ok(error_page(&state, "Sai chữ ký (vnp_SecureHash) — invalid signature (97)"));
    }
    let Ok(amount) = get("vnp_Amount").parse::<i64>() else {
        return Ok(error_page(&state, "Số tiền không hợp lệ — bad format (03)"));
    };
    if let Some(expires) = vnpay::parse_time(&get("vnp_ExpireDate"))
        && expires < Utc::now()
    {
        return Ok(error_page(&state, "Giao dịch đã hết hạn thanh toán — expired (11)"));
    }
    let txn = Txn {
        txn_ref: get("vnp_TxnRef"),
        amount,
        order_info: get("vnp_OrderInfo"),
        return_url: get("vnp_ReturnUrl"),
        create_date: get("vnp_CreateDate"),
        status: "pending".into(),
        response_code: String::new(),
        transaction_no: String::new(),
        bank_code: String::new(),
        pay_date: String::new(),
        refunded: 0,
    };
    if !store::open(&state.db, &txn).await.map_err(db_error)? {
        return Ok(error_page(&state, "Giao dịch đã tồn tại — transaction exists (01)"));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("merchant", &state.vnpay_tmn_code);
    ctx.insert("txn_ref", &txn.txn_ref);
    ctx.insert("order_info", &txn.order_info);
    ctx.insert("amount_vnd", &(amount / 100));
    Ok(page(&state, StatusCode::OK, "mock/pay.html", &ctx))
}

#[derive(Deserialize)]
pub struct Choice {
    txn_ref: String,
    choice: String,
}

/// POST /paymentv2/pay: the payer's choice. The IPN goes first (as the fault
/// switch says), then the browser is sent back.
pub async fn pay(state: Data<MockState>, form: Form<Choice>) -> Result<HttpResponse, actix_web::Error> {
    let Some(mut txn) = store::find(&state.db, &form.txn_ref).await.map_err(db_error)? else {
        return Ok(error_page(&state, "Không tìm thấy giao dịch — not found (91)"));
    };
    let (status, response_code, transaction_status) = match form.choice.as_str() {
        "success" => ("paid", "00", "00"),
        "cancel" => ("cancelled", "24", "02"),
        "insufficient" => ("failed", "51", "02"),
        "expired_card" => ("failed", "12", "02"),
        _ => return Ok(error_page(&state, "Lựa chọn không hợp lệ")),
    };
    txn.status = status.into();
    txn.response_code = response_code.into();
    txn.transaction_no = format!("{:08}", crate::random::below(100_000_000));
    txn.bank_code = "NCB".into();
    txn.pay_date = vnpay::time(Utc::now());
    if !store::finish(&state.db, &txn).await.map_err(db_error)? {
        return Ok(error_page(&state, "Giao dịch đã được xử lý — already processed"));
    }
    let result: Params = [
        ("vnp_TmnCode", state.vnpay_tmn_code.clone()),
        ("vnp_Amount", txn.amount.to_string()),
        ("vnp_BankCode", txn.bank_code.clone()),
        ("vnp_BankTranNo", format!("VNP{}", txn.transaction_no)),
        ("vnp_CardType", "ATM".into()),
        ("vnp_OrderInfo", txn.order_info.clone()),
        ("vnp_PayDate", txn.pay_date.clone()),
        ("vnp_ResponseCode", response_code.into()),
        ("vnp_TransactionNo", txn.transaction_no.clone()),
        ("vnp_TransactionStatus", transaction_status.into()),
        ("vnp_TxnRef", txn.txn_ref.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    send_ipn(&state, &result).await.map_err(db_error)?;
    let separator = if txn.return_url.contains('?') { '&' } else { '?' };
    let back = format!("{}{separator}{}", txn.return_url, vnpay::signed_query(&result, &state.vnpay_secret));
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, back)).finish())
}

async fn deliver(http: &reqwest::Client, url: &str, query: &str) {
    let separator = if url.contains('?') { '&' } else { '?' };
    match http.get(format!("{url}{separator}{query}")).send().await {
        Ok(res) => tracing::info!(status = %res.status(), "IPN delivered"),
        Err(e) => tracing::warn!(error = %e, "IPN not delivered"),
    }
}

/// Sends the IPN as the fault switch says.
async fn send_ipn(state: &MockState, result: &Params) -> Result<(), sea_orm::DbErr> {
    let fault = store::fault(&state.db).await?;
    let secret = &state.vnpay_secret;
    let url = state.vnpay_ipn_url.clone();
    let query = match fault.ipn.as_str() {
        "drop" => return Ok(()),
        "bad_signature" => {
            let mut q = vnpay::signed_query(result, secret);
            q.truncate(q.len() - 8);
            q.push_str("deadbeef");
            q
        }
        "wrong_amount" => {
            let mut changed = result.clone();
            let amount: i64 = changed["vnp_Amount"].parse().unwrap_or(0);
            changed.insert("vnp_Amount".into(), (amount + 10_000).to_string());
            vnpay::signed_query(&changed, secret)
        }
        _ => vnpay::signed_query(result, secret),
    };
    match fault.ipn.as_str() {
        "late" => {
            let http = state.http.clone();
            let delay = Duration::from_secs(u64::try_from(fault.delay_secs).unwrap_or(0));
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                deliver(&http, &url, &query).await;
            });
        }
        "twice" => {
            deliver(&state.http, &url, &query).await;
            deliver(&state.http, &url, &query).await;
        }
        _ => deliver(&state.http, &url, &query).await,
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct FaultForm {
    ipn: String,
    #[serde(default)]
    delay_secs: i64,
}

/// POST /_test/vnpay/faults: how the next IPNs go (normal, drop, twice, late, bad_signature, wrong_amount).
pub async fn set_fault(state: Data<MockState>, form: Form<FaultForm>) -> Result<HttpResponse, actix_web::Error> {
    const KNOWN: &[&str] = &["normal", "drop", "twice", "late", "bad_signature", "wrong_amount"];
    if !KNOWN.contains(&form.ipn.as_str()) {
        return Ok(HttpResponse::BadRequest().body("unknown fault"));
    }
    store::set_fault(&state.db, &form.ipn, form.delay_secs).await.map_err(db_error)?;
    Ok(HttpResponse::NoContent().finish())
}

fn answer(state: &MockState, mut body: Value) -> HttpResponse {
    vnpay::sign_body(&mut body, vnpay::ANSWER, &state.vnpay_secret);
    HttpResponse::Ok().json(body)
}

fn short(state: &MockState, command: &str, code: &str, message: &str) -> HttpResponse {
    answer(
        state,
        json!({"vnp_ResponseId": format!("{:010}", crate::random::below(10_000_000_000)), "vnp_Command": command,
            "vnp_ResponseCode": code, "vnp_Message": message, "vnp_TmnCode": state.vnpay_tmn_code}),
    )
}

/// POST /merchant_webapi/api/transaction: `querydr` and `refund`.
pub async fn transaction(state: Data<MockState>, body: Json<Value>) -> Result<HttpResponse, actix_web::Error> {
    let command = body["vnp_Command"].as_str().unwrap_or_default().to_owned();
    let fields = match command.as_str() {
        "querydr" => vnpay::QUERYDR,
        "refund" => vnpay::REFUND,
        _ => return Ok(short(&state, &command, "03", "Invalid request format")),
    };
    if body["vnp_TmnCode"].as_str() != Some(state.vnpay_tmn_code.as_str()) {
        return Ok(short(&state, &command, "02", "Invalid merchant"));
    }
    if !vnpay::verify_body(&body, fields, &state.vnpay_secret) {
        return Ok(short(&state, &command, "97", "Invalid checksum"));
    }
    if !store::take_request(&state.db, body["vnp_RequestId"].as_str().unwrap_or_default()).await.map_err(db_error)? {
        return Ok(short(&state, &command, "94", "Duplicate request"));
    }
    let Some(txn) = store::find(&state.db, body["vnp_TxnRef"].as_str().unwrap_or_default()).await.map_err(db_error)?
    else {
        return Ok(short(&state, &command, "91", "Transaction not found"));
    };
    let transaction_status = match (txn.status.as_str(), txn.refunded > 0) {
        (_, true) => "06",
        ("paid", false) => "00",
        ("pending", false) => "01",
        _ => "02",
    };
    let mut code = "00";
    let mut transaction_type = "01";
    if command == "refund" {
        let amount: i64 = body["vnp_Amount"].as_str().and_then(|a| a.parse().ok()).unwrap_or(0);
        if txn.status != "paid" {
            return Ok(short(&state, &command, "95", "Original transaction not successful"));
        }
        if txn.refunded > 0 {
            return Ok(short(&state, &command, "94", "Refund already requested"));
        }
        if amount <= 0 || amount > txn.amount {
            return Ok(short(&state, &command, "03", "Invalid amount"));
        }
        if !store::refund(&state.db, &txn.txn_ref, amount).await.map_err(db_error)? {
            code = "94";
        }
        transaction_type = if amount == txn.amount { "02" } else { "03" };
    }
    Ok(answer(
        &state,
        json!({
            "vnp_ResponseId": format!("{:010}", crate::random::below(10_000_000_000)), "vnp_Command": command,
            "vnp_ResponseCode": code, "vnp_Message": if code == "00" { "Success" } else { "Refund already requested" },
            "vnp_TmnCode": state.vnpay_tmn_code, "vnp_TxnRef": txn.txn_ref, "vnp_Amount": txn.amount.to_string(),
            "vnp_BankCode": txn.bank_code, "vnp_PayDate": txn.pay_date, "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionType": transaction_type,
            "vnp_TransactionStatus": if command == "refund" { "05" } else { transaction_status },
            "vnp_OrderInfo": txn.order_info, "vnp_PromotionCode": "", "vnp_PromotionAmount": "",
        }),
    ))
}
