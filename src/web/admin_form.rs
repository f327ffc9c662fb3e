//! The procedure form of the admin pages: form fields to a record and back.
//!
//! Documents and fees are repeated rows; a row left blank is no row. Values
//! that cannot even be parsed (a time limit of "abc") become field errors next
//! to the rule checks of the record, so the admin sees every problem at once.

use serde::Serialize;

use super::form::FormData;
use crate::catalogue::model::{
    ApplicantType, CopyKind, FeeCollection, FeeKind, OnlineMode, ProcedureStatus, TimeLimit, TimeUnit,
};
use crate::catalogue::record::{DocumentRecord, FeeRecord, ProcedureRecord};
use crate::error::FieldError;

/// Blank rows offered for adding documents and fees.
const SPARE_ROWS: usize = 3;

/// The form's values as the template shows them.
#[derive(Debug, Serialize, Default)]
pub struct FormValues {
    pub code: String,
    pub name: String,
    pub agency_code: String,
    pub field_code: String,
    pub online_mode: String,
    pub for_citizen: bool,
    pub for_business: bool,
    pub description: String,
    pub steps: String,
    pub time_limit_days: String,
    pub time_limit_unit: String,
    pub legal_basis: String,
    pub result: String,
    pub presence_required: bool,
    pub eform_schema: String,
    pub workflow_key: String,
    pub auto_receive: bool,
    pub fee_refundable: bool,
    pub clock_waits_for_fee: bool,
    pub correction_restarts_clock: bool,
    pub documents: Vec<DocumentRow>,
    pub fees: Vec<FeeRow>,
    pub version: i32,
}

#[derive(Debug, Serialize, Default, Clone)]
pub struct DocumentRow {
    pub name: String,
    pub required: bool,
    pub copy_kind: String,
    pub quantity: String,
    pub template_file: String,
}

#[derive(Debug, Serialize, Default, Clone)]
pub struct FeeRow {
    pub kind: String,
    pub name: String,
    pub amount: String,
    pub note: String,
    pub per_item: String,
    /// When the fee is collected; empty (a spare row) means with the dossier.
    pub collected: String,
}

impl FormValues {
    pub fn blank() -> Self {
        let mut v = FormValues {
            online_mode: OnlineMode::FullOnline.as_str().into(),
            for_citizen: true,
            time_limit_unit: TimeUnit::WorkingDays.as_str().into(),
            eform_schema: "{\n  \"fields\": []\n}".into(),
            workflow_key: "mot-cua-3-buoc".into(),
            fee_refundable: true,
            clock_waits_for_fee: true,
            correction_restarts_clock: true,
            ..Default::default()
        };
        v.pad();
        v
    }

    pub fn from_record(r: &ProcedureRecord, version: i32) -> Self {
        let mut v = FormValues {
            code: r.code.clone(),
            name: r.name.clone(),
            agency_code: r.agency_code.clone(),
            field_code: r.field_code.clone(),
            online_mode: r.online_mode.as_str().into(),
            for_citizen: r.applicant_types.contains(&ApplicantType::Citizen),
            for_business: r.applicant_types.contains(&ApplicantType::Business),
            description: r.description.clone(),
            steps: r.steps.clone(),
            time_limit_days: r.time_limit.days_text(false),
            time_limit_unit: r.time_limit.unit.as_str().into(),
            legal_basis: r.legal_basis.clone(),
            result: r.result.clone(),
            presence_required: r.presence_required,
            eform_schema: serde_json::to_string_pretty(&r.eform_schema).unwrap_or_default(),
            workflow_key: r.workflow_key.clone(),
            auto_receive: r.auto_receive,
            fee_refundable: r.fee_refundable,
            clock_waits_for_fee: r.clock_waits_for_fee,
            correction_restarts_clock: r.correction_restarts_clock,
            documents: r
                .documents
                .iter()
                .map(|d| DocumentRow {
                    name: d.name.clone(),
                    required: d.required,
                    copy_kind: d.copy_kind.as_str().into(),
                    quantity: d.quantity.to_string(),
                    template_file: d.template_file.clone().unwrap_or_default(),
                })
                .collect(),
            fees: r
                .fees
                .iter()
                .map(|f| FeeRow {
                    kind: f.kind.as_str().into(),
                    name: f.name.clone(),
                    amount: f.amount_vnd.to_string(),
                    note: f.note.clone(),
                    per_item: f.per_item.clone(),
                    collected: f.collected.as_str().into(),
                })
                .collect(),
            version,
        };
        v.pad();
        v
    }

