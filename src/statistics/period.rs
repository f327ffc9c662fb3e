//! A statistics period: dates in Asia/Ho_Chi_Minh, both ends included;
//! a month, a quarter, a year or any span. Read as the UTC instants
//! `[start, end)`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

use crate::error::{AppError, FieldError};
use crate::sla::local_time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// From `from` to `to` (`YYYY-MM-DD`); the year so far by default.
    pub fn parse(from: Option<&str>, to: Option<&str>, now: DateTime<Utc>) -> Result<Period, AppError> {
        let today = local_time::to_local(now).date();
        let date = |v: Option<&str>, default: NaiveDate, field: &str| match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::Validation(vec![FieldError::new(field, "invalid_date")])),
        };
        let from = date(from, today.with_ordinal(1).unwrap_or(today), "from")?;
        let to = date(to, today, "to")?;
        if to < from || (to - from).num_days() > 3660 {
            return Err(AppError::Validation(vec![FieldError::new("to", "invalid_period")]));
        }
        Ok(Period { from, to })
    }

    pub fn start(&self) -> DateTime<Utc> {
        local_time::to_utc(self.from.and_time(NaiveTime::MIN))
    }

    pub fn end(&self) -> DateTime<Utc> {
        local_time::to_utc((self.to + Duration::days(1)).and_time(NaiveTime::MIN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_whole_local_days() {
        let now = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap();
        let p = Period::parse(Some("2026-01-01"), Some("2026-03-31"), now).unwrap();
        // Midnight in Hà Nội is 17:00 UTC the day before.
        assert_eq!(p.start().to_rfc3339(), "2025-12-31T17:00:00+00:00");
        assert_eq!(p.end().to_rfc3339(), "2026-03-31T17:00:00+00:00");
        assert!(Period::parse(Some("2026-02-01"), Some("2026-01-01"), now).is_err());
        assert!(Period::parse(Some("01/02/2026"), None, now).is_err());
    }
}
