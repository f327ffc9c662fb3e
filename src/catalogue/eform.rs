//! The e-form schema of a procedure: which fields the applicant fills in
//! (NĐ 45/2020/NĐ-CP Art. 9, interactive e-forms). The dossier module renders
//! and checks submissions against it; here we only check that a schema makes sense.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::string_enum;

string_enum! {
    pub enum FieldKind {
        Text = "text",
        Textarea = "textarea",
        Number = "number",
        Date = "date",
        Select = "select",
        Checkbox = "checkbox",
        CitizenId = "citizen_id",
        TaxCode = "tax_code",
        Phone = "phone",
        Email = "email",
        Address = "address",
        /// A group of fields, repeatable when `repeatable` is set.
        Group = "group",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSpec>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub repeatable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Schema {
    /// Parses and checks a schema; errors are reported on `field` with a code.
    pub fn parse(value: &serde_json::Value, field: &str) -> Result<Schema, FieldError> {
        let schema: Schema =
            serde_json::from_value(value.clone()).map_err(|_| FieldError::new(field, "eform_syntax"))?;
        schema.check(field)?;
        Ok(schema)
    }

    fn check(&self, field: &str) -> Result<(), FieldError> {
        check_level(&self.fields, 0).map_err(|code| FieldError::new(field, code))
    }
}

fn check_level(fields: &[FieldSpec], depth: u8) -> Result<(), &'static str> {
    let mut seen = HashSet::new();
    for f in fields {
        let valid_name = !f.name.is_empty()
            && f.name.len() <= 64
            && f.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            return Err("eform_field_name");
        }
        if !seen.insert(f.name.as_str()) {
            return Err("eform_duplicate_field");
        }
        if f.label.trim().is_empty() {
            return Err("eform_label");
        }
        match f.kind {
            FieldKind::Select if f.options.is_empty() => return Err("eform_select_options"),
            FieldKind::Group if f.fields.is_empty() || depth > 0 => return Err("eform_group"),
            FieldKind::Group => check_level(&f.fields, depth + 1)?,
            _ if !f.fields.is_empty() || f.repeatable => return Err("eform_group"),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reasonable_schema_is_accepted() {
        let v = json!({"fields": [
            {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": true},
            {"name": "loai", "label": "Loại", "type": "select", "options": [{"value": "a", "label": "A"}]},
            {"name": "thanh_vien", "label": "Thành viên", "type": "group", "repeatable": true,
             "fields": [{"name": "ten", "label": "Tên", "type": "text"}]}
        ]});
        assert_eq!(Schema::parse(&v, "eform").unwrap().fields.len(), 3);
    }

    #[test]
    fn broken_schemas_are_refused_with_a_reason() {
        let cases = [
            (json!({"fields": [{"name": "x", "label": "X", "type": "colour"}]}), "eform_syntax"),
            (json!({"fields": [{"name": "Bad Name", "label": "X", "type": "text"}]}), "eform_field_name"),
            (
                json!({"fields": [{"name": "a", "label": "A", "type": "text"}, {"name": "a", "label": "B", "type": "date"}]}),
                "eform_duplicate_field",
            ),
            (json!({"fields": [{"name": "s", "label": "S", "type": "select"}]}), "eform_select_options"),
            (json!({"fields": [{"name": "g", "label": "G", "type": "group", "fields": []}]}), "eform_group"),
            (json!([1, 2]), "eform_syntax"),
        ];
        for (value, code) in cases {
            assert_eq!(Schema::parse(&value, "eform").unwrap_err().code, code, "{value}");
        }
    }
}
