//! Forms 02–06 of one dossier, from its record and history. A form exists
//! once what it tells has happened: 02 after a supplement request, 03 after
//! a refusal, 04 after the apology, 05 after processing stopped; 06 at any
//! time after reception.

use entity::dossier_event::Kind;
use entity::{agency, dossier, dossier_event};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::control_slip;
use super::{FormDoc, Line, Table, date_line};
use crate::dossier::history;
use crate::dossier::receipt::moment_vi;
use crate::error::AppError;

/// The forms a dossier can have, by number.
pub const NUMBERS: &[&str] = &["02", "03", "04", "05", "06"];

/// The heading of a document of dossier `d`: see `heading`.
pub async fn agencies(db: &impl ConnectionTrait, d: &dossier::Model) -> Result<(String, String), AppError> {
    heading(db, d.agency_id).await
}

/// The heading of a document of agency `id`: the body it answers to (cơ quan
/// chủ quản, the upper line of Decree 30/2020/NĐ-CP's heading), then the
/// agency. An agency that answers to none heads its documents alone: the
/// upper line is empty, not the agency a second time.
pub async fn heading(db: &impl ConnectionTrait, id: i32) -> Result<(String, String), AppError> {
    let own = agency::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let parent = match own.parent_id {
        Some(id) => agency::Entity::find_by_id(id).one(db).await?.map(|a| a.name),
        None => None,
    };
    Ok((parent.unwrap_or_default(), own.name))
}

fn applicant_lines(d: &dossier::Model) -> Vec<Line> {
    vec![
        Line::Field("Ông/Bà/Tổ chức".into(), d.applicant_name.clone()),
        Line::Field("Số định danh cá nhân/tổ chức".into(), d.applicant_id_number.clone()),
        Line::Field("Địa chỉ".into(), d.applicant_address.clone()),
        Line::Field("Số điện thoại".into(), d.applicant_phone.clone()),
        Line::Field("Thư điện tử".into(), d.applicant_email.clone()),
    ]
}

fn numbered(text: &str) -> Vec<Line> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| Line::Text(format!("{}. {l}", i + 1)))
        .collect()
}

/// The last event of `events` that `pick` accepts, or 404: the form does not exist yet.
fn last(
    events: &[dossier_event::Model],
    pick: impl Fn(&dossier_event::Model) -> bool,
) -> Result<&dossier_event::Model, AppError> {
    events.iter().rev().find(|e| pick(e)).ok_or(AppError::NotFound)
}

