//! Checking what an applicant typed into a procedure's e-form against its
//! schema, on the server, whatever the browser did. Values come as form
//! fields (`ho_ten`, and `thanh_vien.0.ten` for the rows of a repeatable
//! group); the result is the dossier's form data as JSON, normalised
//! (ISO dates, tax codes with their branch suffix, phones starting with 0).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::catalogue::eform::{FieldKind, FieldSpec, Schema};
use crate::error::FieldError;

/// Rows of a repeatable group beyond this are refused.
pub const MAX_GROUP_ROWS: usize = 50;
const DEFAULT_MAX_TEXT: usize = 1000;
const DEFAULT_MAX_TEXTAREA: usize = 5000;

/// Validates `input` against `schema`: the form data, or every field error.
pub fn check(schema: &Schema, input: &BTreeMap<String, String>) -> Result<Value, Vec<FieldError>> {
    let mut errors = Vec::new();
    let data = check_fields(&schema.fields, "", input, &mut errors);
    if errors.is_empty() { Ok(Value::Object(data)) } else { Err(errors) }
}

fn check_fields(
    fields: &[FieldSpec],
    prefix: &str,
    input: &BTreeMap<String, String>,
    errors: &mut Vec<FieldError>,
) -> Map<String, Value> {
    let mut data = Map::new();
    for field in fields {
        let name = format!("{prefix}{}", field.name);
        if field.kind == FieldKind::Group {
            data.insert(field.name.clone(), check_group(field, &name, input, errors));
            continue;
        }
        let raw = input.get(&name).map(|v| v.trim()).unwrap_or_default();
        match check_value(field, raw) {
            Ok(value) => {
                data.insert(field.name.clone(), value);
            }
            Err(code) => errors.push(FieldError::new(name, code)),
        }
    }
    data
}

fn check_group(field: &FieldSpec, name: &str, input: &BTreeMap<String, String>, errors: &mut Vec<FieldError>) -> Value {
    let row_prefix = format!("{name}.");
    let mut rows: Vec<usize> = input
        .iter()
        .filter(|(k, v)| k.starts_with(&row_prefix) && !v.trim().is_empty())
        .filter_map(|(k, _)| k[row_prefix.len()..].split('.').next()?.parse().ok())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let limit = if field.repeatable { MAX_GROUP_ROWS } else { 1 };
    if rows.len() > limit || rows.iter().any(|r| *r >= MAX_GROUP_ROWS) {
        errors.push(FieldError::new(name, "too_many"));
        return Value::Array(Vec::new());
    }
    if field.required && rows.is_empty() {
        errors.push(FieldError::new(name, "required"));
    }
    let entries: Vec<Value> = rows
        .iter()
        .map(|row| Value::Object(check_fields(&field.fields, &format!("{name}.{row}."), input, errors)))
        .collect();
    if field.repeatable { Value::Array(entries) } else { entries.into_iter().next().unwrap_or(Value::Null) }
}

