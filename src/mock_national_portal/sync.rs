//! The national portal's side of the dossier sync (REGULATIONS §6.1): the
//! adapter `POST /api/v1/sync` (`{service, isUpdating, data[]}` → `{error_code,
//! message}`), OAuth2 client-credentials tokens for it, and switches that
//! make it fail the way a real remote service fails.
//!
//! Records are taken in the order given; each answers in `ket_qua`. A record
//! that fails stops the later records of the same dossier in that call
//! (`Skipped`), so a dossier's updates are never taken out of order.

use std::collections::HashSet;
use std::sync::Mutex;

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use actix_web::web::{Bytes, Data, Json};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::server::MockState;
use super::sync_rules::{self as rules, Outcome};
use super::sync_store as store;

/// How long a sync access token lives.
pub const TOKEN_TTL_SECS: i64 = 300;
/// The most records one call may carry.
pub const MAX_RECORDS: usize = 1000;

/// Fault switches for tests (`POST /_test/sync/faults`).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// This share of calls (0–100) answers 500 before looking at them.
    pub fail_percent: u8,
    /// This share of calls is processed, then answered 500: the answer is lost.
    pub lose_answer_percent: u8,
    /// Every call waits this long before it is answered.
    pub delay_ms: u64,
    /// Every bearer token is refused, as after a revocation.
    pub refuse_tokens: bool,
    /// Every sync and token call answers 503.
    pub down: bool,
}

pub struct SyncSide {
    pub client_id: String,
    pub client_secret: String,
    /// The rating service's name (`DongBoDanhGiaHoSo` unless set).
    pub rating_service: String,
    pub faults: Mutex<Faults>,
    /// One writer at a time: a record's order check and its write must not interleave with another call's.
    pub write: tokio::sync::Mutex<()>,
}

fn faults(state: &MockState) -> Faults {
    state.sync.faults.lock().map(|f| f.clone()).unwrap_or_default()
}

fn roll(percent: u8) -> bool {
    percent > 0 && crate::random::below(100) < u64::from(percent)
}

fn answer(status: StatusCode, error_code: i64, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error_code": error_code, "message": message}))
}

fn db_error(e: sea_orm::DbErr) -> HttpResponse {
    tracing::error!(error = %e, "mock sync store");
    answer(StatusCode::INTERNAL_SERVER_ERROR, 500, "Lỗi hệ thống")
}

/// The client-credentials grant at `/oauth2/token` (RFC 6749 §4.4).
pub async fn issue_token(state: &MockState, client: Option<(String, String)>) -> HttpResponse {
    if faults(state).down {
        return answer(StatusCode::SERVICE_UNAVAILABLE, 503, "Hệ thống đang bảo trì");
    }
    let authenticated = client.is_some_and(|(id, secret)| {
        id == state.sync.client_id
            && crate::digest::constant_time_eq(secret.as_bytes(), state.sync.client_secret.as_bytes())
    });
    if !authenticated {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"mock-national-portal\""))
            .json(json!({"error": "invalid_client", "error_description": "client authentication failed"}));
    }
    let Ok(token) = crate::random::token() else {
        return answer(StatusCode::INTERNAL_SERVER_ERROR, 500, "Lỗi hệ thống");
    };
    let expires = Utc::now().timestamp() + TOKEN_TTL_SECS;
    if let Err(e) = store::save_token(&state.db, &token, &state.sync.client_id, expires).await {
        return db_error(e);
    }
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(json!({
        "access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL_SECS,
    }))
}

#[derive(Deserialize)]
struct Call {
    service: String,
    #[serde(rename = "isUpdating", default)]
    _is_updating: bool,
    #[serde(default)]
    data: Vec<Value>,
}

