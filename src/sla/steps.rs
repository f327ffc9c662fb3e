//! Deadlines of processing steps and the effect of pauses, on the office
//! calendar (REGULATIONS §2.1 steps 5–6, §9.3):
//! - a step's budget is whole or half working days, working hours, or a share
//!   of the procedure's limit (step budgets add up to the legal limit; a
//!   working day is 8 working hours: "30 ngày làm việc = 240 giờ", Hà Nội
//!   QĐ 1594/QĐ-TTPVHCC);
//! - a supplement request stops the clock: when the dossier comes back, the
//!   due times move by the working time it was away (QĐ 766 subtracts the
//!   interval), so a dossier is never late for time it spent with the applicant;
//! - where the workflow says the clock restarts (a corrected dossier at
//!   reception), the whole limit starts again from zero.

use chrono::NaiveDateTime;

use super::calendar::Calendar;
use crate::values::{TimeLimit, TimeUnit};

/// A step's budget, as the workflow gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepBudget {
    None,
    Days(f64),
    Hours(f64),
    Share(f64),
}

/// The due time of a step entered at `entered` (local time), or none when it has no budget.
pub fn step_due(cal: &Calendar, entered: NaiveDateTime, budget: StepBudget, limit: TimeLimit) -> Option<NaiveDateTime> {
    let limit_minutes = match limit.unit {
        TimeUnit::WorkingDays => i64::from(limit.hours) * cal.minutes_per_day() / 8,
        // A calendar-day limit shares out as if every day were a working day.
        TimeUnit::CalendarDays => i64::from(limit.hours) * cal.minutes_per_day() / 24,
    };
    let minutes = match budget {
        StepBudget::None => return None,
        StepBudget::Days(d) => (d * cal.minutes_per_day() as f64).round() as i64,
        StepBudget::Hours(h) => (h * 60.0).round() as i64,
        StepBudget::Share(x) => (x * limit_minutes as f64).round() as i64,
    };
    Some(cal.add_working_minutes(entered, minutes))
}

/// When a dossier received (complete) at `received` has only `share_left`
/// of its time limit left: the moment it is "due soon".
pub fn due_soon(cal: &Calendar, received: NaiveDateTime, limit: TimeLimit, share_left: f64) -> NaiveDateTime {
    let share_left = share_left.clamp(0.0, 1.0);
    match limit.unit {
        TimeUnit::WorkingDays => {
            let minutes = i64::from(limit.hours) * cal.minutes_per_day() / 8;
            let used = ((1.0 - share_left) * minutes as f64).round() as i64;
            cal.add_working_minutes(cal.clock_start(received), used)
        }
        TimeUnit::CalendarDays => {
            cal.due(received, limit)
                - chrono::Duration::minutes((share_left * f64::from(limit.hours) * 60.0).round() as i64)
        }
    }
}

/// A due time moved by the working time between `paused` and `resumed`.
pub fn after_pause(cal: &Calendar, due: NaiveDateTime, paused: NaiveDateTime, resumed: NaiveDateTime) -> NaiveDateTime {
    match cal.working_minutes_between(paused, resumed) {
        // Away only outside office hours: the due time stays as it was written.
        0 => due,
        away => cal.add_working_minutes(due, away),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, m: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn cal() -> Calendar {
        crate::sla::holidays::office_calendar()
    }

    const THIRTY_DAYS: TimeLimit = TimeLimit { hours: 240, unit: TimeUnit::WorkingDays };

    #[test]
    fn a_share_of_thirty_working_days() {
        // 10 % of 30 days = 3 working days from Monday 9 March 2026, 9:00.
        let due = step_due(&cal(), at(9, 3, 9, 0), StepBudget::Share(0.1), THIRTY_DAYS).unwrap();
        assert_eq!(due, at(12, 3, 9, 0));
        // Half a day from Friday 15:00 ends Monday 11:00 (4 office hours: 15–17, 8–10 … lunch aside).
        let due = step_due(&cal(), at(13, 3, 15, 0), StepBudget::Days(0.5), THIRTY_DAYS).unwrap();
        assert_eq!(due, at(16, 3, 10, 0));
        assert_eq!(step_due(&cal(), at(13, 3, 15, 0), StepBudget::None, THIRTY_DAYS), None);
        // Four working hours from Monday 9:00: three before lunch, one after it.
        let due = step_due(&cal(), at(9, 3, 9, 0), StepBudget::Hours(4.0), THIRTY_DAYS).unwrap();
        assert_eq!(due, at(9, 3, 14, 0));
    }

    #[test]
    fn due_soon_is_when_a_fifth_of_the_limit_is_left() {
        // 10 working days from Monday 9 March 2026, 9:00: due Monday 23 March 9:00; soon after 8 days.
        let ten = TimeLimit { hours: 80, unit: TimeUnit::WorkingDays };
        assert_eq!(due_soon(&cal(), at(9, 3, 9, 0), ten, 0.2), at(19, 3, 9, 0));
        assert_eq!(cal().due(at(9, 3, 9, 0), ten), at(23, 3, 9, 0));
    }

    #[test]
    fn a_step_across_tet_waits_for_the_holiday() {
        // Entered Thursday 12 February 2026 at 14:00 with 2 working days: Tết (16–20/02) in between.
        let due = step_due(&cal(), at(12, 2, 14, 0), StepBudget::Days(2.0), THIRTY_DAYS).unwrap();
        assert_eq!(due, at(23, 2, 14, 0));
    }

    #[test]
    fn a_supplement_moves_the_due_time_by_the_working_time_away() {
        // Due Friday 20 March 17:00; asked Tuesday 10 March 10:00, answered Thursday 12 March 10:00:
        // two working days away, so due Tuesday 24 March 17:00.
        let due = after_pause(&cal(), at(20, 3, 17, 0), at(10, 3, 10, 0), at(12, 3, 10, 0));
        assert_eq!(due, at(24, 3, 17, 0));
        // Away over a weekend only (Friday 17:00 to Monday 8:00): nothing moves.
        let due = after_pause(&cal(), at(20, 3, 15, 0), at(13, 3, 17, 0), at(16, 3, 8, 0));
        assert_eq!(due, at(20, 3, 15, 0));
        // Several rounds add up: each pause counts once.
        let once = after_pause(&cal(), at(20, 3, 15, 0), at(10, 3, 8, 0), at(10, 3, 12, 0));
        let twice = after_pause(&cal(), once, at(11, 3, 13, 0), at(11, 3, 17, 0));
        assert_eq!(twice, at(23, 3, 15, 0));
    }
}
