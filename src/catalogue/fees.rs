//! What a dossier owes: each fixed fee once, each per-item fee times the
//! count the applicant entered in the e-form field it names (at least one
//! item, at most `MAX_ITEMS`, whole items only).

use serde_json::Value;

use super::model::FeeCollection;
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

/// The fees due for a dossier whose form data is `form_data`, in đồng; an exempt fee is not due.
pub fn due(fees: &[FeeRecord], form_data: &Value) -> i64 {
    due_where(fees, form_data, |_| true)
}

/// The fees collected at one of the moments `when` accepts.
pub fn due_where(fees: &[FeeRecord], form_data: &Value, when: impl Fn(FeeCollection) -> bool) -> i64 {
    fees.iter()
        .filter(|f| f.collected != FeeCollection::Exempt && when(f.collected))
        .map(|f| if f.per_item.is_empty() { f.amount_vnd } else { f.amount_vnd * items(form_data, &f.per_item) })
        .sum()
}

/// The same for a dossier's stored form data (JSON text).
pub fn due_for(fees: &[FeeRecord], form_data: &str) -> i64 {
    due(fees, &serde_json::from_str(form_data).unwrap_or(Value::Null))
}

/// What must be paid before the result is issued: the fees collected with
/// the dossier and those collected before the result.
pub fn due_before_result(fees: &[FeeRecord], form_data: &str) -> i64 {
    due_where(fees, &serde_json::from_str(form_data).unwrap_or(Value::Null), FeeCollection::before_result)
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
            collected: Default::default(),
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

    #[test]
    fn an_exempt_fee_is_never_due_and_a_fee_at_the_result_is_not_due_before_it() {
        let mut fees = vec![fee(100, ""), fee(50, ""), fee(7, "")];
        fees[1].collected = FeeCollection::AtResult;
        fees[2].collected = FeeCollection::Exempt;
        assert_eq!(due(&fees, &json!({})), 150);
        assert_eq!(due_before_result(&fees, "{}"), 100);
    }
}
