//! Pages of the mock national portal showing what the ministry synced, as a
//! citizen would see it there: the dossiers with their status, one dossier's
//! history (statuses and steps in the order they arrived), lookup by code.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Query};
use serde::Deserialize;
use serde_json::Value;

use super::server::MockState;
use super::sso::page;
use super::sync_rules as rules;
use super::sync_store as store;

const PAGE_SIZE: i64 = 50;

/// TrangThaiHoSo as the national portal names it (REGULATIONS §2.3).
fn status_name(code: i64) -> &'static str {
    match code {
        1 => "Mới đăng ký",
        2 => "Được tiếp nhận",
        3 => "Không được tiếp nhận",
        4 => "Đang xử lý",
        5 => "Yêu cầu bổ sung giấy tờ",
        6 => "Yêu cầu thực hiện nghĩa vụ tài chính",
        7 => "Công dân yêu cầu rút hồ sơ",
        8 => "Dừng xử lý",
        9 => "Đã có kết quả",
        10 => "Đã trả kết quả",
        _ => "Không rõ",
    }
}

/// `yyyyMMddHHmmss` as dd/MM/yyyy HH:mm.
fn shown(date: &str) -> String {
    if !rules::is_date(date) {
        return String::new();
    }
    format!("{}/{}/{} {}:{}", &date[6..8], &date[4..6], &date[0..4], &date[8..10], &date[10..12])
}

#[derive(Deserialize)]
pub struct ListQuery {
    trang: Option<i64>,
    ma: Option<String>,
}

/// GET /ho-so-dong-bo: the synced dossiers, latest change first; `?ma=` looks one up.
pub async fn list(state: Data<MockState>, q: Query<ListQuery>) -> HttpResponse {
    if let Some(code) = q.ma.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let target = format!("/ho-so-dong-bo/{}", urlencode(code));
        return HttpResponse::SeeOther().insert_header((header::LOCATION, target)).finish();
    }
    let number = q.trang.unwrap_or(1).max(1);
    let (rows, total) = match store::latest(&state.db, PAGE_SIZE, (number - 1) * PAGE_SIZE).await {
        Ok(found) => found,
        Err(e) => return HttpResponse::InternalServerError().body(e.to_string()),
    };
    let dossiers: Vec<Value> = rows
        .iter()
        .map(|h| {
            serde_json::json!({"code": h.code, "procedure": h.procedure_code, "applicant": h.applicant,
                "status": status_name(h.status), "received": shown(&h.received_date)})
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("dossiers", &dossiers);
    ctx.insert("total", &total);
    ctx.insert("page", &number);
    ctx.insert("pages", &((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1));
    page(&state, StatusCode::OK, "mock/synced.html", &ctx)
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).unwrap_or_default().trim_start_matches('=').to_owned()
}

/// GET /ho-so-dong-bo/{code}: one dossier as held, with its history.
pub async fn show(state: Data<MockState>, code: Path<String>) -> HttpResponse {
    let (held, history) = match (store::dossier(&state.db, &code).await, store::history(&state.db, &code).await) {
        (Ok(held), Ok(history)) => (held, history),
        (Err(e), _) | (_, Err(e)) => return HttpResponse::InternalServerError().body(e.to_string()),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("code", code.as_str());
    let Some(held) = held else {
        return page(&state, StatusCode::NOT_FOUND, "mock/synced_dossier.html", &ctx);
    };
    let record: Value = serde_json::from_str(&held.record).unwrap_or(Value::Null);
    let text = |k: &str| record[k].as_str().map(shown).unwrap_or_default();
    ctx.insert(
        "dossier",
        &serde_json::json!({
            "procedure": record["TenTTHC"], "procedure_code": held.procedure_code, "applicant": held.applicant,
            "agency": record["DonViXuLy"], "status": status_name(held.status),
            "submitted": text("NgayNopHoSo"), "received": text("NgayTiepNhan"), "due": text("NgayHenTra"),
            "returned": text("NgayTra"),
        }),
    );
    let events: Vec<Value> = history
        .iter()
        .map(|a| {
            let r: Value = serde_json::from_str(&a.record).unwrap_or(Value::Null);
            let step = a.service == rules::PROGRESS;
            let when = if step { r["ThoiDiemXuLy"].as_str() } else { r["ThoiDiemDongBo"].as_str() };
            serde_json::json!({
                "seq": a.seq,
                "kind": if step { "Bước xử lý" } else { "Trạng thái hồ sơ" },
                "status": a.status.map(status_name).unwrap_or_default(),
                "detail": if step { r["NoiDungXuLy"].clone() } else { r["GhiChu"].clone() },
                "who": r["NguoiXuLy"], "at": when.map(shown).unwrap_or_default(),
            })
        })
        .collect();
    ctx.insert("events", &events);
    page(&state, StatusCode::OK, "mock/synced_dossier.html", &ctx)
}
