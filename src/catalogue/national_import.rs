//! The catalogue kept in step with the national database of administrative
//! procedures (CSDLQG về TTHC; `LayDanhSachTTHC`, `LayThuTuc`): a procedure
//! new to the portal arrives as a draft for an admin to complete and
//! publish; one the national database changed arrives as a proposal listing
//! what changed, which an admin applies (a new version of the procedure,
//! kept for the dossiers submitted under it) or dismisses. Nothing here
//! publishes on its own. Pure mapping and comparison; `import` runs it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{ApplicantType, OnlineMode, ProcedureStatus};
use super::record::ProcedureRecord;
use crate::values::{TimeLimit, TimeUnit};

/// What the national record says of a procedure, in the portal's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalProcedure {
    pub code: String,
    pub name: String,
    pub agency_code: String,
    pub field_code: String,
    pub steps: String,
    pub legal_basis: String,
    pub result: String,
}

fn text(v: &Value, key: &str) -> String {
    crate::text::nfc(v[key].as_str().unwrap_or_default().trim())
}

/// Reads a `LayThuTuc` record; None without a code and a name.
pub fn read(record: &Value) -> Option<NationalProcedure> {
    let code = text(record, "MaTTHC");
    let name = text(record, "TenTTHC");
    if code.is_empty() || name.is_empty() {
        return None;
    }
    let field = &record["LINHVUCTHUCHIEN"][0];
    Some(NationalProcedure {
        code,
        name,
        agency_code: text(record, "COQUANTHUCHIEN"),
        field_code: text(field, "MALINHVUC"),
        steps: text(record, "TRINHTUTHUCHIEN"),
        legal_basis: text(record, "CANCUPHAPLY"),
        result: text(record, "KETQUATHUCHIEN"),
    })
}

/// One field the national database has otherwise than the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// `name`, `steps`, `legal_basis` or `result`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What differs between the portal's record and the national one, in the
/// fields the national record carries (an empty national field changes nothing).
pub fn changes(current: &ProcedureRecord, n: &NationalProcedure) -> Vec<Change> {
    [
        ("name", &current.name, &n.name),
        ("steps", &current.steps, &n.steps),
        ("legal_basis", &current.legal_basis, &n.legal_basis),
        ("result", &current.result, &n.result),
    ]
    .into_iter()
    .filter(|(_, before, after)| !after.is_empty() && crate::text::nfc(before.trim()) != **after)
    .map(|(field, before, after)| Change { field: field.into(), before: before.clone(), after: after.clone() })
    .collect()
}

/// The portal's record with `changes` applied.
pub fn applied(mut record: ProcedureRecord, changes: &[Change]) -> ProcedureRecord {
    for c in changes {
        let slot = match c.field.as_str() {
            "name" => &mut record.name,
            "steps" => &mut record.steps,
            "legal_basis" => &mut record.legal_basis,
            "result" => &mut record.result,
            _ => continue,
        };
        *slot = c.after.clone();
    }
    record
}

/// A draft of a procedure new to the portal: what the national record says,
/// and for the rest the most cautious defaults (information only, the
/// default workflow, no e-form) for an admin to complete before publishing.
pub fn draft(n: &NationalProcedure, workflow_key: &str) -> ProcedureRecord {
    ProcedureRecord {
        code: n.code.clone(),
        name: n.name.clone(),
        agency_code: n.agency_code.clone(),
        field_code: n.field_code.clone(),
        online_mode: OnlineMode::Information,
        applicant_types: vec![ApplicantType::Citizen],
        description: String::new(),
        steps: n.steps.clone(),
        time_limit: TimeLimit { hours: 10 * 8, unit: TimeUnit::WorkingDays },
        legal_basis: if n.legal_basis.is_empty() {
            "Theo Cơ sở dữ liệu quốc gia về thủ tục hành chính".into()
        } else {
            n.legal_basis.clone()
        },
        result: if n.result.is_empty() {
            "Theo Cơ sở dữ liệu quốc gia về thủ tục hành chính".into()
        } else {
            n.result.clone()
        },
        presence_required: false,
        status: ProcedureStatus::Draft,
        eform_schema: serde_json::json!({"fields": []}),
        workflow_key: workflow_key.into(),
        auto_receive: false,
        fee_refundable: true,
        clock_waits_for_fee: true,
        correction_restarts_clock: true,
        documents: Vec::new(),
        fees: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn national() -> Value {
        json!({"MaTTHC": "1.004227", "TenTTHC": "Cấp thẻ nhà báo (sửa đổi)", "COQUANTHUCHIEN": "000.01.00.G12",
               "LINHVUCTHUCHIEN": [{"MALINHVUC": "BAOCHI", "TENLINHVUC": "Báo chí"}],
               "TRINHTUTHUCHIEN": "Bước 1", "CANCUPHAPLY": "", "KETQUATHUCHIEN": "Thẻ nhà báo"})
    }

    #[test]
    fn a_changed_name_is_listed_and_applied_and_an_empty_national_field_changes_nothing() {
        let n = read(&national()).unwrap();
        let mut current = draft(&n, "mot-cua-3-buoc");
        current.name = "Cấp thẻ nhà báo".into();
        current.legal_basis = "Luật Báo chí 2016".into();
        let found = changes(&current, &n);
        assert_eq!(found.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), ["name"]);
        assert_eq!(found[0].before, "Cấp thẻ nhà báo");
        let after = applied(current, &found);
        assert_eq!(after.name, "Cấp thẻ nhà báo (sửa đổi)");
        assert_eq!(after.legal_basis, "Luật Báo chí 2016", "kept");
        assert!(changes(&after, &n).is_empty());
    }

    #[test]
    fn a_new_procedure_is_a_draft_that_takes_no_dossiers_yet() {
        let d = draft(&read(&national()).unwrap(), "mot-cua-3-buoc");
        assert_eq!((d.status, d.online_mode), (ProcedureStatus::Draft, OnlineMode::Information));
        assert!(!d.legal_basis.is_empty() && d.field_code == "BAOCHI");
        assert!(read(&json!({"MaTTHC": "1.1"})).is_none());
    }
}
