//! The QĐ 766 index as the national portal computes it: its own code,
//! reading only what the ministry synced (the latest `DongBoHoSoMC` record
//! of each dossier and its latest rating record), never the ministry's
//! database. Shown at `/chi-so-766` and as JSON at `/api/v1/statistics/766`.
//! The mock keys an agency by the record's `MaCoQuan` and knows no agency
//! tree; it has no national figures of services, so 3.2 is not computed.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::server::MockState;
use super::sso::page;
use super::sync_store as store;

#[derive(Deserialize)]
pub struct Asked {
    agency: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Figure {
    pub id: &'static str,
    pub numerator: i64,
    pub denominator: i64,
    pub value: f64,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn share(n: i64, d: i64) -> f64 {
    if d == 0 { 0.0 } else { round2(n as f64 * 100.0 / d as f64) }
}

fn text<'a>(r: &'a Value, field: &str) -> &'a str {
    r.get(field).and_then(Value::as_str).unwrap_or_default()
}

fn when(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok()
}

fn list<'a>(r: &'a Value, field: &str) -> &'a [Value] {
    r.get(field).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The appointment 2.1 judges by: an apology does not make a late dossier
/// on time, so after one the date before it counts — the newest one a
/// supplement gave before the apology, or else the first appointment.
fn appointment(r: &Value) -> Option<NaiveDateTime> {
    let apology = when(text(r, "NgayXinLoi"));
    let Some(apology) = apology else { return when(text(r, "NgayHenTra")) };
    let moved = list(r, "DanhSachHoSoBoSung")
        .iter()
        .filter(|b| when(text(b, "NgayTiepNhanBoSung")).is_some_and(|t| t <= apology))
        .filter_map(|b| when(text(b, "NgayHenTraMoi")))
        .max();
    moved.or_else(|| when(text(r, "NgayHenTraBanDau"))).or_else(|| when(text(r, "NgayHenTra")))
}

/// Days between reception and the end, less the supplement rounds' waits.
fn processing_days(r: &Value) -> Option<f64> {
    let (start, end) = (when(text(r, "NgayTiepNhan"))?, when(text(r, "NgayKetThucXuLy"))?);
    let waited: i64 = list(r, "DanhSachHoSoBoSung")
        .iter()
        .filter_map(|b| Some((when(text(b, "NgayBoSung"))?, when(text(b, "NgayTiepNhanBoSung")).unwrap_or(end))))
        .filter(|(asked, _)| *asked >= start && *asked < end)
        .map(|(asked, answered)| (answered.min(end) - asked).num_seconds())
        .sum();
    Some(((end - start).num_seconds() - waited) as f64 / 86_400.0)
}

