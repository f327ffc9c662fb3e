//! Deadlines are reckoned in Asia/Ho_Chi_Minh time: UTC+7 all year (Việt Nam
//! keeps no daylight saving time), so a fixed offset is exact.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

pub const OFFSET_HOURS: i64 = 7;

pub fn to_local(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc() + Duration::hours(OFFSET_HOURS)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    (t - Duration::hours(OFFSET_HOURS)).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn local_time_is_seven_hours_ahead_all_year() {
        let utc = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(20, 30, 0).unwrap().and_utc();
        let local = to_local(utc);
        assert_eq!(local.to_string(), "2026-07-02 03:30:00");
        assert_eq!(to_utc(local), utc);
    }
}