/// Form `number` of dossier `d`.
pub async fn form(
    db: &impl ConnectionTrait,
    settings: &crate::config::Settings,
    d: &dossier::Model,
    number: &str,
) -> Result<FormDoc, AppError> {
    let (parent_agency, agency) = agencies(db, d).await?;
    let p = crate::catalogue::revisions::of_dossier(db, d).await?;
    let events = history::of(db, d.id).await?;
    let code = d.code.clone().unwrap_or_default();
    let request = format!("{} ({})", p.record.name, p.record.code);
    let mut doc = FormDoc {
        number: "",
        parent_agency,
        agency: agency.clone(),
        date_line: String::new(),
        title: String::new(),
        subtitle: None,
        addressee: None,
        lines: Vec::new(),
        table: None,
        signer_title: String::new(),
        signer: String::new(),
        hand_signed: true,
        landscape: false,
        reference: code.clone(),
    };
    match number {
        "02" => {
            let e = last(&events, |e| e.to_status == "awaiting_supplement")?;
            doc.number = "02";
            doc.title = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into();
            doc.date_line = date_line(e.at);
            doc.lines.push(Line::Field("Mã hồ sơ".into(), code.clone()));
            doc.lines.push(Line::Text(format!("Hồ sơ của: {}", d.applicant_name)));
            doc.lines.push(Line::Field("Nội dung yêu cầu giải quyết".into(), request));
            doc.lines.extend(applicant_lines(d).into_iter().skip(2));
            doc.lines.push(Line::Text(
                "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau (hướng dẫn đầy đủ một lần):".into(),
            ));
            doc.lines.extend(numbered(&e.note));
            doc.lines.push(Line::Field("Thời điểm yêu cầu".into(), moment_vi(e.at)));
            if let Some(until) =
                d.supplement_due_at.filter(|_| d.status == crate::dossier::DossierStatus::AwaitingSupplement)
            {
                doc.lines.push(Line::Field("Hạn bổ sung (quá hạn hồ sơ dừng giải quyết)".into(), moment_vi(until)));
            }
            doc.lines.push(Line::Text(format!(
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {agency} để được hướng dẫn."
            )));
            doc.signer_title = "NGƯỜI HƯỚNG DẪN".into();
            doc.signer = e.actor_label.clone();
        }
        "03" => {
            let e = last(&events, |e| e.to_status == "refused")?;
            doc.number = "03";
            doc.title = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ".into();
            doc.date_line = date_line(e.at);
            doc.lines.push(Line::Text(format!("{agency} tiếp nhận hồ sơ của:")));
            doc.lines.extend(applicant_lines(d));
            doc.lines.push(Line::Field("Mã hồ sơ (nếu có)".into(), code.clone()));
            doc.lines.push(Line::Field("Nội dung yêu cầu giải quyết".into(), request));
            doc.lines.push(Line::Text("Qua xem xét, cơ quan từ chối tiếp nhận, giải quyết hồ sơ với lý do:".into()));
            doc.lines.extend(numbered(&e.note));
            doc.lines.push(Line::Text("Xin thông báo để ông/bà được biết và thực hiện.".into()));
            doc.signer_title = "NGƯỜI TIẾP NHẬN".into();
            doc.signer = e.actor_label.clone();
        }
        "04" => {
            let e = last(&events, |e| e.kind == Kind::Apology)?;
            let (Some(old), Some(new)) = (d.rescheduled_from, d.due_at) else { return Err(AppError::NotFound) };
            doc.number = "04";
            doc.title = "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".into();
            doc.subtitle = Some("(đề nghị gia hạn thời gian giải quyết)".into());
            doc.date_line = date_line(e.at);
            doc.addressee = Some(d.applicant_name.clone());
            doc.lines
                .push(Line::Field("Ngày tiếp nhận hồ sơ".into(), d.received_at.map(moment_vi).unwrap_or_default()));
            doc.lines.push(Line::Field("Thủ tục hành chính".into(), request));
            doc.lines.push(Line::Field("Người nộp hồ sơ".into(), d.applicant_name.clone()));
            doc.lines.push(Line::Field("Số định danh cá nhân/tổ chức".into(), d.applicant_id_number.clone()));
            doc.lines.push(Line::Field("Mã số hồ sơ".into(), code.clone()));
            doc.lines.push(Line::Field("Thời gian hẹn trả kết quả".into(), moment_vi(old)));
            doc.lines.push(Line::Text("Hồ sơ không giải quyết được đúng thời hạn hẹn trả kết quả.".into()));
            let reason = e.note.split_once("Lý do: ").map_or(e.note.as_str(), |(_, r)| r);
            doc.lines.push(Line::Field("Lý do".into(), reason.to_owned()));
            doc.lines.push(Line::Text(format!(
                "{agency} thành thật xin lỗi ông/bà vì sự chậm trễ này và xin hẹn lại thời gian trả kết quả vào {}.",
                moment_vi(new)
            )));
            doc.signer_title = "THỦ TRƯỞNG CƠ QUAN".into();
            doc.signer = e.actor_label.clone();
        }
        "05" => {
            let e = last(&events, |e| e.to_status == "stopped")?;
            doc.number = "05";
            doc.title = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ".into();
            doc.date_line = date_line(e.at);
            doc.addressee = Some(d.applicant_name.clone());
            doc.lines.push(Line::Field("Mã hồ sơ".into(), code.clone()));
            doc.lines.push(Line::Field("Nội dung yêu cầu giải quyết".into(), request));
            doc.lines
                .push(Line::Field("Ngày tiếp nhận hồ sơ".into(), d.received_at.map(moment_vi).unwrap_or_default()));
            doc.lines.push(Line::Text(format!("{agency} thông báo dừng giải quyết hồ sơ nêu trên với lý do:")));
            doc.lines.extend(numbered(&e.note));
            doc.signer_title = "THỦ TRƯỞNG CƠ QUAN".into();
            doc.signer = e.actor_label.clone();
        }
        "06" => {
            let received = d.received_at.ok_or(AppError::NotFound)?;
            let wf = crate::dossier::process::workflow_of(db, d).await?;
            let (_, cal) = crate::sla_rules::of_dossier::of(db, settings, d).await?;
            let rows = control_slip::handovers(&events, wf.as_deref(), &cal, p.record.time_limit, d.accept_due_at);
            doc.number = "06";
            doc.title = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ".into();
            doc.date_line = date_line(received);
            doc.lines.push(Line::Field("Mã hồ sơ".into(), code.clone()));
            doc.lines.push(Line::Field("Cơ quan (bộ phận) giải quyết hồ sơ".into(), agency.clone()));
            let partner = match d.partner_agency_id {
                Some(id) => agency::Entity::find_by_id(id).one(db).await?.map(|a| a.name),
                None => None,
            };
            doc.lines.push(Line::Field("Cơ quan phối hợp giải quyết hồ sơ".into(), partner.unwrap_or_default()));
            doc.lines.push(Line::Field("Thời gian nhận hồ sơ".into(), moment_vi(received)));
            doc.lines
                .push(Line::Field("Thời gian hẹn trả kết quả".into(), d.due_at.map(moment_vi).unwrap_or_default()));
            doc.table = Some(Table {
                headers: [
                    "Giao: bước / người giao",
                    "Nhận: bước / người nhận",
                    "Thời gian giao, nhận",
                    "Hạn của bước",
                    "Kết quả",
                    "Ghi chú",
                ]
                .map(str::to_owned)
                .to_vec(),
                widths: vec![4.0, 4.0, 3.0, 3.0, 2.2, 4.0],
                rows: rows
                    .iter()
                    .map(|h| {
                        vec![
                            format!("{}\n{}", h.from_step, h.giver),
                            format!("{}\n{}", h.to_step, h.taker),
                            crate::sla::local_time::to_local(h.at).format("%H:%M %d/%m/%Y").to_string(),
                            h.due
                                .map(|t| crate::sla::local_time::to_local(t).format("%H:%M %d/%m/%Y").to_string())
                                .unwrap_or_default(),
                            h.timing.map(|t| t.vi().to_owned()).unwrap_or_default(),
                            h.note.chars().take(160).collect(),
                        ]
                    })
                    .collect(),
            });
            doc.signer_title = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into();
            doc.signer =
                events.iter().find(|e| e.kind == Kind::Receive).map(|e| e.actor_label.clone()).unwrap_or_default();
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(doc)
}