/// The figures of agency `agency` for dossiers received from `from` to `to` (local dates, both included).
pub fn figures(
    records: &[Value],
    disliked: &[String],
    agency: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> Vec<Figure> {
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = (to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default();
    let asof = end.min(now);
    let ours: Vec<&Value> = records.iter().filter(|r| text(r, "MaCoQuan") == agency).collect();
    let inside: Vec<&&Value> =
        ours.iter().filter(|r| when(text(r, "NgayTiepNhan")).is_some_and(|t| t >= start && t < end)).collect();
    let count = |f: &dyn Fn(&Value) -> bool| inside.iter().filter(|r| f(r)).count() as i64;
    let received = inside.len() as i64;
    let status = |r: &Value| r.get("TrangThaiHoSo").and_then(Value::as_i64).unwrap_or(0);
    let resolved = |r: &Value| matches!(status(r), 9 | 10);
    let e_result =
        |r: &Value| list(r, "DanhSachGiayToKetQua").iter().any(|g| !text(g, "DuongDanTepTinKetQua").is_empty());
    let on_time = count(&|r| {
        let due = appointment(r);
        list(r, "DanhSachHoSoBoSung").len() <= 1
            && match (when(text(r, "NgayKetThucXuLy")), due) {
                (Some(ended), Some(due)) => ended <= due,
                (None, Some(due)) => due >= asof,
                _ => false,
            }
    });
    let with_fee = |r: &Value| {
        list(r, "DanhSachLePhi").iter().any(|f| {
            f.get("Gia").and_then(Value::as_i64).unwrap_or(0) > 0
                && f.get("HinhThucThu").and_then(Value::as_i64) != Some(0)
        })
    };
    let paid_online = |r: &Value| matches!(r.get("DuocThanhToanTrucTuyen").and_then(Value::as_i64), Some(1 | 2));
    let online = count(&|r| r.get("KenhThucHien").and_then(Value::as_i64) == Some(2));
    let fee = count(&with_fee);
    let paid = count(&|r| with_fee(r) && paid_online(r));
    let results = count(&resolved);
    let electronic = count(&|r| resolved(r) && e_result(r));
    let digitised = count(&|r| !list(r, "TaiLieuNop").is_empty() && (!resolved(r) || e_result(r)));
    let reused = count(&|r| r.get("HoSoCoThanhPhanSoHoa").and_then(Value::as_i64) == Some(1));
    let unhappy = count(&|r| disliked.iter().any(|c| c == text(r, "MaHoSo")));
    let ready: Vec<f64> = ours
        .iter()
        .filter(|r| resolved(r) && when(text(r, "NgayKetThucXuLy")).is_some_and(|t| t >= start && t < end))
        .filter_map(|r| processing_days(r))
        .collect();
    let average = if ready.is_empty() { 0.0 } else { round2(ready.iter().sum::<f64>() / ready.len() as f64) };
    let on_time_share = share(on_time, received);
    let satisfied = if received == 0 { 0.0 } else { round2((on_time_share - share(unhappy, received)).max(0.0)) };
    vec![
        Figure { id: "1.4", numerator: received, denominator: received, value: share(received, received) },
        Figure { id: "2.1", numerator: on_time, denominator: received, value: on_time_share },
        Figure { id: "2.2", numerator: ready.len() as i64, denominator: ready.len() as i64, value: average },
        Figure { id: "3.3", numerator: online, denominator: received, value: share(online, received) },
        Figure { id: "3.6", numerator: paid, denominator: fee, value: share(paid, fee) },
        Figure { id: "4.1", numerator: electronic, denominator: results, value: share(electronic, results) },
        Figure { id: "4.2", numerator: digitised, denominator: received, value: share(digitised, received) },
        Figure { id: "4.3", numerator: reused, denominator: received, value: share(reused, received) },
        Figure { id: "5.4", numerator: (on_time - unhappy).max(0), denominator: received, value: satisfied },
    ]
}

async fn compute(state: &MockState, asked: &Asked) -> Result<(String, NaiveDate, NaiveDate, Vec<Figure>), String> {
    let now = crate::sla::local_time::to_local(chrono::Utc::now());
    let date = |v: &Option<String>, default: NaiveDate| match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("Ngày không hợp lệ: {s}")),
    };
    let today = now.date();
    let from = date(&asked.from, today.with_ordinal(1).unwrap_or(today))?;
    let to = date(&asked.to, today)?;
    let agency = asked.agency.clone().unwrap_or_default();
    let held = store::all_dossiers(&state.db).await.map_err(|e| e.to_string())?;
    let records: Vec<Value> = held.iter().filter_map(|h| serde_json::from_str(&h.record).ok()).collect();
    let ratings = store::latest_of_service(&state.db, &state.sync.rating_service).await.map_err(|e| e.to_string())?;
    let disliked: Vec<String> = ratings
        .iter()
        .filter_map(|a| serde_json::from_str::<Value>(&a.record).ok())
        .filter(|r| r.get("KhongHaiLong").and_then(Value::as_i64) == Some(1))
        .map(|r| text(&r, "MaHoSo").to_owned())
        .collect();
    Ok((agency.clone(), from, to, figures(&records, &disliked, &agency, from, to, now)))
}

/// GET /api/v1/statistics/766 on the mock.
pub async fn json(state: Data<MockState>, asked: Query<Asked>) -> HttpResponse {
    match compute(&state, &asked).await {
        Ok((agency, from, to, figures)) => HttpResponse::Ok().json(serde_json::json!({
            "agency": agency, "from": from.to_string(), "to": to.to_string(), "indicators": figures,
        })),
        Err(e) => HttpResponse::BadRequest().json(serde_json::json!({"error_code": 400, "message": e})),
    }
}

/// GET /chi-so-766: the same, as the public page shows it.
pub async fn page_766(state: Data<MockState>, asked: Query<Asked>) -> HttpResponse {
    match compute(&state, &asked).await {
        Ok((agency, from, to, figures)) => {
            let mut ctx = tera::Context::new();
            ctx.insert("agency", &agency);
            ctx.insert("from", &from.to_string());
            ctx.insert("to", &to.to_string());
            ctx.insert("figures", &figures);
            page(&state, StatusCode::OK, "mock/index766.html", &ctx)
        }
        Err(e) => super::sso::error_page(&state, &e),
    }
}
