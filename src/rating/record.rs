//! The rating as the national portal is told of it: one record per rating
//! and per change, on the dossier's sync topic so it follows the dossier's
//! own records. The national service's name is a setting
//! (`DongBoDanhGiaHoSo` until one is published); the fields are ours,
//! named in the style of §6.2, and documented in the README.

use chrono::{DateTime, Utc};
use entity::{dossier, rating, rating_official};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::Level;
use crate::context::Context;
use crate::dossier::national_record::{self, date};
use crate::error::AppError;

/// The national record of rating `r` of dossier `d`.
pub fn build(
    d: &dossier::Model,
    r: &rating::Model,
    procedure_code: &str,
    agency_name: &str,
    criteria: &[(String, String, Level)],
    officials: &[String],
) -> Value {
    json!({
        "MaHoSo": d.code,
        "MaTTHC": procedure_code,
        "DonViXuLy": agency_name,
        "KenhThucHien": d.channel.national_code(),
        "NgayDanhGia": date(r.updated_at),
        "LanDanhGia": r.version,
        // 1 the applicant's account, 2 the counter's one-time link.
        "HinhThucDanhGia": if r.via == "link" { 2 } else { 1 },
        "DanhSachTieuChi": criteria.iter().map(|(key, label, level)| json!({
            "MaTieuChi": key,
            "TenTieuChi": label,
            "MucDoHaiLong": level.as_str(),
            "TenMucDo": level.label(),
            "Diem": level.points(),
        })).collect::<Vec<_>>(),
        "KhongHaiLong": u8::from(r.dislike),
        "NoiDungDanhGia": r.comment,
        "CanBoXuLy": officials,
    })
}

/// Queues the record of `r` in the caller's transaction.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    cx: &Context,
    d: &dossier::Model,
    r: &rating::Model,
    answers: &[(String, Level)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let p = crate::catalogue::revisions::of_dossier(db, d).await?;
    let criteria: Vec<(String, String, Level)> = answers
        .iter()
        .map(|(key, level)| {
            let label = cx.settings.ratings.criteria.iter().find(|c| &c.key == key).map(|c| c.label_vi.clone());
            (key.clone(), label.unwrap_or_default(), *level)
        })
        .collect();
    let ids: Vec<i32> = rating_official::Entity::find()
        .filter(rating_official::Column::RatingId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.account_id)
        .collect();
    let officials: Vec<String> = entity::account::Entity::find()
        .filter(entity::account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.full_name)
        .collect();
    let record = build(d, r, &p.record.code, &p.agency_name, &criteria, &officials);
    let payload = json!({"service": cx.settings.ratings.national_service, "seq": r.version, "data": [record]});
    crate::outbox::enqueue(db, national_record::TOPIC, d.code.as_deref(), &payload, now).await?;
    Ok(())
}