/// One value, normalised, or the code of the rule it breaks.
fn check_value(field: &FieldSpec, raw: &str) -> Result<Value, &'static str> {
    if field.kind == FieldKind::Checkbox {
        let checked = matches!(raw, "on" | "true" | "1" | "yes");
        return if field.required && !checked { Err("must_check") } else { Ok(Value::Bool(checked)) };
    }
    if raw.is_empty() {
        return if field.required { Err("required") } else { Ok(Value::Null) };
    }
    let text = crate::text::nfc(raw);
    let max = field
        .max_length
        .map_or(if field.kind == FieldKind::Textarea { DEFAULT_MAX_TEXTAREA } else { DEFAULT_MAX_TEXT }, |m| {
            m as usize
        });
    if text.chars().count() > max {
        return Err("too_long");
    }
    // Line breaks only where a text may have lines; no control character anywhere.
    let lines_allowed = field.kind == FieldKind::Textarea;
    if crate::text::has_forbidden_control(&text) || (!lines_allowed && !crate::text::is_one_line(&text)) {
        return Err("control_characters");
    }
    match field.kind {
        FieldKind::Text | FieldKind::Textarea | FieldKind::Address => Ok(Value::String(text)),
        FieldKind::Number => number(&text).ok_or("not_a_number"),
        FieldKind::Date => date(&text).map(|d| json!(d.format("%Y-%m-%d").to_string())).ok_or("not_a_date"),
        FieldKind::Select => {
            field.options.iter().any(|o| o.value == text).then_some(Value::String(text)).ok_or("invalid_choice")
        }
        FieldKind::CitizenId => (text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()))
            .then_some(Value::String(text))
            .ok_or("citizen_id"),
        FieldKind::TaxCode => tax_code(&text).map(Value::String).ok_or("tax_code"),
        FieldKind::Phone => phone(&text).map(Value::String).ok_or("phone"),
        FieldKind::Email => {
            text.parse::<lettre::Address>().is_ok().then(|| Value::String(text.to_lowercase())).ok_or("email")
        }
        FieldKind::Checkbox | FieldKind::Group => Err("invalid_choice"),
    }
}

/// The form fields that give `data` back: JSON from an integrator or an
/// earlier dossier, turned into what `check` reads (`group.0.field`).
pub fn flatten(data: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = data {
        flatten_into(map, "", &mut out);
    }
    out
}

fn flatten_into(map: &Map<String, Value>, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in map {
        let name = format!("{prefix}{key}");
        match value {
            Value::Null => {}
            Value::Bool(b) => {
                if *b {
                    out.insert(name, "on".into());
                }
            }
            Value::Number(n) => {
                out.insert(name, n.to_string());
            }
            Value::String(s) => {
                out.insert(name, s.clone());
            }
            Value::Object(inner) => flatten_into(inner, &format!("{name}.0."), out),
            Value::Array(rows) => {
                for (i, row) in rows.iter().take(MAX_GROUP_ROWS + 1).enumerate() {
                    if let Value::Object(inner) = row {
                        flatten_into(inner, &format!("{name}.{i}."), out);
                    }
                }
            }
        }
    }
}

/// Whole numbers, or decimals written with a comma or a point.
fn number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(json!(n));
    }
    let normalised = text.replace(',', ".");
    let (whole, fraction) = normalised.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let whole_ok = digits(whole.trim_start_matches('-'));
    (whole_ok && digits(fraction)).then_some(Value::String(normalised))
}

/// Dates as Vietnamese write them (dd/mm/yyyy) or as a date input sends them.
fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y")).ok()
}

/// Mã số thuế: 10 digits, or 13 with the branch suffix (written 10-3).
fn tax_code(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        10 => Some(digits),
        13 => Some(format!("{}-{}", &digits[..10], &digits[10..])),
        _ => None,
    }
}

