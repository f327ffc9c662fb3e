//! The forms 02–07 of TT 03/2025/TT-VPCP, generated from the dossier's
//! record and history (form 01, the receipt, lives with reception). Each
//! form is built as a `FormDoc` — header, title, lines, an optional table,
//! signature — and then shown as a printable page or drawn as a PDF, so
//! both always say the same.

pub mod build;
pub mod control_slip;
pub mod register;

use serde::Serialize;

use crate::error::AppError;
use crate::pdf::layout::Align;
use crate::pdf::{self, Layout, Weight};

#[derive(Debug, Clone, Serialize)]
pub enum Line {
    Text(String),
    /// "Label: value".
    Field(String, String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    /// Relative column widths.
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormDoc {
    /// "02" … "07".
    pub number: &'static str,
    /// ĐƠN VỊ CHỦ QUẢN and the agency.
    pub parent_agency: String,
    pub agency: String,
    /// "Hà Nội, ngày 23 tháng 11 năm 2026" without the place: "ngày … tháng … năm …".
    pub date_line: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub addressee: Option<String>,
    pub lines: Vec<Line>,
    pub table: Option<Table>,
    pub signer_title: String,
    pub signer: String,
    /// Signed by hand, under "(Ký, ghi rõ họ tên)"; an electronic receipt is not.
    pub hand_signed: bool,
    /// Printed on A4 lying on its side (the register's many columns).
    pub landscape: bool,
    /// For file names: the dossier code or the period.
    pub reference: String,
}

impl FormDoc {
    pub fn file_name(&self) -> String {
        let reference = self.reference.replace(['/', ' '], "-");
        // A document outside the numbered forms (the e-receipt) is named for what it is.
        if self.number.is_empty() {
            format!("bien-lai-{reference}.pdf")
        } else {
            format!("mau-{}-{reference}.pdf", self.number)
        }
    }
}

/// "ngày 23 tháng 11 năm 2026", in Hà Nội time.
pub fn date_line(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::sla::local_time::to_local(t).format("ngày %d tháng %m năm %Y").to_string()
}

pub fn pdf(doc: &FormDoc) -> Result<Vec<u8>, AppError> {
    let mut l = if doc.landscape { Layout::landscape() } else { Layout::default() };
    let half = l.width() / 2.0;
    let top = l.y();
    if !doc.parent_agency.is_empty() {
        l.text_in(Layout::left(), half - 10.0, &doc.parent_agency.to_uppercase(), 9.0, Weight::Regular, Align::Center);
    }
    l.text_in(Layout::left(), half - 10.0, &doc.agency.to_uppercase(), 9.0, Weight::Bold, Align::Center);
    let left_end = l.y();
    l.set_y(top);
    l.text_in(Layout::left() + half, half, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 9.0, Weight::Bold, Align::Center);
    l.text_in(Layout::left() + half, half, "Độc lập - Tự do - Hạnh phúc", 9.0, Weight::Bold, Align::Center);
    l.text_in(Layout::left() + half, half, &doc.date_line, 9.0, Weight::Regular, Align::Center);
    l.set_y(l.y().max(left_end) + 12.0);
    l.centered(&doc.title, 13.0, Weight::Bold);
    if let Some(sub) = &doc.subtitle {
        l.centered(sub, 10.0, Weight::Regular);
    }
    if !doc.number.is_empty() {
        l.centered(&format!("(Mẫu số {}, Thông tư 03/2025/TT-VPCP)", doc.number), 8.5, Weight::Regular);
    }
    l.gap(10.0);
    if let Some(to) = &doc.addressee {
        l.centered(&format!("Kính gửi: {to}"), 11.0, Weight::Regular);
        l.gap(6.0);
    }
    for line in &doc.lines {
        match line {
            Line::Text(t) => l.paragraph(t, 10.5, Weight::Regular),
            Line::Field(label, value) => l.labelled(label, if value.is_empty() { "—" } else { value }, 10.5),
        }
    }
    if let Some(t) = &doc.table {
        l.gap(6.0);
        l.table(&t.widths, &t.headers, &t.rows, 8.0);
    }
    l.gap(16.0);
    let half_x = Layout::left() + half;
    l.text_in(half_x, half, &doc.signer_title, 10.5, Weight::Bold, Align::Center);
    if doc.hand_signed {
        l.text_in(half_x, half, "(Ký, ghi rõ họ tên)", 8.5, Weight::Regular, Align::Center);
    }
    l.gap(30.0);
    l.text_in(half_x, half, &doc.signer, 10.5, Weight::Bold, Align::Center);
    pdf::render(&l, &format!("{} — {}", doc.title, doc.reference)).map_err(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_long_table_runs_over_pages_and_stays_small() {
        let rows: Vec<Vec<String>> = (1..=120)
            .map(|i| vec![i.to_string(), format!("000.00.20.H26-261123-{i:04}"), "Cấp thẻ nhà báo".into()])
            .collect();
        let doc = FormDoc {
            number: "07",
            parent_agency: "Ủy ban nhân dân thành phố Hà Nội".into(),
            agency: "Sở Khoa học và Công nghệ".into(),
            date_line: "ngày 23 tháng 11 năm 2026".into(),
            title: "SỔ THEO DÕI HỒ SƠ".into(),
            subtitle: None,
            addressee: None,
            lines: vec![Line::Field("Kỳ".into(), "01/11/2026 – 23/11/2026".into())],
            table: Some(Table {
                headers: vec!["STT".into(), "Mã hồ sơ".into(), "Thủ tục".into()],
                widths: vec![1.0, 4.0, 5.0],
                rows,
            }),
            signer_title: "NGƯỜI LẬP SỔ".into(),
            signer: "Trần Văn Bình".into(),
            hand_signed: true,
            landscape: true,
            reference: "2026-11".into(),
        };
        let bytes = pdf(&doc).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 200_000);
        assert_eq!(doc.file_name(), "mau-07-2026-11.pdf");
    }
}
