//! The office calendar and the arithmetic of legal time limits.
//!
//! Rules implemented (REGULATIONS §9):
//! - Public offices rest on Saturday and Sunday; holidays (Bộ luật Lao động 2019
//!   Art. 112), compensatory days off (Art. 111(3)) and swapped days off are
//!   not working days; a make-up working Saturday is (yearly Bộ Nội vụ notice).
//! - A working day is the office hours, 8 hours by default ("30 ngày làm việc
//!   = 240 giờ", Hà Nội QĐ 1594/QĐ-TTPVHCC); limits in working days are
//!   counted in office minutes from the moment the clock starts.
//! - A dossier received after the cut-off hour (15:00 by default) or outside
//!   office hours counts from the next working morning ("trong ngày làm việc
//!   tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ", kept from NĐ 61/2018 Art. 20).
//! - A limit in calendar days ends with the office day it falls on; when that
//!   day is a day off, at the end of the next working day (Bộ luật Dân sự 2015
//!   Art. 148(5)); the day of receipt is not counted (Art. 147).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::string_enum;
use crate::values::{TimeLimit, TimeUnit};

string_enum! {
    pub enum DayKind {
        Holiday = "holiday",
        CompensatoryOff = "compensatory_off",
        SwappedOff = "swapped_off",
        /// A Saturday or Sunday worked in exchange for a day off.
        ExtraWorkingDay = "extra_working_day",
    }
}

/// A year's search for a working day gives up here: no real calendar has a
/// year without one, so this only guards against a broken configuration.
const MAX_DAYS_SEARCHED: u32 = 400;

#[derive(Debug, Clone)]
pub struct Calendar {
    /// Office sessions of a working day, in order, not overlapping.
    sessions: Vec<(NaiveTime, NaiveTime)>,
    rest_days: Vec<Weekday>,
    special: BTreeMap<NaiveDate, DayKind>,
    cutoff: NaiveTime,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

impl Calendar {
    pub fn new(
        sessions: Vec<(NaiveTime, NaiveTime)>,
        rest_days: Vec<Weekday>,
        special: BTreeMap<NaiveDate, DayKind>,
        cutoff: NaiveTime,
    ) -> Result<Calendar, String> {
        if sessions.is_empty() {
            return Err("office hours need at least one session".into());
        }
        if sessions.iter().any(|(a, b)| a >= b) || sessions.windows(2).any(|w| w[0].1 > w[1].0) {
            return Err("office sessions must be in order and not overlap".into());
        }
        if rest_days.len() >= 7 {
            return Err("a week needs a working day".into());
        }
        Ok(Calendar { sessions, rest_days, special, cutoff })
    }

    /// Monday to Friday, 8:00–12:00 and 13:00–17:00, cut-off 15:00.
    pub fn vietnam_default(special: BTreeMap<NaiveDate, DayKind>) -> Calendar {
        Calendar {
            sessions: vec![(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))],
            rest_days: vec![Weekday::Sat, Weekday::Sun],
            special,
            cutoff: hm(15, 0),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.special.get(&day) {
            Some(DayKind::ExtraWorkingDay) => true,
            Some(_) => false,
            None => !self.rest_days.contains(&day.weekday()),
        }
    }

