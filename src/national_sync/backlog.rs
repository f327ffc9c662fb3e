//! A backlog of sync events of made-up dossiers of the demo press card
//! (1.004227), queued as the lifecycle queues them: per dossier a record at
//! each change and a step after every other one. For the delivery benchmark
//! (`motcua seed --sync-backlog N`) and the tests of many workers at once.

use chrono::{DateTime, Utc};
use entity::outbox;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::json;

use super::TOPIC;
use crate::dossier::national_record::{DOSSIER_SERVICE, PROGRESS_SERVICE, date};
use crate::error::AppError;

/// Queues `events` events over dossiers of `per_dossier` events each; the dossiers' codes.
pub async fn queue(
    db: &DatabaseConnection,
    events: usize,
    per_dossier: usize,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let per_dossier = per_dossier.max(1);
    let tag = crate::random::below(1_000_000);
    let stamp = date(now);
    let mut codes = Vec::new();
    let mut rows = Vec::with_capacity(500);
    for i in 0..events {
        let (dossier, k) = (i / per_dossier, i % per_dossier);
        let code = format!("BENCH-{tag:06}-{dossier:07}");
        if k == 0 {
            codes.push(code.clone());
        }
        // Event k: a dossier record for change k/2+1, then its step.
        let seq = (k / 2 + 1) as i64;
        let (service, record) = if k % 2 == 0 {
            let status = if seq == 1 { 1 } else { 4 };
            (
                DOSSIER_SERVICE,
                json!({
                    "MaHoSo": code, "MaTTHC": "1.004227", "TenTTHC": "Cấp thẻ nhà báo", "MaLinhVuc": "BAOCHI",
                    "KenhThucHien": 2, "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": 1, "SoGiayToChuHoSo": "001090012345",
                    "TrangThaiHoSo": status, "NgayNopHoSo": stamp, "NgayTiepNhan": if seq > 1 { stamp.clone() } else { String::new() },
                    "NgayHenTra": "", "TaiLieuNop": [], "DanhSachLePhi": [], "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [],
                }),
            )
        } else {
            (
                PROGRESS_SERVICE,
                json!({"MaHoSo": code, "NguoiXuLy": "Cán bộ thử tải", "ThoiDiemXuLy": stamp, "TrangThai": 4,
                       "NoiDungXuLy": "Thẩm định hồ sơ"}),
            )
        };
        let payload = json!({"service": service, "seq": seq, "data": [record]}).to_string();
        rows.push(crate::outbox::pending(TOPIC, Some(code), payload, now));
        if rows.len() == 500 {
            outbox::Entity::insert_many(std::mem::take(&mut rows)).exec(db).await?;
        }
    }
    if !rows.is_empty() {
        outbox::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(codes)
}
