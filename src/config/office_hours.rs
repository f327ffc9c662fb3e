//! Office hours as configured: the sessions of a working day, the weekly
//! days of rest, and the cut-off hour after which a dossier counts from the
//! next working morning. Defaults: Monday to Friday, 8:00–12:00 and
//! 13:00–17:00 (an 8-hour day), cut-off 15:00, in Asia/Ho_Chi_Minh.

use chrono::{NaiveTime, Weekday};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    pub sessions: Vec<(NaiveTime, NaiveTime)>,
    pub rest_days: Vec<Weekday>,
    pub cutoff: NaiveTime,
}

impl Default for OfficeHours {
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
        OfficeHours {
            sessions: vec![(t(8), t(12)), (t(13), t(17))],
            rest_days: vec![Weekday::Sat, Weekday::Sun],
            cutoff: t(15),
        }
    }
}

/// `08:00-12:00,13:00-17:00`
pub fn parse_sessions(text: &str) -> Option<Vec<(NaiveTime, NaiveTime)>> {
    text.split(',')
        .map(|part| {
            let (a, b) = part.trim().split_once('-')?;
            Some((
                NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?,
                NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?,
            ))
        })
        .collect()
}

/// `sat,sun`
pub fn parse_rest_days(text: &str) -> Option<Vec<Weekday>> {
    text.split(',').filter(|s| !s.trim().is_empty()).map(|d| d.trim().parse::<Weekday>().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_hours_are_read_as_written() {
        assert_eq!(parse_sessions("08:00-12:00,13:00-17:00"), Some(OfficeHours::default().sessions));
        assert_eq!(parse_rest_days("sat, sun"), Some(vec![Weekday::Sat, Weekday::Sun]));
        assert_eq!(parse_sessions("8h-12h"), None);
        assert_eq!(parse_rest_days("someday"), None);
    }
}
