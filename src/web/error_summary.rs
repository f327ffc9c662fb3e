//! The error summary at the top of a form shown again with problems, as
//! GOV.UK's: each problem once, naming its field in words (never its key),
//! with its message, linking to the field. `static/js/error-summary.js` moves
//! the focus to it.

use std::collections::HashMap;

use super::render::Ui;
use crate::catalogue::eform::{FieldSpec, Schema};
use crate::dossier::documents::Slot;
use crate::dossier::draft::RESULT_DELIVERY;
use crate::error::FieldError;

/// The summary's items, (link, text). The form's e-form fields have ids
/// `f-<name>`, its slots `file-<position>`; `own` are the form's other fields,
/// each with the id of its name, labelled by the interface text of that name.
pub fn items(
    ui: &Ui,
    schema: &Schema,
    slots: &[Slot],
    errors: &[FieldError],
    messages: &HashMap<String, String>,
    own: &[&str],
) -> Vec<(String, String)> {
    let en = ui.lang == crate::i18n::Lang::En;
    let label = |spec: &FieldSpec| {
        if en { spec.label_en.clone().unwrap_or_else(|| spec.label.clone()) } else { spec.label.clone() }
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for e in errors {
        let message = messages.get(&e.field).cloned().unwrap_or_default();
        let (href, name) = if own.contains(&e.field.as_str()) {
            (format!("#{}", e.field), ui.t(&e.field).to_owned())
        } else if let Some(slot) = e.field.strip_prefix("documents.") {
            let name = slots.iter().find(|s| s.position.to_string() == slot).map(|s| s.name.clone());
            (format!("#file-{slot}"), name.unwrap_or_else(|| ui.t("documents").to_owned()))
        } else if e.field == "documents" {
            ("#slot-extra".to_owned(), ui.t("documents").to_owned())
        } else if e.field == RESULT_DELIVERY {
            ("#result-delivery".to_owned(), ui.t("result_delivery").to_owned())
        } else {
            // An e-form field, or a field of a row of a repeated group: `group.row.field`.
            let parts: Vec<&str> = e.field.split('.').collect();
            let top = schema.fields.iter().find(|f| f.name == parts[0]);
            let name = match (top, parts.as_slice()) {
                (Some(group), [_, row, child]) => {
                    let child = group.fields.iter().find(|f| f.name == *child).map(label).unwrap_or_default();
                    let row = row.parse::<usize>().map_or(1, |r| r + 1);
                    format!("{} {row} — {child}", label(group))
                }
                (Some(field), _) => label(field),
                (None, _) => ui.t("form_has_errors").to_owned(),
            };
            (format!("#f-{}", e.field.replace('.', "-")), name)
        };
        let item = (href, format!("{name}: {message}"));
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}