/// POST /api/v1/sync.
pub async fn api(state: Data<MockState>, req: HttpRequest, body: Bytes) -> HttpResponse {
    let faults = faults(&state);
    if faults.down {
        return answer(StatusCode::SERVICE_UNAVAILABLE, 503, "Hệ thống đang bảo trì");
    }
    if faults.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(faults.delay_ms)).await;
    }
    if roll(faults.fail_percent) {
        return answer(StatusCode::INTERNAL_SERVER_ERROR, 500, "Lỗi hệ thống (mô phỏng)");
    }
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let valid = match bearer {
        Some(token) if !faults.refuse_tokens => {
            match store::token_valid(&state.db, token, Utc::now().timestamp()).await {
                Ok(valid) => valid,
                Err(e) => return db_error(e),
            }
        }
        _ => false,
    };
    if !valid {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
            .json(json!({"error_code": 401, "message": "Mã truy cập không hợp lệ hoặc đã hết hạn"}));
    }
    let call: Call = match serde_json::from_slice(&body) {
        Ok(call) => call,
        Err(e) => return answer(StatusCode::BAD_REQUEST, 400, &format!("Yêu cầu không đúng định dạng: {e}")),
    };
    if call.data.len() > MAX_RECORDS {
        return answer(StatusCode::BAD_REQUEST, 400, &format!("Mỗi lần gửi tối đa {MAX_RECORDS} bản ghi"));
    }
    let result = match call.service.as_str() {
        rules::DOSSIER | rules::PROGRESS => take(&state, &call.service, &call.data).await,
        rating if rating == state.sync.rating_service => take(&state, &call.service, &call.data).await,
        rules::LOOKUP => lookup(&state, &call.data).await,
        rules::PROCEDURE_LIST => procedure_list(&state).await,
        rules::PROCEDURE => procedure(&state, &call.data).await,
        other => return answer(StatusCode::NOT_FOUND, 404, &format!("Không có dịch vụ {other}")),
    };
    let body = match result {
        Ok(body) => body,
        Err(e) => return db_error(e),
    };
    if roll(faults.lose_answer_percent) {
        return answer(StatusCode::INTERNAL_SERVER_ERROR, 500, "Lỗi hệ thống (mô phỏng, sau khi đã xử lý)");
    }
    HttpResponse::Ok().json(body)
}

/// Takes `DongBoHoSoMC`, `CapNhatTienDoHoSoMC` or rating records, in one transaction.
async fn take(state: &MockState, service: &str, data: &[Value]) -> Result<Value, sea_orm::DbErr> {
    use sea_orm::TransactionTrait;
    let _one_writer = state.sync.write.lock().await;
    let txn = state.db.begin().await?;
    let now = Utc::now().timestamp();
    let mut failed: HashSet<String> = HashSet::new();
    let mut results = Vec::with_capacity(data.len());
    let mut refused = 0;
    for record in data {
        let code = record.get("MaHoSo").and_then(Value::as_str).unwrap_or_default().to_owned();
        let seq = record.get(rules::SEQ_FIELD).cloned().unwrap_or(Value::Null);
        let (outcome, details) = if failed.contains(&code) {
            (Outcome::Skipped, Vec::new())
        } else if service == rules::DOSSIER {
            take_dossier(&txn, record, now).await?
        } else if service == state.sync.rating_service {
            take_rating(&txn, service, record, now).await?
        } else {
            take_progress(&txn, record, now).await?
        };
        if !outcome.held() {
            failed.insert(code.clone());
            refused += 1;
        }
        results.push(json!({
            "MaHoSo": code, rules::SEQ_FIELD: seq, "error_code": outcome as i64,
            "message": outcome.message(), "chi_tiet": details,
        }));
    }
    txn.commit().await?;
    let (error_code, message) = match refused {
        0 => (0, "Thành công".to_owned()),
        n => (1, format!("{n} bản ghi không được tiếp nhận")),
    };
    Ok(json!({"error_code": error_code, "message": message, "ket_qua": results}))
}

async fn take_dossier(
    db: &impl sea_orm::ConnectionTrait,
    record: &Value,
    now: i64,
) -> Result<(Outcome, Vec<String>), sea_orm::DbErr> {
    let key = match rules::dossier(record) {
        Ok(key) => key,
        Err(errors) => return Ok((Outcome::Invalid, errors)),
    };
    if store::procedure(db, &key.procedure_code).await?.is_none() {
        return Ok((
            Outcome::Invalid,
            vec!["MaTTHC: không có trong Cơ sở dữ liệu quốc gia về thủ tục hành chính".into()],
        ));
    }
    let held = store::dossier(db, &key.code).await?;
    // A repeat of a record taken before is a repeat even when newer ones came since.
    let (repeat, _) = store::arrival_seqs(db, &key.code, rules::DOSSIER, key.seq).await?;
    let outcome = rules::order(key.seq, repeat, held.as_ref().map(|h| h.seq));
    if outcome == Outcome::Duplicate {
        store::count_repeat(db, &key.code, rules::DOSSIER, key.seq).await?;
    }
    if outcome != Outcome::Accepted {
        return Ok((outcome, Vec::new()));
    }
    let text = record.to_string();
    store::put_dossier(
        db,
        &store::Held {
            code: key.code.clone(),
            procedure_code: key.procedure_code,
            status: key.status,
            applicant: key.applicant,
            received_date: key.received_date,
            seq: key.seq,
            record: text.clone(),
            first_at: held.map_or(now, |h| h.first_at),
            updated_at: now,
        },
    )
    .await?;
    store::add_arrival(db, &key.code, rules::DOSSIER, key.seq, Some(key.status), &text, now).await?;
    Ok((Outcome::Accepted, Vec::new()))
}

