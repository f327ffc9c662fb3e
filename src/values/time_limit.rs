//! The legal time limit of a procedure, a value both the catalogue and the
//! pure deadline and workflow code read.

use serde::{Deserialize, Serialize};

use crate::string_enum;

string_enum! {
    pub enum TimeUnit {
        WorkingDays = "working_days",
        CalendarDays = "calendar_days",
    }
}

/// A legal time limit, kept in hours so that half days are exact: a working
/// day is 8 hours ("30 ngày làm việc = 240 giờ", Hà Nội QĐ 1594/QĐ-TTPVHCC),
/// a calendar day 24.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub hours: i32,
    pub unit: TimeUnit,
}

impl TimeLimit {
    pub fn hours_per_day(unit: TimeUnit) -> i32 {
        match unit {
            TimeUnit::WorkingDays => 8,
            TimeUnit::CalendarDays => 24,
        }
    }

    /// The limit in days of its unit, as workflow step budgets count it.
    pub fn days(&self) -> f64 {
        f64::from(self.hours) / f64::from(Self::hours_per_day(self.unit))
    }

    /// Days as shown to people: "15", "0,5" in Vietnamese, "0.5" in English.
    pub fn days_text(&self, decimal_comma: bool) -> String {
        let per_day = Self::hours_per_day(self.unit);
        let whole = self.hours / per_day;
        let half = self.hours % per_day != 0;
        match (half, decimal_comma) {
            (false, _) => whole.to_string(),
            (true, true) => format!("{whole},5"),
            (true, false) => format!("{whole}.5"),
        }
    }

    /// Parses days typed by an admin ("15", "0.5", "2,5"): whole or half days.
    pub fn from_days_text(text: &str, unit: TimeUnit) -> Option<TimeLimit> {
        let text = text.trim().replace(',', ".");
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let whole: i32 = whole.parse().ok()?;
        let half = match frac.trim_end_matches('0') {
            "" => 0,
            "5" => 1,
            _ => return None,
        };
        let per_day = Self::hours_per_day(unit);
        let hours = whole.checked_mul(per_day)?.checked_add(half * per_day / 2)?;
        (0..=per_day * 730).contains(&hours).then_some(TimeLimit { hours, unit })
    }

    pub fn is_valid(&self) -> bool {
        let per_day = Self::hours_per_day(self.unit);
        self.hours >= 0 && self.hours <= per_day * 730 && self.hours % (per_day / 2) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_take_whole_and_half_days() {
        let t = TimeLimit::from_days_text("15", TimeUnit::WorkingDays).unwrap();
        assert_eq!(t.hours, 120);
        assert_eq!(TimeLimit::from_days_text("0,5", TimeUnit::WorkingDays).unwrap().hours, 4);
        assert_eq!(TimeLimit::from_days_text("2.50", TimeUnit::CalendarDays).unwrap().hours, 60);
        assert_eq!(t.days_text(true), "15");
        assert_eq!(TimeLimit { hours: 12, unit: TimeUnit::WorkingDays }.days_text(true), "1,5");
    }

    #[test]
    fn time_limits_refuse_nonsense() {
        for bad in ["", "abc", "-1", "1.25", "100000", "1.5.5"] {
            assert!(TimeLimit::from_days_text(bad, TimeUnit::WorkingDays).is_none(), "{bad}");
        }
        assert!(!TimeLimit { hours: 3, unit: TimeUnit::WorkingDays }.is_valid());
    }
}
