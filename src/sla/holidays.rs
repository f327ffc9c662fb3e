//! The official days off the portal starts with; admins keep the calendar
//! in the database afterwards (`work_calendar`). 2026 is from the Bộ Nội vụ
//! notice TB 9441/TB-BNV of 16/10/2025 (REGULATIONS §9.2). 2025 follows the
//! year's notices as we know them, and 2027 the law (Bộ luật Lao động 2019
//! Art. 112) on the lunar calendar, without Giỗ Tổ Hùng Vương, whose 2027
//! date we could not confirm; each row's source says how sure it is, for
//! an admin to check against the year's notice.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::calendar::{Calendar, DayKind};

pub struct OfficialDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: &'static str,
    pub source: &'static str,
}

const NOTICE_2026: &str = "TB 9441/TB-BNV ngày 16/10/2025";
/// The 2025 notices as remembered, not checked against the documents here.
const NOTICES_2025: &str = "Thông báo nghỉ Tết, lễ năm 2025 cho cơ quan hành chính (chưa đối chiếu văn bản)";
/// Computed from BLLĐ 2019 Art. 112 and the lunar calendar; the year's notice may differ.
const LAW_ONLY: &str = "BLLĐ 2019 Điều 112, tính theo âm lịch; chưa có thông báo của năm";

#[rustfmt::skip]
const DAYS: &[(i32, u32, u32, DayKind, &str, &str)] = &[
    (2025, 1, 1, DayKind::Holiday, "Tết Dương lịch", NOTICES_2025),
    (2025, 1, 27, DayKind::SwappedOff, "Nghỉ hoán đổi (làm bù thứ Bảy 15/02)", NOTICES_2025),
    (2025, 1, 28, DayKind::Holiday, "Tết Nguyên đán", NOTICES_2025),
    (2025, 1, 29, DayKind::Holiday, "Tết Nguyên đán", NOTICES_2025),
    (2025, 1, 30, DayKind::Holiday, "Tết Nguyên đán", NOTICES_2025),
    (2025, 1, 31, DayKind::Holiday, "Tết Nguyên đán", NOTICES_2025),
    (2025, 2, 15, DayKind::ExtraWorkingDay, "Làm bù cho thứ Hai 27/01", NOTICES_2025),
    (2025, 4, 7, DayKind::Holiday, "Giỗ Tổ Hùng Vương", NOTICES_2025),
    (2025, 4, 26, DayKind::ExtraWorkingDay, "Làm bù cho thứ Sáu 02/05", NOTICES_2025),
    (2025, 4, 30, DayKind::Holiday, "Ngày Chiến thắng", NOTICES_2025),
    (2025, 5, 1, DayKind::Holiday, "Ngày Quốc tế lao động", NOTICES_2025),
    (2025, 5, 2, DayKind::SwappedOff, "Nghỉ hoán đổi (làm bù thứ Bảy 26/04)", NOTICES_2025),
    (2025, 9, 1, DayKind::Holiday, "Quốc khánh", NOTICES_2025),
    (2025, 9, 2, DayKind::Holiday, "Quốc khánh", NOTICES_2025),
    (2026, 1, 1, DayKind::Holiday, "Tết Dương lịch", NOTICE_2026),
    (2026, 2, 16, DayKind::Holiday, "Tết Nguyên đán", NOTICE_2026),
    (2026, 2, 17, DayKind::Holiday, "Tết Nguyên đán", NOTICE_2026),
    (2026, 2, 18, DayKind::Holiday, "Tết Nguyên đán", NOTICE_2026),
    (2026, 2, 19, DayKind::Holiday, "Tết Nguyên đán", NOTICE_2026),
    (2026, 2, 20, DayKind::Holiday, "Tết Nguyên đán", NOTICE_2026),
    (2026, 4, 27, DayKind::CompensatoryOff, "Nghỉ bù Giỗ Tổ Hùng Vương", NOTICE_2026),
    (2026, 4, 30, DayKind::Holiday, "Ngày Chiến thắng", NOTICE_2026),
    (2026, 5, 1, DayKind::Holiday, "Ngày Quốc tế lao động", NOTICE_2026),
    (2026, 8, 22, DayKind::ExtraWorkingDay, "Làm bù cho thứ Hai 31/08", NOTICE_2026),
    (2026, 8, 31, DayKind::SwappedOff, "Nghỉ hoán đổi (làm bù thứ Bảy 22/08)", NOTICE_2026),
    (2026, 9, 1, DayKind::Holiday, "Quốc khánh", NOTICE_2026),
    (2026, 9, 2, DayKind::Holiday, "Quốc khánh", NOTICE_2026),
    (2027, 1, 1, DayKind::Holiday, "Tết Dương lịch", LAW_ONLY),
    (2027, 2, 5, DayKind::Holiday, "Tết Nguyên đán", LAW_ONLY),
    (2027, 2, 8, DayKind::Holiday, "Tết Nguyên đán", LAW_ONLY),
    (2027, 2, 9, DayKind::Holiday, "Tết Nguyên đán", LAW_ONLY),
    (2027, 2, 10, DayKind::CompensatoryOff, "Nghỉ bù Tết Nguyên đán", LAW_ONLY),
    (2027, 2, 11, DayKind::CompensatoryOff, "Nghỉ bù Tết Nguyên đán", LAW_ONLY),
    (2027, 4, 30, DayKind::Holiday, "Ngày Chiến thắng", LAW_ONLY),
    (2027, 5, 3, DayKind::CompensatoryOff, "Nghỉ bù Ngày Quốc tế lao động", LAW_ONLY),
    (2027, 9, 2, DayKind::Holiday, "Quốc khánh", LAW_ONLY),
    (2027, 9, 3, DayKind::Holiday, "Quốc khánh", LAW_ONLY),
];

pub fn official_days() -> Vec<OfficialDay> {
    DAYS.iter()
        .filter_map(|(y, m, d, kind, name, source)| {
            Some(OfficialDay { day: NaiveDate::from_ymd_opt(*y, *m, *d)?, kind: *kind, name, source })
        })
        .collect()
}

pub fn special_days() -> BTreeMap<NaiveDate, DayKind> {
    official_days().into_iter().map(|d| (d.day, d.kind)).collect()
}

/// The default office calendar with the seeded days: for tests and tools;
/// the portal reads the days from the database.
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

    #[test]
    fn a_limit_from_december_runs_past_new_year_2027() {
        // 30 working days from Monday 30 November 2026, 9:00, skip 1 January 2027.
        let cal = office_calendar();
        let received = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let due = cal.add_working_minutes(cal.clock_start(received), 30 * 8 * 60);
        assert_eq!(due.date(), NaiveDate::from_ymd_opt(2027, 1, 12).unwrap());
    }

    #[test]
    fn every_seeded_day_is_distinct_and_has_its_source() {
        let days = official_days();
        assert_eq!(special_days().len(), days.len());
        assert!(days.iter().all(|d| !d.source.is_empty() && !d.name.is_empty()));
    }
}