    pub fn from_form(form: &FormData) -> Self {
        let names = form.all("doc_name");
        let (required, kinds, quantities, templates) =
            (form.all("doc_required"), form.all("doc_copy_kind"), form.all("doc_quantity"), form.all("doc_template"));
        let at = |list: &[&str], i: usize| list.get(i).map_or(String::new(), |s| s.trim().to_owned());
        let documents = (0..names.len())
            .map(|i| DocumentRow {
                name: at(&names, i),
                required: at(&required, i) == "yes",
                copy_kind: at(&kinds, i),
                quantity: at(&quantities, i),
                template_file: at(&templates, i),
            })
            .filter(|d| !d.name.is_empty() || !d.template_file.is_empty())
            .collect();
        let fee_names = form.all("fee_name");
        let (fee_kinds, amounts, notes) = (form.all("fee_kind"), form.all("fee_amount"), form.all("fee_note"));
        let per_items = form.all("fee_per_item");
        let collected = form.all("fee_collected");
        let fees = (0..fee_names.len())
            .map(|i| FeeRow {
                kind: at(&fee_kinds, i),
                name: at(&fee_names, i),
                amount: at(&amounts, i),
                note: at(&notes, i),
                per_item: at(&per_items, i),
                collected: at(&collected, i),
            })
            .filter(|f| !f.name.is_empty() || !f.amount.is_empty())
            .collect();
        FormValues {
            code: form.get("code").trim().into(),
            name: form.get("name").trim().into(),
            agency_code: form.get("agency_code").into(),
            field_code: form.get("field_code").into(),
            online_mode: form.get("online_mode").into(),
            for_citizen: form.checked("for_citizen"),
            for_business: form.checked("for_business"),
            description: form.get("description").into(),
            steps: form.get("steps").into(),
            time_limit_days: form.get("time_limit_days").trim().into(),
            time_limit_unit: form.get("time_limit_unit").into(),
            legal_basis: form.get("legal_basis").into(),
            result: form.get("result").into(),
            presence_required: form.checked("presence_required"),
            eform_schema: form.get("eform_schema").into(),
            workflow_key: form.get("workflow_key").trim().into(),
            auto_receive: form.checked("auto_receive"),
            fee_refundable: form.checked("fee_refundable"),
            clock_waits_for_fee: form.checked("clock_waits_for_fee"),
            correction_restarts_clock: form.checked("correction_restarts_clock"),
            documents,
            fees,
            version: form.get("version").parse().unwrap_or(0),
        }
    }

    /// Adds the spare blank rows for the next render.
    pub fn pad(&mut self) {
        self.documents.extend(std::iter::repeat_n(
            DocumentRow { required: true, copy_kind: "copy".into(), quantity: "1".into(), ..Default::default() },
            SPARE_ROWS,
        ));
        self.fees.extend(std::iter::repeat_n(FeeRow { kind: "le_phi".into(), ..Default::default() }, SPARE_ROWS));
    }

    /// The record these values describe, or every field error found.
    pub fn to_record(&self) -> Result<ProcedureRecord, Vec<FieldError>> {
        let mut errors = Vec::new();
        let online_mode = choice(&mut errors, "online_mode", OnlineMode::parse(&self.online_mode));
        let unit = choice(&mut errors, "time_limit_unit", TimeUnit::parse(&self.time_limit_unit));
        let documents: Vec<Option<DocumentRecord>> = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let copy_kind = choice(&mut errors, &format!("documents.{i}.copy_kind"), CopyKind::parse(&d.copy_kind));
                let quantity = choice(&mut errors, &format!("documents.{i}.quantity"), d.quantity.parse::<i32>().ok());
                Some(DocumentRecord {
                    name: d.name.clone(),
                    required: d.required,
                    copy_kind: copy_kind?,
                    quantity: quantity?,
                    template_file: (!d.template_file.is_empty()).then(|| d.template_file.clone()),
                })
            })
            .collect();
        let fees: Vec<Option<FeeRecord>> = self
            .fees
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let kind = choice(&mut errors, &format!("fees.{i}.kind"), FeeKind::parse(&f.kind));
                let amount = choice(&mut errors, &format!("fees.{i}.amount_vnd"), parse_amount(&f.amount));
                let when = if f.collected.is_empty() {
                    Some(FeeCollection::Submission)
                } else {
                    FeeCollection::parse(&f.collected)
                };
                let collected = choice(&mut errors, &format!("fees.{i}.collected"), when);
                Some(FeeRecord {
                    kind: kind?,
                    name: f.name.clone(),
                    amount_vnd: amount?,
                    note: f.note.clone(),
                    per_item: f.per_item.clone(),
                    collected: collected?,
                })
            })
            .collect();
        let time_limit = unit.and_then(|u| TimeLimit::from_days_text(&self.time_limit_days, u));
        if unit.is_some() && time_limit.is_none() {
            errors.push(FieldError::new("time_limit", "time_limit"));
        }
        let eform_schema = serde_json::from_str(&self.eform_schema).ok();
        if eform_schema.is_none() {
            errors.push(FieldError::new("eform_schema", "eform_syntax"));
        }
        let applicant_types = ApplicantType::from_flags(self.for_citizen, self.for_business);
        match (online_mode, time_limit, eform_schema, errors.is_empty()) {
            (Some(online_mode), Some(time_limit), Some(eform_schema), true) => Ok(ProcedureRecord {
                code: self.code.clone(),
                name: self.name.clone(),
                agency_code: self.agency_code.clone(),
                field_code: self.field_code.clone(),
                online_mode,
                applicant_types,
                description: self.description.clone(),
                steps: self.steps.clone(),
                time_limit,
                legal_basis: self.legal_basis.clone(),
                result: self.result.clone(),
                presence_required: self.presence_required,
                status: ProcedureStatus::Draft,
                eform_schema,
                workflow_key: self.workflow_key.clone(),
                auto_receive: self.auto_receive,
                fee_refundable: self.fee_refundable,
                clock_waits_for_fee: self.clock_waits_for_fee,
                correction_restarts_clock: self.correction_restarts_clock,
                documents: documents.into_iter().flatten().collect(),
                fees: fees.into_iter().flatten().collect(),
            }),
            _ => Err(errors),
        }
    }
}

/// The value, or an error on `field` when the form's value was not one of the choices.
fn choice<T>(errors: &mut Vec<FieldError>, field: &str, value: Option<T>) -> Option<T> {
    if value.is_none() {
        errors.push(FieldError::new(field, "invalid_choice"));
    }
    value
}

/// Amounts as people type them: "1.500.000", "1 500 000" or "1500000".
fn parse_amount(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_are_read_as_typed_in_vietnam() {
        assert_eq!(parse_amount("1.500.000"), Some(1_500_000));
        assert_eq!(parse_amount("1 500 000"), Some(1_500_000));
        assert_eq!(parse_amount("0"), Some(0));
        for bad in ["", "-5", "1,5", "abc", "1e6"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
