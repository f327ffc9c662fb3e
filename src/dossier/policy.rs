//! The time rules of the dossier's life that are not a workflow step
//! (REGULATIONS §2.1, steps 3, 6 and 8), on the office calendar:
//! - an online dossier is accepted or queried within 8 working hours;
//! - an unanswered supplement request closes the dossier after 15 working days;
//! - more than one supplement request counts as late (QĐ 766);
//! - the apology with its new date (form 04) is due at least one working day
//!   before the deadline, and the date moves only once.

use chrono::{DateTime, Utc};

use crate::sla::rules::TimeRules;
use crate::sla::{Calendar, local_time};

/// By when a dossier submitted at `submitted` must be accepted or queried.
pub fn accept_due(cal: &Calendar, policies: &TimeRules, submitted: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = i64::from(policies.accept_within_hours) * 60;
    local_time::to_utc(cal.add_working_minutes(local_time::to_local(submitted), minutes))
}

/// When a supplement asked at `asked` and still unanswered closes the dossier.
pub fn supplement_due(cal: &Calendar, policies: &TimeRules, asked: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = i64::from(policies.supplement_timeout_days) * cal.minutes_per_day();
    local_time::to_utc(cal.add_working_minutes(local_time::to_local(asked), minutes))
}

/// Whether an apology made at `now` for a dossier due at `due` comes later
/// than the lead the rules ask for.
pub fn apology_late(cal: &Calendar, policies: &TimeRules, now: DateTime<Utc>, due: DateTime<Utc>) -> bool {
    let left = cal.working_minutes_between(local_time::to_local(now), local_time::to_local(due));
    left < i64::from(policies.apology_lead_days) * cal.minutes_per_day()
}

/// The note of the `round`-th supplement request (1-based): a second one is
/// allowed, but said to be one, since it counts as late.
pub fn supplement_note(round: i32, what: &str) -> String {
    if round <= 1 {
        what.to_owned()
    } else {
        format!("Yêu cầu bổ sung lần {round} (tính là trễ hạn theo QĐ 766/QĐ-TTg).\n{what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::holidays::office_calendar;
    use chrono::TimeZone;

    /// Hà Nội wall-clock time as UTC.
    fn hn(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap() - chrono::Duration::hours(7)
    }

    #[test]
    fn eight_working_hours_run_over_the_night_and_the_weekend() {
        let cal = office_calendar();
        let p = TimeRules::default();
        // Friday 4 December 2026, 14:30: 2.5 hours that day, the rest on Monday.
        assert_eq!(accept_due(&cal, &p, hn(12, 4, 14, 30)), hn(12, 7, 14, 30));
        // Saturday evening: the whole of Monday.
        assert_eq!(accept_due(&cal, &p, hn(12, 5, 20, 0)), hn(12, 7, 17, 0));
    }

    #[test]
    fn an_unanswered_supplement_closes_after_fifteen_working_days() {
        let cal = office_calendar();
        // Monday 7 December 2026, 10:00 + 15 working days = Monday 28 December, 10:00.
        assert_eq!(supplement_due(&cal, &TimeRules::default(), hn(12, 7, 10, 0)), hn(12, 28, 10, 0));
    }

    #[test]
    fn the_apology_is_late_within_the_last_working_day() {
        let cal = office_calendar();
        let p = TimeRules::default();
        let due = hn(12, 14, 17, 0);
        assert!(!apology_late(&cal, &p, hn(12, 11, 17, 0), due), "a whole working day before");
        assert!(apology_late(&cal, &p, hn(12, 14, 9, 0), due));
        assert!(apology_late(&cal, &p, hn(12, 15, 9, 0), due), "after the deadline");
    }

    #[test]
    fn a_second_request_says_so() {
        assert_eq!(supplement_note(1, "Bản sao CCCD"), "Bản sao CCCD");
        assert!(supplement_note(2, "Bản sao CCCD").starts_with("Yêu cầu bổ sung lần 2"));
    }
}
