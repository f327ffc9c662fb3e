//! What a dossier owes: each fixed fee once, each per-item fee times the
//! count the applicant entered in the e-form field it names (at least one
//! item, at most `MAX_ITEMS`, whole items only).

use serde_json::Value;

use super::record::FeeRecord;

/// More items than this are a typing error, not a fee.
pub const MAX_ITEMS: i64 = 10_000;

/// The count entered in `field` of `form_data`, as whole items.
fn items(form_data: &Value, field: &str) -> i64 {
    let n = match form_data.get(field) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(1.0),
        Some(Value::String(s)) => s.trim().replace(',', ".").parse::<f64>().unwrap_or(1.0),
        _ => 1.0,
    };
    (n.floor() as i64).clamp(1, MAX_ITEMS)
}

/// The fees due for a dossier whose form data is `form_data`, in đồng.
pub fn due(fees: &[FeeRecord], form_data: &Value) -> i64 {
    fees.iter()
        .map(|f| if f.per_item.is_empty() { f.amount_vnd } else { f.amount_vnd * items(form_data, &f.per_item) })
        .sum()
}

/// The same for a dossier's stored form data (JSON text).
pub fn due_for(fees: &[FeeRecord], form_data: &str) -> i64 {
    due(fees, &serde_json::from_str(form_data).unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::FeeKind;
    use serde_json::json;

    fn fee(amount: i64, per_item: &str) -> FeeRecord {
        FeeRecord {
            kind: FeeKind::Phi,
            name: "Phí".into(),
            amount_vnd: amount,
            note: String::new(),
            per_item: per_item.into(),
        }
    }

    #[test]
    fn fixed_fees_once_and_per_item_fees_times_the_count() {
        let fees = [fee(100_000, ""), fee(500_000, "so_ten")];
        assert_eq!(due(&fees, &json!({"so_ten": 3})), 1_600_000);
        assert_eq!(due(&fees, &json!({"so_ten": "2"})), 1_100_000);
        assert_eq!(due(&fees, &json!({"so_ten": 0})), 600_000, "at least one item: nobody pays nothing by typing 0");
        assert_eq!(due(&fees, &json!({"so_ten": -5})), 600_000);
        assert_eq!(due(&fees, &json!({"so_ten": 2.9})), 1_100_000, "whole items");
        assert_eq!(due(&fees, &json!({})), 600_000);
        assert_eq!(due(&fees, &json!({"so_ten": 1e12})), 100_000 + 500_000 * MAX_ITEMS);
        assert_eq!(due_for(&fees, "{\"so_ten\": 4}"), 2_100_000);
    }
}
