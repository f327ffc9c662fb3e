//! The catalogue's vocabulary: closed enums, money and time limits.

use serde::{Deserialize, Serialize};

use crate::string_enum;

string_enum! {
    /// How far a procedure can be done online (NĐ 42/2022/NĐ-CP Art. 11).
    pub enum OnlineMode {
        /// Toàn trình: the whole procedure online (formerly level 4).
        FullOnline = "full_online",
        /// Một phần: part of it online (formerly level 3).
        PartialOnline = "partial_online",
        /// Information only: the applicant goes to the counter.
        Information = "information",
    }
}

string_enum! {
    pub enum ProcedureStatus {
        Draft = "draft",
        Published = "published",
        /// Abolished procedures stay readable but take no new dossiers.
        Abolished = "abolished",
    }
}

string_enum! {
    pub enum ApplicantType {
        Citizen = "citizen",
        Business = "business",
    }
}

string_enum! {
    /// LoaiBan: 0 bản chính, 1 bản sao, 2 bản điện tử.
    pub enum CopyKind {
        Original = "original",
        Copy = "copy",
        Electronic = "electronic",
    }
}

string_enum! {
    pub enum FeeKind {
        /// Phí: a service fee.
        Phi = "phi",
        /// Lệ phí: an administrative charge.
        LePhi = "le_phi",
    }
}

string_enum! {
    pub enum TimeUnit {
        WorkingDays = "working_days",
        CalendarDays = "calendar_days",
    }
}

string_enum! {
    pub enum AgencyLevel {
        Central = "central",
        Provincial = "provincial",
    }
}

impl ApplicantType {
    /// The applicant types stored as two flags, in a stable order.
    pub fn from_flags(for_citizen: bool, for_business: bool) -> Vec<ApplicantType> {
        let mut types = Vec::with_capacity(2);
        if for_business {
            types.push(ApplicantType::Business);
        }
        if for_citizen {
            types.push(ApplicantType::Citizen);
        }
        types
    }
}

impl ProcedureStatus {
    /// Whether the public may read the procedure.
    pub fn is_public(self) -> bool {
        self != ProcedureStatus::Draft
    }
}

/// An amount of money in whole Vietnamese đồng. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Vnd(pub i64);

impl std::fmt::Display for Vnd {
    /// Vietnamese grouping: 1.500.000 đ.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{grouped} đ")
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
    fn money_is_grouped_the_vietnamese_way() {
        assert_eq!(Vnd(1_500_000).to_string(), "1.500.000 đ");
        assert_eq!(Vnd(0).to_string(), "0 đ");
        assert_eq!(Vnd(100).to_string(), "100 đ");
    }

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
