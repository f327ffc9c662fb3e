//! A procedure as exchanged: the JSON of the API, of catalogue import and
//! export, and the input of the admin pages once parsed. Validation lives here
//! so every way in applies the same rules.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use super::eform::Schema;
use super::model::{ApplicantType, CopyKind, FeeCollection, FeeKind, OnlineMode, ProcedureStatus, TimeLimit};
use crate::error::{FieldError, field_errors};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProcedureRecord {
    #[validate(custom(function = "procedure_code"))]
    pub code: String,
    #[validate(length(min = 5, max = 500, code = "length_5_500"))]
    pub name: String,
    #[validate(length(min = 1, code = "required"))]
    pub agency_code: String,
    #[validate(length(min = 1, code = "required"))]
    pub field_code: String,
    pub online_mode: OnlineMode,
    #[validate(length(min = 1, code = "applicant_types"))]
    pub applicant_types: Vec<ApplicantType>,
    #[validate(length(max = 20000, code = "too_long"))]
    pub description: String,
    #[validate(length(max = 20000, code = "too_long"))]
    pub steps: String,
    #[validate(custom(function = "time_limit"))]
    pub time_limit: TimeLimit,
    #[validate(length(min = 1, max = 5000, code = "required"))]
    pub legal_basis: String,
    #[validate(length(min = 1, max = 2000, code = "required"))]
    pub result: String,
    pub presence_required: bool,
    pub status: ProcedureStatus,
    pub eform_schema: serde_json::Value,
    #[validate(custom(function = "workflow_key"))]
    pub workflow_key: String,
    /// Online dossiers are received at once, without a reception officer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_receive: bool,
    /// A paid fee is returned when the dossier is refused or withdrawn.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub fee_refundable: bool,
    /// The time limit of an online dossier runs only once its fee collected
    /// with the dossier is paid: it is received then (NĐ 297/2025 Art. 6;
    /// REGULATIONS marks applying it to every procedure unverified).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub clock_waits_for_fee: bool,
    /// A dossier corrected at reception starts its limit again; otherwise
    /// the time with the applicant is only subtracted (REGULATIONS §2.1 step 6, unverified).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub correction_restarts_clock: bool,
    #[validate(nested, length(max = 50, code = "too_many"))]
    pub documents: Vec<DocumentRecord>,
    #[validate(nested, length(max = 20, code = "too_many"))]
    pub fees: Vec<FeeRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord {
    #[validate(length(min = 2, max = 500, code = "required"))]
    pub name: String,
    pub required: bool,
    pub copy_kind: CopyKind,
    #[validate(range(min = 1, max = 20, code = "quantity"))]
    pub quantity: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "safe_file_name"))]
    pub template_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct FeeRecord {
    pub kind: FeeKind,
    #[validate(length(min = 2, max = 500, code = "required"))]
    pub name: String,
    /// Whole đồng; money is never a float.
    #[validate(range(min = 0, max = 1_000_000_000_000i64, code = "amount"))]
    pub amount_vnd: i64,
    #[serde(default)]
    #[validate(length(max = 500, code = "too_long"))]
    pub note: String,
    /// When it is collected; with the dossier unless said otherwise.
    #[serde(default, skip_serializing_if = "FeeCollection::is_default")]
    pub collected: FeeCollection,
    /// Per item: the e-form's number field whose value multiplies the amount; empty for a fixed fee.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[validate(length(max = 64, code = "too_long"))]
    pub per_item: String,
}

impl ProcedureRecord {
    /// All field errors of the record (not yet the ones that need the database,
    /// such as an unknown agency), sorted by field.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = match self.validate() {
            Ok(()) => Vec::new(),
            Err(e) => field_errors(&e),
        };
        if let Err(e) = Schema::parse(&self.eform_schema, "eform_schema") {
            errors.push(e);
        }
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        errors
    }

    /// The applicant types without repeats, in a stable order.
    pub fn normalise(&mut self) {
        self.applicant_types.sort_by_key(|t| t.as_str());
        self.applicant_types.dedup();
        for text in [&mut self.name, &mut self.description, &mut self.steps, &mut self.legal_basis, &mut self.result] {
            *text = crate::text::nfc(text);
        }
        for d in &mut self.documents {
            d.name = crate::text::nfc(&d.name);
        }
        for f in &mut self.fees {
            f.name = crate::text::nfc(&f.name);
            f.note = crate::text::nfc(&f.note);
        }
    }
}

/// National procedure codes: `1.004227`, `2.000908`, provincial `1.000948.H38`.
pub fn is_procedure_code(code: &str) -> bool {
    let mut parts = code.split('.');
    let head_ok = parts.next().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let body_ok = parts.next().is_some_and(|p| p.len() >= 3 && p.chars().all(|c| c.is_ascii_digit()));
    let tail_ok = parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    code.len() <= 64 && head_ok && body_ok && tail_ok
}

fn procedure_code(code: &str) -> Result<(), ValidationError> {
    if is_procedure_code(code) { Ok(()) } else { Err(ValidationError::new("procedure_code")) }
}

fn time_limit(t: &TimeLimit) -> Result<(), ValidationError> {
    if t.is_valid() { Ok(()) } else { Err(ValidationError::new("time_limit")) }
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

fn workflow_key(key: &str) -> Result<(), ValidationError> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok { Ok(()) } else { Err(ValidationError::new("workflow_key")) }
}

fn safe_file_name(name: &str) -> Result<(), ValidationError> {
    let ok = !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok { Ok(()) } else { Err(ValidationError::new("template_file")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_provincial_codes_are_accepted() {
        for code in ["1.004227", "2.000908", "1.000948.H38", "2.001218.000.00.00.H38"] {
            assert!(is_procedure_code(code), "{code}");
        }
        for code in ["", "1", "abc", "1.0a", "1..2", "1.004227.", "1.004227.h38", "1.00 4"] {
            assert!(!is_procedure_code(code), "{code}");
        }
    }
}
