//! The lifecycle rules of REGULATIONS §2.1 as settings, with the legal
//! defaults: an online dossier accepted or queried within 8 working hours
//! (NĐ 297/2025 Art. 6), an unanswered supplement closing the dossier after
//! 15 working days, and the apology (form 04) due at least one working day
//! before the deadline.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policies {
    pub accept_within_hours: u32,
    pub supplement_timeout_days: u32,
    pub apology_lead_days: u32,
    /// "Least loaded" assignment weighs the work whose step is due within
    /// this many working days (then all open work): our reading of "least
    /// work due soonest"; no rule fixes the window.
    pub assign_due_within_days: u32,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            accept_within_hours: 8,
            supplement_timeout_days: 15,
            apology_lead_days: 1,
            assign_due_within_days: 3,
        }
    }
}

fn number(
    name: &str,
    value: Option<&str>,
    range: std::ops::RangeInclusive<u32>,
    default: u32,
    errors: &mut Vec<String>,
) -> u32 {
    match value.map(str::parse::<u32>) {
        None => default,
        Some(Ok(n)) if range.contains(&n) => n,
        Some(_) => {
            errors.push(format!("MOTCUA_{name} must be a whole number from {} to {}", range.start(), range.end()));
            default
        }
    }
}

impl Policies {
    pub fn parse(
        accept: Option<&str>,
        timeout: Option<&str>,
        lead: Option<&str>,
        assign: Option<&str>,
        errors: &mut Vec<String>,
    ) -> Policies {
        let d = Policies::default();
        Policies {
            accept_within_hours: number("ACCEPT_WITHIN_HOURS", accept, 1..=80, d.accept_within_hours, errors),
            supplement_timeout_days: number(
                "SUPPLEMENT_TIMEOUT_DAYS",
                timeout,
                1..=90,
                d.supplement_timeout_days,
                errors,
            ),
            apology_lead_days: number("APOLOGY_LEAD_DAYS", lead, 0..=10, d.apology_lead_days, errors),
            assign_due_within_days: number("ASSIGN_DUE_WITHIN_DAYS", assign, 0..=60, d.assign_due_within_days, errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bad_values() {
        let mut errors = Vec::new();
        assert_eq!(Policies::parse(None, None, None, None, &mut errors), Policies::default());
        let p = Policies::parse(Some("16"), Some("0"), Some("x"), Some("5"), &mut errors);
        assert_eq!((p.accept_within_hours, p.assign_due_within_days), (16, 5));
        assert_eq!(p.supplement_timeout_days, 15);
        assert_eq!(errors.len(), 2, "{errors:?}");
        Policies::parse(None, None, None, Some("61"), &mut errors);
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
