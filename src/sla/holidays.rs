//! The days off of public bodies known to the portal until admins keep
//! them in the database (workflow and deadlines issue). 2026 from the
//! Bộ Nội vụ notice TB 9441/TB-BNV of 16/10/2025 (REGULATIONS §9.2).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::calendar::{Calendar, DayKind};

const DAYS_2026: &[(u32, u32, DayKind)] = &[
    (1, 1, DayKind::Holiday),
    (2, 16, DayKind::Holiday),
    (2, 17, DayKind::Holiday),
    (2, 18, DayKind::Holiday),
    (2, 19, DayKind::Holiday),
    (2, 20, DayKind::Holiday),
    (4, 27, DayKind::CompensatoryOff),
    (4, 30, DayKind::Holiday),
    (5, 1, DayKind::Holiday),
    (8, 22, DayKind::ExtraWorkingDay),
    (8, 31, DayKind::SwappedOff),
    (9, 1, DayKind::Holiday),
    (9, 2, DayKind::Holiday),
];

pub fn special_days() -> BTreeMap<NaiveDate, DayKind> {
    DAYS_2026.iter().filter_map(|(m, d, kind)| Some((NaiveDate::from_ymd_opt(2026, *m, *d)?, *kind))).collect()
}

/// The office calendar the portal computes appointments with.
pub fn office_calendar() -> Calendar {
    Calendar::vietnam_default(special_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn tet_2026_is_not_worked_and_the_make_up_saturday_is() {
        let cal = office_calendar();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(!cal.is_working_day(day(2, 18)));
        assert!(cal.is_working_day(day(8, 22)));
        assert!(!cal.is_working_day(day(8, 31)));
        // Received Friday 13/02 at 10:00 with one working day: Tết pushes it to Monday 23/02.
        let received = day(2, 13).and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        let due = cal.add_working_minutes(cal.clock_start(received), 8 * 60);
        assert_eq!(due.date(), day(2, 23));
    }
}
