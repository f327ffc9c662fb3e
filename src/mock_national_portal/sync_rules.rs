//! What the mock national portal checks in each synced record before it
//! takes it, as the real adapter would (REGULATIONS §6.2, §6.3): required
//! fields, status codes 1–10, channel codes 1–3, dates as `yyyyMMddHHmmss`.
//! Written here from the interface, not borrowed from the portal's side,
//! so a mistake there is caught here.

use serde_json::Value;

pub const DOSSIER: &str = "DongBoHoSoMC";
pub const PROGRESS: &str = "CapNhatTienDoHoSoMC";
pub const LOOKUP: &str = "TraCuuHoSo";
pub const PROCEDURE_LIST: &str = "LayDanhSachTTHC";
pub const PROCEDURE: &str = "LayThuTuc";
/// The levels of the national scale.
pub const LEVELS: &[&str] = &["rat_hai_long", "hai_long", "khong_hai_long"];

/// The ministry's sequence number of the change a record reports: our
/// documented extension, so that an older update can be told from a newer one.
pub const SEQ_FIELD: &str = "SoThuTuCapNhat";

/// What became of one record (`error_code` in the answer's `ket_qua`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted = 0,
    /// The same change came before; nothing changed.
    Duplicate = 1,
    Invalid = 2,
    /// Older than a change already held.
    Stale = 3,
    /// Not looked at: an earlier record of the same dossier in this call failed.
    Skipped = 4,
    /// A step of a dossier the portal has not received.
    UnknownDossier = 5,
}

impl Outcome {
    pub fn message(self) -> &'static str {
        match self {
            Outcome::Accepted => "Đã tiếp nhận",
            Outcome::Duplicate => "Đã tiếp nhận trước đó, không thay đổi",
            Outcome::Invalid => "Dữ liệu không hợp lệ",
            Outcome::Stale => "Cũ hơn bản cập nhật đã nhận",
            Outcome::Skipped => "Chưa xử lý vì bản ghi trước của hồ sơ này bị từ chối",
            Outcome::UnknownDossier => "Hồ sơ chưa được đồng bộ",
        }
    }

    /// The record is held by the portal (now or from before).
    pub fn held(self) -> bool {
        matches!(self, Outcome::Accepted | Outcome::Duplicate)
    }
}

/// The fields of a `DongBoHoSoMC` record the mock files it by.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierKey {
    pub code: String,
    pub procedure_code: String,
    pub status: i64,
    pub applicant: String,
    pub received_date: String,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressKey {
    pub code: String,
    pub status: i64,
    pub seq: i64,
}

/// `yyyyMMddHHmmss`, a real date and time.
pub fn is_date(text: &str) -> bool {
    text.len() == 14
        && text.bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").is_ok()
}

struct Check<'a> {
    record: &'a Value,
    errors: Vec<String>,
}

impl<'a> Check<'a> {
    fn text(&mut self, field: &str, required: bool, max: usize) -> String {
        match self.record.get(field) {
            Some(Value::String(s)) if s.chars().count() > max => {
                self.errors.push(format!("{field}: dài quá {max} ký tự"));
                String::new()
            }
            Some(Value::String(s)) if s.contains('\0') => {
                self.errors.push(format!("{field}: chứa ký tự không hợp lệ"));
                String::new()
            }
            Some(Value::String(s)) if !s.trim().is_empty() || !required => s.clone(),
            None | Some(Value::Null) if !required => String::new(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                self.errors.push(format!("{field}: bắt buộc"));
                String::new()
            }
            Some(_) => {
                self.errors.push(format!("{field}: phải là chuỗi"));
                String::new()
            }
        }
    }

    fn code(&mut self, field: &str, allowed: std::ops::RangeInclusive<i64>) -> i64 {
        match self.record.get(field).and_then(Value::as_i64) {
            Some(n) if allowed.contains(&n) => n,
            Some(n) => {
                self.errors.push(format!("{field}: mã {n} không thuộc {}–{}", allowed.start(), allowed.end()));
                0
            }
            None => {
                self.errors.push(format!("{field}: bắt buộc, là số"));
                0
            }
        }
    }

    fn date(&mut self, field: &str, required: bool) -> String {
        let text = self.text(field, required, 14);
        if !text.is_empty() && !is_date(&text) {
            self.errors.push(format!("{field}: ngày giờ phải theo dạng yyyyMMddHHmmss"));
        }
        text
    }

    fn seq(&mut self) -> i64 {
        match self.record.get(SEQ_FIELD).and_then(Value::as_i64) {
            Some(n) if n >= 1 => n,
            _ => {
                self.errors.push(format!("{SEQ_FIELD}: bắt buộc, số nguyên dương"));
                0
            }
        }
    }

    fn list(&mut self, field: &str) {
        if !matches!(self.record.get(field), None | Some(Value::Null) | Some(Value::Array(_))) {
            self.errors.push(format!("{field}: phải là danh sách"));
        }
    }

    fn done<T>(self, value: T) -> Result<T, Vec<String>> {
        if self.errors.is_empty() { Ok(value) } else { Err(self.errors) }
    }
}

