//! Form 07, the dossier register (sổ theo dõi hồ sơ) of a unit for a
//! period: every dossier received in it, with its appointment and when and
//! how the result went back. The electronic register need not be printed;
//! the PDF is there for those who file it.

use chrono::{NaiveDate, NaiveTime};
use entity::dossier;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{FormDoc, Line, Table, date_line};
use crate::dossier::status::DossierStatus;
use crate::error::AppError;
use crate::sla::local_time;

/// The most dossiers one register lists; a longer period is split by the reader.
pub const MAX_ROWS: u64 = 5000;

fn short(t: chrono::DateTime<chrono::Utc>) -> String {
    local_time::to_local(t).format("%H:%M %d/%m/%Y").to_string()
}

pub async fn register(
    db: &impl ConnectionTrait,
    unit: i32,
    from: NaiveDate,
    to: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<FormDoc, AppError> {
    let (parent_agency, agency_name) = super::build::heading(db, unit).await?;
    let start = local_time::to_utc(from.and_time(NaiveTime::MIN));
    let end = local_time::to_utc(to.succ_opt().unwrap_or(to).and_time(NaiveTime::MIN));
    let rows = dossier::Entity::find()
        .filter(dossier::Column::AgencyId.eq(unit))
        .filter(dossier::Column::ReceivedAt.gte(start))
        .filter(dossier::Column::ReceivedAt.lt(end))
        .order_by_asc(dossier::Column::ReceivedAt)
        .order_by_asc(dossier::Column::Id)
        .limit(MAX_ROWS)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().map(|d| d.procedure_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: std::collections::HashMap<i32, String> = entity::procedure::Entity::find()
        .filter(entity::procedure::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let returned = d.status == DossierStatus::Returned;
            vec![
                (i + 1).to_string(),
                d.code.clone().unwrap_or_default(),
                names.get(&d.procedure_id).cloned().unwrap_or_default(),
                d.applicant_name.clone(),
                [d.applicant_address.as_str(), d.applicant_phone.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; "),
                d.received_at.map(short).unwrap_or_default(),
                d.due_at.map(short).unwrap_or_default(),
                if returned { d.closed_at.map(short).unwrap_or_default() } else { String::new() },
                if d.channel.is_online() { "Trực tuyến" } else { "Trực tiếp" }.to_owned(),
                String::new(),
            ]
        })
        .collect();
    let period = format!("{} – {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y"));
    Ok(FormDoc {
        number: "07",
        parent_agency,
        agency: agency_name.clone(),
        date_line: date_line(now),
        title: "SỔ THEO DÕI HỒ SƠ".into(),
        subtitle: None,
        addressee: None,
        lines: vec![
            Line::Field("Cơ quan chủ trì giải quyết".into(), agency_name),
            Line::Field("Kỳ theo dõi (ngày tiếp nhận)".into(), period),
            Line::Field("Số hồ sơ".into(), rows.len().to_string()),
        ],
        table: Some(Table {
            headers: [
                "STT",
                "Mã hồ sơ",
                "Tên TTHC",
                "Tổ chức/cá nhân",
                "Địa chỉ, số điện thoại",
                "Nhận hồ sơ",
                "Hẹn trả kết quả",
                "Trả kết quả",
                "Phương thức nhận kết quả",
                "Ký nhận",
            ]
            .map(str::to_owned)
            .to_vec(),
            widths: vec![1.0, 4.6, 3.4, 2.6, 3.0, 2.0, 2.0, 2.0, 1.8, 1.4],
            rows: table_rows,
        }),
        signer_title: "NGƯỜI LẬP SỔ".into(),
        signer: String::new(),
        hand_signed: true,
        landscape: true,
        reference: format!("{}-{}", from.format("%Y%m%d"), to.format("%Y%m%d")),
    })
}