/// Vietnamese phone numbers: 10 or 11 digits starting with 0; +84 becomes 0.
fn phone(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let national =
        match compact.strip_prefix("+84").or_else(|| compact.strip_prefix("84").filter(|_| compact.len() == 11)) {
            Some(rest) => format!("0{rest}"),
            None => compact,
        };
    let ok = national.starts_with('0')
        && (10..=11).contains(&national.len())
        && national.chars().all(|c| c.is_ascii_digit());
    ok.then_some(national)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::parse(
            &json!({"fields": [
                {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": true, "max_length": 20},
                {"name": "so_dinh_danh", "label": "Số định danh", "type": "citizen_id", "required": true},
                {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date"},
                {"name": "so_luong", "label": "Số lượng", "type": "number"},
                {"name": "loai", "label": "Loại", "type": "select", "options": [{"value": "moi", "label": "Mới"}]},
                {"name": "mst", "label": "MST", "type": "tax_code"},
                {"name": "dt", "label": "Điện thoại", "type": "phone"},
                {"name": "email", "label": "Email", "type": "email"},
                {"name": "cam_doan", "label": "Cam đoan", "type": "checkbox", "required": true},
                {"name": "thanh_vien", "label": "Thành viên", "type": "group", "repeatable": true,
                 "fields": [{"name": "ten", "label": "Tên", "type": "text", "required": true}]}
            ]}),
            "eform",
        )
        .unwrap()
    }

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn good_input_is_normalised() {
        let data = check(
            &schema(),
            &input(&[
                ("ho_ten", "  Nguyễn Văn An "),
                ("so_dinh_danh", "001090012345"),
                ("ngay_sinh", "05/09/1990"),
                ("so_luong", "3"),
                ("loai", "moi"),
                ("mst", "0101234567001"),
                ("dt", "+84 912 345 678"),
                ("email", "An@Example.vn"),
                ("cam_doan", "on"),
                ("thanh_vien.0.ten", "Bình"),
                ("thanh_vien.2.ten", "Cường"),
                ("khong_co_trong_mau", "bị bỏ qua"),
            ]),
        )
        .unwrap();
        assert_eq!(data["ho_ten"], "Nguyễn Văn An");
        assert_eq!(data["ngay_sinh"], "1990-09-05");
        assert_eq!(data["so_luong"], 3);
        assert_eq!(data["mst"], "0101234567-001");
        assert_eq!(data["dt"], "0912345678");
        assert_eq!(data["email"], "an@example.vn");
        assert_eq!(data["thanh_vien"], json!([{"ten": "Bình"}, {"ten": "Cường"}]));
        assert!(data.get("khong_co_trong_mau").is_none());
    }

    #[test]
    fn every_broken_field_is_named_with_its_rule() {
        let errors = check(
            &schema(),
            &input(&[
                ("ho_ten", "Một cái tên dài hơn hai mươi ký tự"),
                ("so_dinh_danh", "12345"),
                ("ngay_sinh", "31/02/2020"),
                ("so_luong", "ba"),
                ("loai", "cu"),
                ("mst", "01012345"),
                ("dt", "12345"),
                ("email", "khong-phai-email"),
            ]),
        )
        .unwrap_err();
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            found,
            vec![
                ("ho_ten", "too_long"),
                ("so_dinh_danh", "citizen_id"),
                ("ngay_sinh", "not_a_date"),
                ("so_luong", "not_a_number"),
                ("loai", "invalid_choice"),
                ("mst", "tax_code"),
                ("dt", "phone"),
                ("email", "email"),
                ("cam_doan", "must_check"),
            ]
        );
    }

    #[test]
    fn checked_data_flattens_back_to_the_same_data() {
        let pairs = [
            ("ho_ten", "Nguyễn Văn An"),
            ("so_dinh_danh", "001090012345"),
            ("so_luong", "3"),
            ("cam_doan", "on"),
            ("thanh_vien.0.ten", "Bình"),
            ("thanh_vien.1.ten", "Cường"),
        ];
        let data = check(&schema(), &input(&pairs)).unwrap();
        assert_eq!(check(&schema(), &flatten(&data)).unwrap(), data);
    }

    #[test]
    fn required_fields_and_group_rows_are_enforced() {
        let errors = check(&schema(), &input(&[("thanh_vien.0.ghi_chu", "x"), ("thanh_vien.1.ten", "")])).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"ho_ten") && fields.contains(&"so_dinh_danh") && fields.contains(&"cam_doan"));
        assert!(fields.contains(&"thanh_vien.0.ten"), "a row that exists needs its required fields: {fields:?}");
        let too_many: Vec<(String, String)> =
            (0..=MAX_GROUP_ROWS).map(|i| (format!("thanh_vien.{i}.ten"), "A".into())).collect();
        let pairs: Vec<(&str, &str)> = too_many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let errors = check(&schema(), &input(&pairs)).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "thanh_vien" && e.code == "too_many"));
    }
}