/// Checks a `DongBoHoSoMC` record (REGULATIONS §6.2).
pub fn dossier(record: &Value) -> Result<DossierKey, Vec<String>> {
    if !record.is_object() {
        return Err(vec!["bản ghi phải là đối tượng JSON".into()]);
    }
    let mut c = Check { record, errors: Vec::new() };
    let code = c.text("MaHoSo", true, 50);
    let procedure_code = c.text("MaTTHC", true, 50);
    c.text("TenTTHC", true, 1000);
    c.code("KenhThucHien", 1..=3);
    let applicant = c.text("ChuHoSo", true, 500);
    c.text("SoGiayToChuHoSo", false, 50);
    let status = c.code("TrangThaiHoSo", 1..=10);
    c.date("NgayNopHoSo", true);
    let received_date = c.date("NgayTiepNhan", false);
    for field in ["NgayHenTra", "NgayTuChoi", "NgayKetThucXuLy", "NgayTra"] {
        c.date(field, false);
    }
    for field in ["TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua"] {
        c.list(field);
    }
    let seq = c.seq();
    c.done(DossierKey { code, procedure_code, status, applicant, received_date, seq })
}

/// Checks a `CapNhatTienDoHoSoMC` record (REGULATIONS §6.3).
pub fn progress(record: &Value) -> Result<ProgressKey, Vec<String>> {
    if !record.is_object() {
        return Err(vec!["bản ghi phải là đối tượng JSON".into()]);
    }
    let mut c = Check { record, errors: Vec::new() };
    let code = c.text("MaHoSo", true, 50);
    c.text("NguoiXuLy", false, 500);
    c.date("ThoiDiemXuLy", true);
    c.text("NoiDungXuLy", false, 4000);
    let status = c.code("TrangThai", 1..=10);
    c.date("NgayBatDau", false);
    c.date("NgayKetThucTheoQuyDinh", false);
    let seq = c.seq();
    c.done(ProgressKey { code, status, seq })
}

pub struct RatingKey {
    pub code: String,
    pub seq: i64,
}

/// Checks a rating record: the dossier, the date, each criterion on the national scale.
pub fn rating(record: &Value) -> Result<RatingKey, Vec<String>> {
    if !record.is_object() {
        return Err(vec!["bản ghi phải là đối tượng JSON".into()]);
    }
    let mut c = Check { record, errors: Vec::new() };
    let code = c.text("MaHoSo", true, 50);
    c.date("NgayDanhGia", true);
    c.text("NoiDungDanhGia", false, 2000);
    match record.get("DanhSachTieuChi").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for item in list {
                let level = item.get("MucDoHaiLong").and_then(Value::as_str).unwrap_or_default();
                if item.get("MaTieuChi").and_then(Value::as_str).is_none_or(str::is_empty) || !LEVELS.contains(&level) {
                    c.errors.push(format!("DanhSachTieuChi: {item} không hợp lệ"));
                }
            }
        }
        _ => c.errors.push("DanhSachTieuChi: bắt buộc, ít nhất một tiêu chí".into()),
    }
    let seq = c.seq();
    c.done(RatingKey { code, seq })
}

/// Whether a record with sequence `seq` is new, a repeat, or older than what is held.
pub fn order(seq: i64, repeat: bool, highest: Option<i64>) -> Outcome {
    match highest {
        _ if repeat => Outcome::Duplicate,
        Some(h) if seq < h => Outcome::Stale,
        Some(h) if seq == h => Outcome::Duplicate,
        _ => Outcome::Accepted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "MaHoSo": "G12.01-261202-0001", "MaTTHC": "1.000001", "TenTTHC": "Thủ tục",
            "KenhThucHien": 2, "ChuHoSo": "Nguyễn Văn An", "TrangThaiHoSo": 2,
            "NgayNopHoSo": "20261202083000", "NgayTiepNhan": "20261202090000", "NgayHenTra": "",
            "TaiLieuNop": [], "SoThuTuCapNhat": 3,
        })
    }

    #[test]
    fn a_complete_record_is_taken_and_filed_by_its_keys() {
        let key = dossier(&good()).unwrap();
        assert_eq!(key.code, "G12.01-261202-0001");
        assert_eq!((key.status, key.seq), (2, 3));
        assert_eq!(key.received_date, "20261202090000");
    }

    #[test]
    fn each_broken_field_is_named() {
        let mut r = good();
        r["TrangThaiHoSo"] = json!(11);
        r["KenhThucHien"] = json!(0);
        r["NgayNopHoSo"] = json!("2026-12-02 08:30:00");
        r["NgayTiepNhan"] = json!("20261302090000");
        r["MaHoSo"] = json!("  ");
        r["TaiLieuNop"] = json!("x");
        r.as_object_mut().unwrap().remove("SoThuTuCapNhat");
        let errors = dossier(&r).unwrap_err();
        for field in ["TrangThaiHoSo", "KenhThucHien", "NgayNopHoSo", "NgayTiepNhan", "MaHoSo", "TaiLieuNop", SEQ_FIELD]
        {
            assert!(errors.iter().any(|e| e.starts_with(field)), "{field} in {errors:?}");
        }
        assert!(dossier(&json!([1])).is_err());
    }

    #[test]
    fn a_step_needs_its_dossier_time_and_status() {
        let step = json!({"MaHoSo": "X", "ThoiDiemXuLy": "20261202100000", "TrangThai": 4, "SoThuTuCapNhat": 1});
        assert_eq!(progress(&step).unwrap().status, 4);
        let errors = progress(&json!({"MaHoSo": "X", "TrangThai": 0, "SoThuTuCapNhat": 1})).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn newer_is_taken_equal_is_a_repeat_older_is_refused() {
        assert_eq!(order(1, false, None), Outcome::Accepted);
        assert_eq!(order(5, false, Some(4)), Outcome::Accepted);
        assert_eq!(order(4, false, Some(4)), Outcome::Duplicate);
        assert_eq!(order(3, true, Some(4)), Outcome::Duplicate);
        assert_eq!(order(3, false, Some(4)), Outcome::Stale);
    }
}
