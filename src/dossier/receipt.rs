//! Form 01 of TT 03/2025/TT-VPCP, "Giấy tiếp nhận hồ sơ và hẹn trả kết
//! quả": built from the dossier's record once it is received, as a page
//! and as a PDF with the QR code of the public lookup in the top-left
//! corner (TT 01/2023/TT-VPCP).

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::dossier::ResultDelivery;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;

use super::documents;
use super::history;
use crate::error::AppError;
use crate::pdf::layout::Align;
use crate::pdf::{self, Layout, Weight};

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub code: String,
    /// ĐƠN VỊ CHỦ QUẢN: the parent of the processing agency, or the agency itself.
    pub parent_agency: String,
    pub agency: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    /// Each document with how many files were given for it.
    pub documents: Vec<(String, usize)>,
    pub time_limit_days: String,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub received_text: String,
    pub due_text: String,
    pub result_at: String,
    pub receiver: String,
    pub lookup_url: String,
    /// The one-time rating link, on the applicant's own copy only.
    #[serde(skip)]
    pub rating_url: Option<String>,
}

impl Receipt {
    pub fn file_name(&self) -> String {
        format!("phieu-tiep-nhan-{}.pdf", self.code)
    }
}

/// The receipt of dossier `dossier_id`; 409 until it is received.
pub async fn load(db: &impl ConnectionTrait, dossier_id: i64, lookup_url: &str) -> Result<Receipt, AppError> {
    let d = dossier::Entity::find_by_id(dossier_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (Some(code), Some(received_at), Some(due_at)) = (d.code.clone(), d.received_at, d.due_at) else {
        return Err(AppError::Conflict("the dossier has not been received".into()));
    };
    let p = crate::catalogue::revisions::of_dossier(db, &d).await?;
    let (parent_agency, agency_name) = crate::forms::build::heading(db, d.agency_id).await?;
    let attached = documents::list(db, d.id).await?;
    let mut listed: Vec<(String, usize)> = documents::slots(&p)
        .iter()
        .map(|s| (s.name.clone(), attached.iter().filter(|a| a.slot == Some(s.position)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let extras = attached.iter().filter(|a| a.slot.is_none()).count();
    if extras > 0 {
        listed.push(("Giấy tờ khác".into(), extras));
    }
    let receiver = history::of(db, d.id)
        .await?
        .into_iter()
        .find(|e| e.kind == entity::dossier_event::Kind::Receive)
        .map(|e| e.actor_label)
        .unwrap_or_default();
    let result_at = match d.result_delivery {
        ResultDelivery::Electronic => "Trực tuyến, trên Cổng Dịch vụ công".to_owned(),
        ResultDelivery::Post => format!("Qua dịch vụ bưu chính công ích, tại địa chỉ: {}", d.applicant_address),
        ResultDelivery::Counter => format!("Bộ phận Tiếp nhận và Trả kết quả — {agency_name}"),
    };
    Ok(Receipt {
        code,
        parent_agency,
        agency: agency_name,
        procedure_code: p.record.code.clone(),
        procedure_name: p.record.name.clone(),
        applicant_name: d.applicant_name,
        applicant_id_number: d.applicant_id_number,
        applicant_address: d.applicant_address,
        applicant_phone: d.applicant_phone,
        applicant_email: d.applicant_email,
        documents: listed,
        time_limit_days: p.record.time_limit.days_text(true),
        received_text: moment_vi(received_at),
        due_text: moment_vi(due_at),
        received_at,
        due_at,
        result_at,
        receiver,
        lookup_url: lookup_url.to_owned(),
        rating_url: None,
    })
}

/// "08 giờ 30 phút, ngày 15/07/2025": how forms write a moment, in Hà Nội time.
pub fn moment_vi(t: DateTime<Utc>) -> String {
    crate::sla::local_time::to_local(t).format("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

pub fn pdf(r: &Receipt) -> Result<Vec<u8>, AppError> {
    let mut l = Layout::default();
    let qr_size = 84.0;
    let top = l.y();
    pdf::qr::draw(&mut l, &r.lookup_url, Layout::left(), top, qr_size);
    let header_x = Layout::left() + qr_size + 12.0;
    let header_width = l.width() - qr_size - 12.0;
    if !r.parent_agency.is_empty() {
        l.text_in(header_x, header_width, &r.parent_agency.to_uppercase(), 10.0, Weight::Regular, Align::Center);
    }
    l.text_in(header_x, header_width, &r.agency.to_uppercase(), 10.0, Weight::Bold, Align::Center);
    l.text_in(header_x, header_width, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", 10.0, Weight::Bold, Align::Center);
    l.text_in(header_x, header_width, &format!("Mã hồ sơ: {}", r.code), 10.0, Weight::Regular, Align::Center);
    l.set_y(l.y().max(top + qr_size) + 10.0);
    l.centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11.0, Weight::Bold);
    l.centered("Độc lập - Tự do - Hạnh phúc", 11.0, Weight::Bold);
    l.gap(10.0);
    l.centered("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", 14.0, Weight::Bold);
    l.centered("(Mẫu số 01, Thông tư 03/2025/TT-VPCP)", 9.0, Weight::Regular);
    l.gap(10.0);
    l.labelled("Mã hồ sơ", &r.code, 11.0);
    l.paragraph(&format!("{} tiếp nhận hồ sơ của:", r.agency), 11.0, Weight::Regular);
    l.labelled("Ông/Bà/Tổ chức", &r.applicant_name, 11.0);
    l.labelled("Số định danh cá nhân/tổ chức", or_dash(&r.applicant_id_number), 11.0);
    l.labelled("Địa chỉ", or_dash(&r.applicant_address), 11.0);
    l.labelled("Số điện thoại", or_dash(&r.applicant_phone), 11.0);
    l.labelled("Thư điện tử", or_dash(&r.applicant_email), 11.0);
    l.labelled("Nội dung yêu cầu giải quyết", &format!("{} ({})", r.procedure_name, r.procedure_code), 11.0);
    l.paragraph("Thành phần hồ sơ nộp gồm:", 11.0, Weight::Regular);
    for (i, (name, files)) in r.documents.iter().enumerate() {
        l.paragraph(&format!("{}. {name} ({files} tệp)", i + 1), 11.0, Weight::Regular);
    }
    l.labelled("Số lượng hồ sơ", "01 bộ", 11.0);
    l.labelled("Thời gian giải quyết hồ sơ theo quy định", &format!("{} ngày làm việc", r.time_limit_days), 11.0);
    l.labelled("Thời gian nhận hồ sơ", &r.received_text, 11.0);
    l.labelled("Thời gian trả kết quả giải quyết hồ sơ", &r.due_text, 11.0);
    l.labelled("Đăng ký nhận kết quả tại", &r.result_at, 11.0);
    l.labelled("Tra cứu hồ sơ", &r.lookup_url, 9.0);
    l.gap(14.0);
    l.text_in(Layout::left() + l.width() / 2.0, l.width() / 2.0, "NGƯỜI TIẾP NHẬN", 11.0, Weight::Bold, Align::Center);
    l.text_in(Layout::left() + l.width() / 2.0, l.width() / 2.0, &r.receiver, 11.0, Weight::Regular, Align::Center);
    if let Some(url) = &r.rating_url {
        // The applicant's copy: how to rate the dossier once it is finished (REGULATIONS §5.3).
        l.gap(16.0);
        let top = l.y();
        pdf::qr::draw(&mut l, url, Layout::left(), top, qr_size);
        let x = Layout::left() + qr_size + 12.0;
        let w = l.width() - qr_size - 12.0;
        l.text_in(x, w, "ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG", 11.0, Weight::Bold, Align::Left);
        l.text_in(
            x,
            w,
            "Dành riêng cho người nộp hồ sơ; dùng được một lần, sau khi nhận kết quả.",
            10.0,
            Weight::Regular,
            Align::Left,
        );
        l.text_in(x, w, url, 9.0, Weight::Regular, Align::Left);
        l.set_y(l.y().max(top + qr_size));
    }
    pdf::render(&l, &format!("Giấy tiếp nhận hồ sơ {}", r.code)).map_err(AppError::Internal)
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_pdf_is_a_pdf_with_the_font_subset() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 7, 15, 2, 30, 0).unwrap();
        let r = Receipt {
            code: "000.00.20.H26-260715-0001".into(),
            parent_agency: "Ủy ban nhân dân thành phố Hà Nội".into(),
            agency: "Sở Khoa học và Công nghệ thành phố Hà Nội".into(),
            procedure_code: "1.004227".into(),
            procedure_name: "Cấp thẻ nhà báo".into(),
            applicant_name: "Nguyễn Thị Hường".into(),
            applicant_id_number: "001190012345".into(),
            applicant_address: "Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội".into(),
            applicant_phone: "0912345678".into(),
            applicant_email: "huong@example.vn".into(),
            documents: vec![("Tờ khai đề nghị cấp thẻ nhà báo".into(), 1)],
            time_limit_days: "30".into(),
            rating_url: None,
            received_at: at,
            due_at: at,
            received_text: moment_vi(at),
            due_text: moment_vi(at),
            result_at: "Trực tuyến".into(),
            receiver: "Hệ thống".into(),
            lookup_url: "http://127.0.0.1:8080/tra-cuu?code=000.00.20.H26-260715-0001".into(),
        };
        let bytes = pdf(&r).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // Subset, not the whole 750 KB font.
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
        if let Ok(dir) = std::env::var("MOTCUA_PDF_SAMPLE_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("receipt.pdf"), &bytes).unwrap();
        }
    }
}