async fn take_progress(
    db: &impl sea_orm::ConnectionTrait,
    record: &Value,
    now: i64,
) -> Result<(Outcome, Vec<String>), sea_orm::DbErr> {
    let key = match rules::progress(record) {
        Ok(key) => key,
        Err(errors) => return Ok((Outcome::Invalid, errors)),
    };
    if store::dossier(db, &key.code).await?.is_none() {
        return Ok((Outcome::UnknownDossier, Vec::new()));
    }
    let (repeat, highest) = store::arrival_seqs(db, &key.code, rules::PROGRESS, key.seq).await?;
    let outcome = rules::order(key.seq, repeat, highest);
    match outcome {
        Outcome::Accepted => {
            store::add_arrival(db, &key.code, rules::PROGRESS, key.seq, Some(key.status), &record.to_string(), now)
                .await?
        }
        Outcome::Duplicate => store::count_repeat(db, &key.code, rules::PROGRESS, key.seq).await?,
        _ => {}
    }
    Ok((outcome, Vec::new()))
}

/// A rating of a dossier held here; a change comes as a newer `LanDanhGia`.
async fn take_rating(
    db: &impl sea_orm::ConnectionTrait,
    service: &str,
    record: &Value,
    now: i64,
) -> Result<(Outcome, Vec<String>), sea_orm::DbErr> {
    let key = match rules::rating(record) {
        Ok(key) => key,
        Err(errors) => return Ok((Outcome::Invalid, errors)),
    };
    if store::dossier(db, &key.code).await?.is_none() {
        return Ok((Outcome::UnknownDossier, Vec::new()));
    }
    let (repeat, highest) = store::arrival_seqs(db, &key.code, service, key.seq).await?;
    let outcome = rules::order(key.seq, repeat, highest);
    match outcome {
        Outcome::Accepted => {
            store::add_arrival(db, &key.code, service, key.seq, None, &record.to_string(), now).await?
        }
        Outcome::Duplicate => store::count_repeat(db, &key.code, service, key.seq).await?,
        _ => {}
    }
    Ok((outcome, Vec::new()))
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// `TraCuuHoSo`: by `MaHoSo`, the dossier as held and everything it brought;
/// by `TuNgay`–`DenNgay` (of `NgayTiepNhan`), the codes held (our extension for
/// the daily reconciliation).
async fn lookup(state: &MockState, data: &[Value]) -> Result<Value, sea_orm::DbErr> {
    let mut results = Vec::new();
    for query in data {
        if let Some(code) = query.get("MaHoSo").and_then(Value::as_str) {
            let held = store::dossier(&state.db, code).await?;
            let history = store::history(&state.db, code).await?;
            results.push(json!({
                "MaHoSo": code,
                "TimThay": held.is_some(),
                "HoSo": held.as_ref().map(|h| parse(&h.record)),
                "LichSu": history.iter().map(|a| json!({
                    "DichVu": a.service, rules::SEQ_FIELD: a.seq, "TrangThai": a.status,
                    "ThoiDiemNhan": a.received_at, "SoLanNhanLai": a.repeats, "BanGhi": parse(&a.record),
                })).collect::<Vec<_>>(),
            }));
        } else if let (Some(from), Some(to)) =
            (query.get("TuNgay").and_then(Value::as_str), query.get("DenNgay").and_then(Value::as_str))
        {
            if !rules::is_date(from) || !rules::is_date(to) {
                return Ok(
                    json!({"error_code": 2, "message": "TuNgay, DenNgay: ngày giờ phải theo dạng yyyyMMddHHmmss"}),
                );
            }
            for h in store::received_between(&state.db, from, to).await? {
                results.push(json!({"MaHoSo": h.code, "NgayTiepNhan": h.received_date, rules::SEQ_FIELD: h.seq, "TrangThaiHoSo": h.status}));
            }
        } else {
            return Ok(json!({"error_code": 2, "message": "Cần MaHoSo, hoặc TuNgay và DenNgay"}));
        }
    }
    Ok(json!({"error_code": 0, "message": "Thành công", "result": results}))
}

async fn procedure_list(state: &MockState) -> Result<Value, sea_orm::DbErr> {
    let list: Vec<Value> = store::procedures(&state.db)
        .await?
        .into_iter()
        .map(|p| json!({"MATTHC": p.code, "TENTTHC": p.name, "NGAYCAPNHAT": p.updated_at}))
        .collect();
    Ok(json!({"error_code": 0, "message": "Thành công", "result": list}))
}

async fn procedure(state: &MockState, data: &[Value]) -> Result<Value, sea_orm::DbErr> {
    let mut list = Vec::new();
    for query in data {
        let code = query.get("maTTHC").or_else(|| query.get("MaTTHC")).and_then(Value::as_str).unwrap_or_default();
        if let Some(p) = store::procedure(&state.db, code).await? {
            list.push(parse(&p.record));
        }
    }
    Ok(json!({"error_code": 0, "message": "Thành công", "result": list}))
}

/// POST /_test/sync/faults: sets every switch at once (absent ones off).
pub async fn set_faults(state: Data<MockState>, body: Json<Faults>) -> HttpResponse {
    if body.fail_percent > 100 || body.lose_answer_percent > 100 {
        return HttpResponse::BadRequest().body("percentages are 0 to 100");
    }
    if let Ok(mut f) = state.sync.faults.lock() {
        *f = body.into_inner();
    }
    HttpResponse::NoContent().finish()
}

/// POST /_test/national/procedures: adds or replaces national procedure
/// records (`MaTTHC`, `TenTTHC`, …), as the national database publishes them.
pub async fn put_procedures(state: Data<MockState>, body: Json<Vec<Value>>) -> HttpResponse {
    for record in body.iter() {
        let (Some(code), Some(name)) = (record["MaTTHC"].as_str(), record["TenTTHC"].as_str()) else {
            return HttpResponse::BadRequest().body("each record needs MaTTHC and TenTTHC");
        };
        let p = store::Procedure {
            code: code.to_owned(),
            name: name.to_owned(),
            record: record.to_string(),
            updated_at: record["NgayCapNhat"].as_str().unwrap_or("20260101000000").to_owned(),
        };
        if let Err(e) = store::put_procedure(&state.db, &p).await {
            return db_error(e);
        }
    }
    HttpResponse::NoContent().finish()
}

/// The national procedure records the mock starts with: the demo catalogue's.
pub async fn seed_procedures(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    if store::procedure_count(db).await? > 0 {
        return Ok(());
    }
    let catalogue: Value = serde_json::from_str(include_str!("../seed/catalogue.json"))?;
    let fields: std::collections::HashMap<&str, &str> = catalogue["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f["code"].as_str()?, f["name"].as_str()?)))
        .collect();
    for p in catalogue["procedures"].as_array().into_iter().flatten() {
        let (Some(code), Some(name)) = (p["code"].as_str(), p["name"].as_str()) else { continue };
        let field = p["field_code"].as_str().unwrap_or_default();
        let record = json!({
            "MaTTHC": code, "TenTTHC": name,
            "LINHVUCTHUCHIEN": [{"MALINHVUC": field, "TENLINHVUC": fields.get(field).copied().unwrap_or_default()}],
            "TRINHTUTHUCHIEN": p["steps"], "CANCUPHAPLY": p["legal_basis"], "KETQUATHUCHIEN": p["result"],
            "COQUANTHUCHIEN": p["agency_code"], "NgayCapNhat": "20260101000000",
        });
        store::put_procedure(
            db,
            &store::Procedure {
                code: code.into(),
                name: name.into(),
                record: record.to_string(),
                updated_at: "20260101000000".into(),
            },
        )
        .await?;
    }
    Ok(())
}
