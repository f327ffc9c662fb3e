//! The e-form laid out for a template: each field with its input type,
//! label in the reader's language, value and error, and the rows of
//! repeatable groups (the rows given, plus one empty row to add another).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::catalogue::eform::{FieldKind, FieldSpec, Schema};
use crate::dossier::form_data::MAX_GROUP_ROWS;
use crate::i18n::Lang;

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    /// The `id` attribute: the name with dots made safe.
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    /// The `type` of the input, or `textarea`, `select`, `checkbox`, `group`.
    pub input: &'static str,
    pub inputmode: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub value: String,
    pub checked: bool,
    pub error: Option<String>,
    pub help: Option<String>,
    pub options: Vec<(String, String)>,
    pub max_length: Option<u32>,
    pub rows: Vec<GroupRow>,
}

#[derive(Debug, Serialize)]
pub struct GroupRow {
    pub index: usize,
    pub fields: Vec<FieldView>,
}

pub fn build(
    schema: &Schema,
    values: &BTreeMap<String, String>,
    errors: &HashMap<String, String>,
    lang: Lang,
) -> Vec<FieldView> {
    schema.fields.iter().map(|f| field(f, &f.name, values, errors, lang)).collect()
}

fn field(
    spec: &FieldSpec,
    name: &str,
    values: &BTreeMap<String, String>,
    errors: &HashMap<String, String>,
    lang: Lang,
) -> FieldView {
    let (input, inputmode, autocomplete) = match spec.kind {
        FieldKind::Text if name.ends_with("ho_ten") => ("text", "text", "name"),
        FieldKind::Text => ("text", "text", "off"),
        FieldKind::Textarea => ("textarea", "text", "off"),
        FieldKind::Number => ("text", "decimal", "off"),
        // The applicant's own date of birth is one a browser may fill in; other dates are not.
        FieldKind::Date if name.ends_with("ngay_sinh") => ("date", "numeric", "bday"),
        FieldKind::Date => ("date", "numeric", "off"),
        FieldKind::Select => ("select", "", ""),
        FieldKind::Checkbox => ("checkbox", "", ""),
        FieldKind::CitizenId => ("text", "numeric", "off"),
        FieldKind::TaxCode => ("text", "numeric", "off"),
        FieldKind::Phone => ("tel", "tel", "tel"),
        FieldKind::Email => ("email", "email", "email"),
        // One line: `street-address` is for a multi-line box.
        FieldKind::Address => ("text", "text", "address-line1"),
        FieldKind::Group => ("group", "", ""),
    };
    let label = match lang {
        Lang::En => spec.label_en.clone().unwrap_or_else(|| spec.label.clone()),
        Lang::Vi => spec.label.clone(),
    };
    let value = values.get(name).cloned().unwrap_or_default();
    let rows = if spec.kind == FieldKind::Group { group_rows(spec, name, values, errors, lang) } else { Vec::new() };
    FieldView {
        name: name.to_owned(),
        id: format!("f-{}", name.replace('.', "-")),
        label,
        kind: spec.kind.as_str(),
        input,
        inputmode,
        autocomplete,
        required: spec.required,
        checked: matches!(value.as_str(), "on" | "true" | "1" | "yes"),
        value,
        error: errors.get(name).cloned(),
        help: spec.help.clone(),
        options: spec.options.iter().map(|o| (o.value.clone(), o.label.clone())).collect(),
        max_length: spec.max_length,
        rows,
    }
}

fn group_rows(
    spec: &FieldSpec,
    name: &str,
    values: &BTreeMap<String, String>,
    errors: &HashMap<String, String>,
    lang: Lang,
) -> Vec<GroupRow> {
    let prefix = format!("{name}.");
    let mut given: Vec<usize> = values
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix)?.split('.').next()?.parse().ok())
        .filter(|i| *i < MAX_GROUP_ROWS)
        .collect();
    given.sort_unstable();
    given.dedup();
    let wanted = if spec.repeatable { given.len() + 1 } else { 1 };
    let next = given.last().map_or(0, |i| i + 1);
    let mut indexes = given;
    if indexes.len() < wanted.min(MAX_GROUP_ROWS) {
        indexes.push(next);
    }
    indexes
        .into_iter()
        .map(|index| GroupRow {
            index,
            fields: spec
                .fields
                .iter()
                .map(|f| field(f, &format!("{name}.{index}.{}", f.name), values, errors, lang))
                .collect(),
        })
        .collect()
}
