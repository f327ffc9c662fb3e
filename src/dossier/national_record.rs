//! What the National Public Service Portal is told about a dossier
//! (REGULATIONS §6.2 `DongBoHoSoMC`, §6.3 `CapNhatTienDoHoSoMC`), and what
//! QĐ 766/QĐ-TTg reads from it (§5.2). The records are built from values at
//! the moment of the change and frozen in the outbox; delivery is the sync
//! worker's. Dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh.

use chrono::{DateTime, Utc};
use entity::dossier;
use entity::dossier_document::Origin;
use entity::supplement_round::{self, RoundStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use super::lifecycle::Entry;
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::error::AppError;
use crate::sla::local_time;

/// The outbox topic of national sync messages, ordered per dossier code.
pub const TOPIC: &str = "national_sync";
pub const DOSSIER_SERVICE: &str = "DongBoHoSoMC";
pub const PROGRESS_SERVICE: &str = "CapNhatTienDoHoSoMC";

/// A document of the dossier as the national record lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentFact {
    pub id: String,
    pub name: String,
    pub file_name: String,
    pub slot: Option<i32>,
    pub origin: Origin,
    pub url: String,
    /// 0 with the dossier, k with the answer to the k-th supplement request.
    pub round: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeeFact {
    pub name: String,
    pub kind: String,
    pub amount_vnd: i64,
    /// HinhThucThu: when it is collected.
    pub collected: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultFile {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// What the records read beyond the dossier row itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub procedure_code: String,
    pub procedure_name: String,
    pub field_code: String,
    pub field_name: String,
    pub agency_name: String,
    pub agency_code: String,
    pub documents: Vec<DocumentFact>,
    pub fees: Vec<FeeFact>,
    /// A payment of the dossier was settled as paid through the portal's gateway.
    pub paid_online: bool,
    /// Fees are due and all of them are paid, however.
    pub fees_paid: bool,
    pub rounds: Vec<supplement_round::Model>,
    pub result: Option<ResultFile>,
    /// The label of the workflow state the dossier is in after the change.
    pub step_labels: Vec<(String, String)>,
}

/// `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh.
pub fn date(t: DateTime<Utc>) -> String {
    local_time::to_local(t).format("%Y%m%d%H%M%S").to_string()
}

fn opt_date(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(date(t)))
}

/// LoaiDoiTuong: 1 citizen, 2 business; a 12-digit personal number is a citizen's.
fn applicant_type(id_number: &str) -> u8 {
    if id_number.len() == 12 && id_number.bytes().all(|b| b.is_ascii_digit()) { 1 } else { 2 }
}

/// The `DongBoHoSoMC` record of dossier `d` as it is after the change `entry`.
pub fn dossier(d: &dossier::Model, entry: &Entry, facts: &Facts, now: DateTime<Utc>) -> Value {
    let status = Some(d.status);
    let channel = d.channel;
    let kind = applicant_type(&d.applicant_id_number);
    let documents: Vec<Value> = facts
        .documents
        .iter()
        .map(|doc| {
            json!({
                "TepDinhKemId": doc.id,
                "TenTepDinhKem": doc.file_name,
                "IsDeleted": false,
                "MaThanhPhanHoSo": doc.slot.map(|s| s.to_string()).unwrap_or_default(),
                "TenThanhPhanHoSo": doc.name,
                "DuongDanTaiTepTin": doc.url,
                "DuocSoHoa": u8::from(doc.origin == Origin::CounterScan),
                "DuocTaiSuDung": u8::from(doc.origin == Origin::Reused),
                "DuocLayTuKhoDMQG": 0,
                "MaKetQuaThayThe": "",
            })
        })
        .collect();
    let fees: Vec<Value> = facts
        .fees
        .iter()
        .map(|f| {
            json!({
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": f.kind,
                "HinhThucThu": f.collected,
                "Gia": f.amount_vnd,
                "LoaiPhiLePhi": 1,
            })
        })
        .collect();
    let rounds: Vec<Value> = facts
        .rounds
        .iter()
        .map(|r| {
            json!({
                // The round's number: stable for the dossier, known before the row is written.
                "HoSoBoSungId": r.round,
                "NguoiYeuCauBoSung": r.requested_by,
                "NoiDungBoSung": r.content,
                "NgayBoSung": date(r.requested_at),
                "NguoiTiepNhanBoSung": r.received_by.clone().unwrap_or_default(),
                "ThongTinTiepNhan": r.answer_note.clone().unwrap_or_default(),
                "NgayTiepNhanBoSung": opt_date(r.answered_at),
                "TrangThaiBoSung": match r.status {
                    RoundStatus::Open => 0,
                    RoundStatus::Answered => 1,
                    RoundStatus::Expired => 2,
                },
                "DanhSachGiayToBoSung": facts
                    .documents
                    .iter()
                    .filter(|doc| doc.round == r.round)
                    .map(|doc| json!({
                        "TepDinhKemId": doc.id,
                        "TenGiayTo": doc.name,
                        "TenTepDinhKem": doc.file_name,
                        "DuongDanTaiTepTin": doc.url,
                    }))
                    .collect::<Vec<_>>(),
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": opt_date(r.due_before),
                "NgayHenTraMoi": opt_date(r.due_after),
            })
        })
        .collect();
    let results: Vec<Value> = facts
        .result
        .iter()
        .map(|r| {
            json!({
                "TenGiayTo": r.name,
                "MaThanhPhanHoSo": "",
                "GiayToId": r.id,
                "DuongDanTepTinKetQua": r.url,
                "MaGiayToKetQua": "KQ.DVC.KETQUA",
            })
        })
        .collect();
    let refused = status == Some(DossierStatus::Refused);
    let returned = status == Some(DossierStatus::Returned);
    let mut record = json!({
        "MaHoSo": d.code,
        "MaTTHC": facts.procedure_code,
        "TenTTHC": facts.procedure_name,
        "MaLinhVuc": facts.field_code,
        "TenLinhVuc": facts.field_name,
        "KenhThucHien": channel.national_code(),
        "TrichYeuHoSo": format!("{} - {}", facts.procedure_name, d.applicant_name),
        "ChuHoSo": d.applicant_name,
        "LoaiDoiTuong": kind,
        "MaDoiTuong": "",
        "SoGiayToChuHoSo": d.applicant_id_number,
        "DinhDanhCHS": [{"LoaiDinhDanh": kind, "SoDinhDanh": d.applicant_id_number}],
        "ThongTinKhac": d.applicant_address,
        "Email": d.applicant_email,
        "Fax": "",
        "SoDienThoai": d.applicant_phone,
    });
    // In parts: one `json!` of every field overflows the macro's recursion limit.
    let dates = json!({
        "NgayNopHoSo": opt_date(d.submitted_at),
        "NgayTiepNhan": opt_date(d.received_at),
        "NgayHenTra": opt_date(d.due_at),
        "NgayHenTraBanDau": opt_date(d.first_due_at),
        "NgayTuChoi": opt_date(d.closed_at.filter(|_| refused)),
        "NgayKetThucXuLy": opt_date(d.finished_at),
        "NgayTra": opt_date(d.closed_at.filter(|_| returned)),
    });
    let state = json!({
        "TrangThaiHoSo": status.and_then(DossierStatus::national_code),
        "ThongTinTra": d.result_delivery.label(),
        "HinhThuc": d.result_delivery.national_code(),
        "DonViXuLy": facts.agency_name,
        // Our extension: the processing agency's code, which the national side keys its figures by.
        "MaCoQuan": facts.agency_code,
        "NoiNopHoSo": channel.national_code(),
        "GhiChu": entry.note,
        "HoSoCoThanhPhanSoHoa": u8::from(facts.documents.iter().any(|d| d.origin == Origin::Reused)),
        "TaiKhoanDuocXacThucVoiVNeID": u8::from(d.vneid_verified),
        "DuocThanhToanTrucTuyen": if facts.paid_online { 2 } else { 0 },
        "TrangThaiThanhToan": u8::from(facts.fees_paid),
        "DSKetNoiCSDL": [],
    });
    let lists = json!({
        "TaiLieuNop": documents,
        "DanhSachLePhi": fees,
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": rounds,
        "DanhSachGiayToKetQua": results,
        "TreHan": d.late_at.is_some(),
        "NgayXinLoi": opt_date(d.apology_at),
        "ThoiDiemDongBo": date(now),
    });
    for part in [dates, state, lists] {
        if let (Value::Object(all), Value::Object(more)) = (&mut record, part) {
            all.extend(more);
        }
    }
    record
}

/// The `CapNhatTienDoHoSoMC` record of a step (reception is the first).
pub fn progress(d: &dossier::Model, entry: &Entry, actor: &Actor, facts: &Facts, now: DateTime<Utc>) -> Value {
    let label = |key: &Option<String>| {
        key.as_ref()
            .and_then(|k| facts.step_labels.iter().find(|(s, _)| s == k))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    json!({
        "MaHoSo": d.code,
        "NguoiXuLy": actor.label,
        "ChucDanh": actor.role.clone().unwrap_or_default(),
        "ThoiDiemXuLy": date(now),
        "PhongBanXuLy": facts.agency_name,
        "NoiDungXuLy": if entry.note.is_empty() { label(&entry.to_state) } else { entry.note.clone() },
        "TrangThai": d.status.national_code(),
        "BuocXuLy": label(&entry.to_state),
        "NgayBatDau": opt_date(d.step_started_at),
        "NgayKetThucTheoQuyDinh": opt_date(d.step_due_at),
    })
}

/// Loads the facts of dossier `d` in the caller's transaction.
pub async fn load(db: &impl ConnectionTrait, d: &dossier::Model, public_url: &str) -> Result<Facts, AppError> {
    let procedure = crate::catalogue::revisions::of_dossier(db, d).await?;
    let attached = super::documents::list(db, d.id).await?;
    let paid = crate::payment::paid(db, d.id).await?;
    let workflow = super::process::workflow_of(db, d).await?;
    let read = Read { procedure: &procedure, attached: &attached, paid, workflow: workflow.as_deref() };
    load_with(db, d, public_url, read).await
}

/// What a caller already read of dossier `d` in its transaction, so that
/// the facts do not read it again (a workflow step reads all of it first).
pub struct Read<'a> {
    pub procedure: &'a crate::catalogue::view::ProcedureView,
    pub attached: &'a [super::documents::Attached],
    /// What was paid (`payment::paid`).
    pub paid: crate::payment::Paid,
    pub workflow: Option<&'a crate::workflow::model::Workflow>,
}

/// As `load`, from what the caller read.
pub async fn load_with(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    public_url: &str,
    read: Read<'_>,
) -> Result<Facts, AppError> {
    let p = read.procedure;
    let documents = read
        .attached
        .iter()
        .map(|a| DocumentFact {
            url: format!("{public_url}/ho-so/{}/tep/{}", d.public_id, a.upload_id),
            id: a.upload_id.clone(),
            name: a.name.clone(),
            file_name: a.file_name.clone(),
            slot: a.slot,
            origin: a.origin,
            round: a.round,
        })
        .collect();
    let paid_online = read.paid.online;
    let due = crate::catalogue::fees::due_for(&p.record.fees, &d.form_data);
    let fees_paid = due > 0 && read.paid.vnd >= due;
    // A round is only ever opened with the count moved (lifecycle `ask`): a
    // dossier never asked for papers has none to read.
    let rounds = match d.supplement_count {
        0 => Vec::new(),
        _ => {
            supplement_round::Entity::find()
                .filter(supplement_round::Column::DossierId.eq(d.id))
                .order_by_asc(supplement_round::Column::Round)
                .all(db)
                .await?
        }
    };
    let result = match d.result_upload_id {
        Some(upload) => result_file(db, d, upload, public_url).await?,
        None => None,
    };
    let step_labels = match read.workflow {
        Some(wf) => wf.states.iter().map(|s| (s.key.clone(), s.label.clone())).collect(),
        None => Vec::new(),
    };
    Ok(Facts { documents, paid_online, fees_paid, rounds, result, step_labels, ..procedure_facts(p) })
}

/// What the records read of the procedure, the same for all its dossiers.
pub fn procedure_facts(p: &crate::catalogue::view::ProcedureView) -> Facts {
    Facts {
        procedure_code: p.record.code.clone(),
        procedure_name: p.record.name.clone(),
        field_code: p.record.field_code.clone(),
        field_name: p.field_name.clone(),
        agency_name: p.agency_name.clone(),
        agency_code: p.record.agency_code.clone(),
        fees: p
            .record
            .fees
            .iter()
            .map(|f| FeeFact {
                name: f.name.clone(),
                kind: f.kind.as_str().into(),
                amount_vnd: f.amount_vnd,
                collected: f.collected.national_code(),
            })
            .collect(),
        ..Facts::default()
    }
}

/// The result document `upload` of `d`, as the record links it.
pub async fn result_file(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    upload: i64,
    public_url: &str,
) -> Result<Option<ResultFile>, AppError> {
    let Some(file) = entity::upload::Entity::find_by_id(upload).one(db).await? else { return Ok(None) };
    Ok(Some(ResultFile {
        id: file.public_id.clone(),
        name: file.file_name.clone(),
        url: format!("{public_url}/ho-so/{}/ket-qua", d.public_id),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_local_and_compact() {
        let t = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap(); // 2026-01-01 00:00 UTC
        assert_eq!(date(t), "20260101070000");
    }

    #[test]
    fn a_personal_number_is_a_citizen_and_a_tax_code_a_business() {
        assert_eq!(applicant_type("001090012345"), 1);
        assert_eq!(applicant_type("0101234567"), 2);
    }
}