    /// The first working day strictly after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        for _ in 0..MAX_DAYS_SEARCHED {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                return d;
            }
        }
        d
    }

    fn working_day_at_or_after(&self, day: NaiveDate) -> NaiveDate {
        if self.is_working_day(day) { day } else { self.next_working_day(day) }
    }

    pub fn opening(&self, day: NaiveDate) -> NaiveDateTime {
        day.and_time(self.sessions[0].0)
    }

    pub fn closing(&self, day: NaiveDate) -> NaiveDateTime {
        day.and_time(self.sessions[self.sessions.len() - 1].1)
    }

    pub fn minutes_per_day(&self) -> i64 {
        self.sessions.iter().map(|(a, b)| (*b - *a).num_minutes()).sum()
    }

    /// The first instant at or after `t` when the office works.
    pub fn next_working_instant(&self, t: NaiveDateTime) -> NaiveDateTime {
        if self.is_working_day(t.date()) {
            for (start, end) in &self.sessions {
                if t.time() < *end {
                    return t.date().and_time(t.time().max(*start));
                }
            }
        }
        self.opening(self.next_working_day(t.date()))
    }

    /// When the clock of a dossier received at `received` starts: at once
    /// during office hours before the cut-off, else the next working morning.
    pub fn clock_start(&self, received: NaiveDateTime) -> NaiveDateTime {
        let day = received.date();
        if self.is_working_day(day) && received.time() < self.cutoff {
            self.next_working_instant(received)
        } else {
            self.opening(self.next_working_day(day))
        }
    }

    /// The instant at which `minutes` of office time have passed since `start`.
    /// Time used up exactly at a session's end ends there, not at the next opening.
    pub fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        let mut left = minutes.max(0);
        let mut t = self.next_working_instant(start);
        if left == 0 {
            return t;
        }
        let full_days = (left - 1) / self.minutes_per_day();
        // Whole days are skipped in one step each, not minute by minute.
        for _ in 0..full_days {
            let next = self.next_working_day(t.date());
            t = next.and_time(t.time());
            left -= self.minutes_per_day();
        }
        loop {
            let day = t.date();
            for (s, e) in &self.sessions {
                let (s, e) = (day.and_time(*s), day.and_time(*e));
                if t >= e {
                    continue;
                }
                let from = t.max(s);
                let available = (e - from).num_minutes();
                if left <= available {
                    return from + Duration::minutes(left);
                }
                left -= available;
                t = e;
            }
            t = self.opening(self.next_working_day(day));
        }
    }

    /// Office minutes between `from` and `to` (0 when `to` is not later).
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let mut day = from.date();
        while day <= to.date() {
            if self.is_working_day(day) {
                for (s, e) in &self.sessions {
                    let (s, e) = (day.and_time(*s).max(from), day.and_time(*e).min(to));
                    if e > s {
                        total += (e - s).num_minutes();
                    }
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// The due time of `limit` for a dossier received (complete) at `received`.
    pub fn due(&self, received: NaiveDateTime, limit: TimeLimit) -> NaiveDateTime {
        match limit.unit {
            TimeUnit::WorkingDays => {
                let start = self.clock_start(received);
                if limit.hours == 0 {
                    // Same-day procedures: by the close of the day the clock starts.
                    return self.closing(start.date());
                }
                let minutes = i64::from(limit.hours) * self.minutes_per_day() / 8;
                self.add_working_minutes(start, minutes)
            }
            TimeUnit::CalendarDays => {
                let days = i64::from(limit.hours) / 24 + i64::from(limit.hours % 24 != 0);
                let last = received.date() + Duration::days(days);
                self.closing(self.working_day_at_or_after(last))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    /// The days off of public bodies in 2026 (TB 9441/TB-BNV; REGULATIONS §9.2).
    fn vn2026() -> Calendar {
        let mut special = BTreeMap::new();
        special.insert(d(2026, 1, 1), DayKind::Holiday);
        for day in 16..=20 {
            special.insert(d(2026, 2, day), DayKind::Holiday);
        }
        special.insert(d(2026, 4, 27), DayKind::CompensatoryOff);
        special.insert(d(2026, 4, 30), DayKind::Holiday);
        special.insert(d(2026, 5, 1), DayKind::Holiday);
        special.insert(d(2026, 8, 22), DayKind::ExtraWorkingDay);
        special.insert(d(2026, 8, 31), DayKind::SwappedOff);
        special.insert(d(2026, 9, 1), DayKind::Holiday);
        special.insert(d(2026, 9, 2), DayKind::Holiday);
        Calendar::vietnam_default(special)
    }

    fn working(days: i32) -> TimeLimit {
        TimeLimit { hours: days * 8, unit: TimeUnit::WorkingDays }
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        let c = vn2026();
        assert!(c.is_working_day(d(2026, 2, 13)), "Friday before Tết");
        assert!(!c.is_working_day(d(2026, 2, 14)), "Saturday");
        assert!(!c.is_working_day(d(2026, 2, 18)), "Tết");
        assert!(!c.is_working_day(d(2026, 4, 27)), "compensatory day for Giỗ Tổ on a Sunday");
        assert!(c.is_working_day(d(2026, 8, 22)), "the Saturday worked in exchange");
        assert!(!c.is_working_day(d(2026, 8, 31)), "the Monday given in exchange");
    }

    #[test]
    fn fifteen_working_days_in_an_ordinary_month() {
        let c = vn2026();
        assert_eq!(c.due(at(2026, 3, 2, 9, 0), working(15)), at(2026, 3, 23, 9, 0));
    }

    #[test]
    fn the_clock_starts_at_once_during_office_hours() {
        let c = vn2026();
        assert_eq!(c.clock_start(at(2026, 3, 2, 9, 30)), at(2026, 3, 2, 9, 30));
        assert_eq!(c.clock_start(at(2026, 3, 2, 6, 45)), at(2026, 3, 2, 8, 0), "before opening");
        assert_eq!(c.clock_start(at(2026, 3, 2, 12, 20)), at(2026, 3, 2, 13, 0), "at lunch");
    }

    #[test]
    fn received_after_the_cutoff_counts_from_the_next_working_morning() {
        let c = vn2026();
        assert_eq!(c.clock_start(at(2026, 3, 2, 15, 30)), at(2026, 3, 3, 8, 0));
        assert_eq!(c.due(at(2026, 3, 2, 15, 30), working(1)), at(2026, 3, 3, 17, 0));
        assert_eq!(c.clock_start(at(2026, 3, 6, 16, 0)), at(2026, 3, 9, 8, 0), "Friday afternoon → Monday");
        assert_eq!(c.clock_start(at(2026, 3, 7, 10, 0)), at(2026, 3, 9, 8, 0), "received on a Saturday");
    }

    #[test]
    fn a_limit_used_up_at_closing_ends_at_closing() {
        let c = vn2026();
        assert_eq!(c.due(at(2026, 3, 2, 8, 0), working(1)), at(2026, 3, 2, 17, 0));
        assert_eq!(c.due(at(2026, 3, 2, 8, 0), working(5)), at(2026, 3, 6, 17, 0));
        assert_eq!(
            c.due(at(2026, 3, 2, 8, 0), TimeLimit { hours: 4, unit: TimeUnit::WorkingDays }),
            at(2026, 3, 2, 12, 0)
        );
    }

    #[test]
    fn tet_spanning_two_weeks_is_skipped() {
        let c = vn2026();
        // Friday before Tết, 10:00, three working days: 6 h on Friday, then Tết and
        // two weekends, then Mon 23 and Tue 24 (16 h), and 2 h on Wed 25.
        assert_eq!(c.due(at(2026, 2, 13, 10, 0), working(3)), at(2026, 2, 25, 10, 0));
    }

    #[test]
    fn swapped_and_compensatory_days_move_deadlines() {
        let c = vn2026();
        // Fri 21/08 10:00 + 2 days: Sat 22/08 is worked, Mon 31/08 and 1–2/09 are off.
        assert_eq!(c.due(at(2026, 8, 21, 10, 0), working(2)), at(2026, 8, 24, 10, 0));
        assert_eq!(c.due(at(2026, 8, 28, 10, 0), working(1)), at(2026, 9, 3, 10, 0));
        assert_eq!(c.due(at(2026, 4, 24, 9, 0), working(1)), at(2026, 4, 28, 9, 0), "Giỗ Tổ's Monday off");
    }

    #[test]
    fn same_day_procedures_are_due_at_closing() {
        let c = vn2026();
        let same_day = TimeLimit { hours: 0, unit: TimeUnit::WorkingDays };
        assert_eq!(c.due(at(2026, 3, 2, 10, 0), same_day), at(2026, 3, 2, 17, 0));
        assert_eq!(c.due(at(2026, 3, 2, 15, 1), same_day), at(2026, 3, 3, 17, 0), "after 15:00 → next working day");
    }

    #[test]
    fn calendar_day_limits_ending_on_a_day_off_move_to_the_next_working_day() {
        let c = vn2026();
        let thirty = TimeLimit { hours: 30 * 24, unit: TimeUnit::CalendarDays };
        assert_eq!(c.due(at(2026, 1, 1, 10, 0), thirty), at(2026, 2, 2, 17, 0), "31/01 is a Saturday");
        let seven = TimeLimit { hours: 7 * 24, unit: TimeUnit::CalendarDays };
        assert_eq!(c.due(at(2026, 2, 9, 9, 0), seven), at(2026, 2, 23, 17, 0), "16/02 is Tết");
    }

    #[test]
    fn leap_days_count() {
        let c = Calendar::vietnam_default(BTreeMap::new());
        let one = TimeLimit { hours: 24, unit: TimeUnit::CalendarDays };
        assert_eq!(c.due(at(2028, 2, 28, 9, 0), one), at(2028, 2, 29, 17, 0));
        assert_eq!(c.due(at(2028, 2, 28, 9, 0), working(2)), at(2028, 3, 1, 9, 0));
    }

    #[test]
    fn working_minutes_between_skips_nights_lunches_and_days_off() {
        let c = vn2026();
        assert_eq!(c.working_minutes_between(at(2026, 3, 2, 11, 0), at(2026, 3, 2, 14, 0)), 120);
        assert_eq!(c.working_minutes_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 9, 0)), 120);
        assert_eq!(c.working_minutes_between(at(2026, 2, 13, 8, 0), at(2026, 2, 23, 17, 0)), 16 * 60);
        assert_eq!(c.working_minutes_between(at(2026, 3, 9, 9, 0), at(2026, 3, 6, 9, 0)), 0);
    }

    #[test]
    fn adding_then_measuring_gives_back_the_same_time() {
        let c = vn2026();
        let start = at(2026, 2, 10, 14, 37);
        for minutes in [1, 59, 480, 481, 3 * 480 + 17, 40 * 480] {
            let end = c.add_working_minutes(start, minutes);
            assert_eq!(c.working_minutes_between(start, end), minutes, "{minutes} minutes");
        }
    }

    #[test]
    fn broken_office_hours_are_refused() {
        assert!(Calendar::new(vec![], vec![], BTreeMap::new(), hm(15, 0)).is_err());
        assert!(Calendar::new(vec![(hm(13, 0), hm(12, 0))], vec![], BTreeMap::new(), hm(15, 0)).is_err());
        let all_week =
            vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        assert!(Calendar::new(vec![(hm(8, 0), hm(17, 0))], all_week, BTreeMap::new(), hm(15, 0)).is_err());
    }
}
