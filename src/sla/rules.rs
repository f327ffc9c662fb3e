//! The time rules of a dossier's life that admins set (REGULATIONS §2.1,
//! §9): the acceptance window of an online dossier (8 working hours, NĐ
//! 297/2025 Art. 6), the cut-off hour (15:00, kept from NĐ 61/2018 Art. 20),
//! the supplement timeout (15 working days), the due-soon share, the apology
//! lead (form 04) and the office hours. Pure: which rule a procedure ends up
//! with is [`resolve`]d from the portal's defaults and the versions admins
//! saved, each from its effective moment.
//!
//! Rules are set at three levels: the portal, an agency (for itself and what
//! lies below it), a procedure. The nearest level that sets a rule wins: the
//! procedure, then the agency nearest to it up the tree, then the portal,
//! then the settings (`MOTCUA_*`). Each level's rules are a series of
//! versions; the one in force at a moment is the latest whose effective
//! moment has come. A dossier keeps the rules resolved at its submission.

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::config::office_hours::{parse_rest_days, parse_sessions};

/// The rules in force for one dossier, every one of them known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeRules {
    pub accept_within_hours: u32,
    /// `HH:MM`, local time.
    pub cutoff: String,
    pub supplement_timeout_days: u32,
    /// Of the time limit: a dossier is due soon once less than this share is left.
    pub due_soon_share: f64,
    pub apology_lead_days: u32,
    /// `08:00-12:00,13:00-17:00`
    pub office_hours: String,
    /// `sat,sun`
    pub rest_days: String,
}

/// The legal defaults (REGULATIONS §2.1, §9), which the settings may change.
impl Default for TimeRules {
    fn default() -> Self {
        TimeRules {
            accept_within_hours: 8,
            cutoff: "15:00".into(),
            supplement_timeout_days: 15,
            due_soon_share: 0.2,
            apology_lead_days: 1,
            office_hours: "08:00-12:00,13:00-17:00".into(),
            rest_days: "sat,sun".into(),
        }
    }
}

/// What one version of one level sets; what it leaves out comes from further up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Override {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_within_hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplement_timeout_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_soon_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apology_lead_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_hours: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_days: Option<String>,
}

/// Where a rule is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "level", content = "id", rename_all = "snake_case")]
pub enum Level {
    /// The settings the portal was started with.
    Settings,
    Portal,
    Agency(i32),
    Procedure(i32),
}

/// One saved version of one level's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub level: Level,
    pub effective_from: DateTime<Utc>,
    pub set: Override,
}

/// The names of the rules, in the order pages show them.
pub const NAMES: [&str; 7] = [
    "accept_within_hours",
    "cutoff",
    "supplement_timeout_days",
    "due_soon_share",
    "apology_lead_days",
    "office_hours",
    "rest_days",
];

impl Override {
    fn apply(&self, r: &mut TimeRules, from: Level, sources: &mut [Level; 7]) {
        let mut take = |i: usize, set: bool| {
            if set {
                sources[i] = from;
            }
        };
        if let Some(v) = self.accept_within_hours {
            r.accept_within_hours = v;
        }
        take(0, self.accept_within_hours.is_some());
        if let Some(v) = &self.cutoff {
            r.cutoff = v.clone();
        }
        take(1, self.cutoff.is_some());
        if let Some(v) = self.supplement_timeout_days {
            r.supplement_timeout_days = v;
        }
        take(2, self.supplement_timeout_days.is_some());
        if let Some(v) = self.due_soon_share {
            r.due_soon_share = v;
        }
        take(3, self.due_soon_share.is_some());
        if let Some(v) = self.apology_lead_days {
            r.apology_lead_days = v;
        }
        take(4, self.apology_lead_days.is_some());
        if let Some(v) = &self.office_hours {
            r.office_hours = v.clone();
        }
        take(5, self.office_hours.is_some());
        if let Some(v) = &self.rest_days {
            r.rest_days = v.clone();
        }
        take(6, self.rest_days.is_some());
    }

    pub fn is_empty(&self) -> bool {
        *self == Override::default()
    }

    /// The rules this version sets, checked one by one; the names of those out of range.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut bad = Vec::new();
        if self.accept_within_hours.is_some_and(|h| !(1..=80).contains(&h)) {
            bad.push("accept_within_hours");
        }
        if self.cutoff.as_deref().is_some_and(|c| NaiveTime::parse_from_str(c, "%H:%M").is_err()) {
            bad.push("cutoff");
        }
        if self.supplement_timeout_days.is_some_and(|d| !(1..=90).contains(&d)) {
            bad.push("supplement_timeout_days");
        }
        if self.due_soon_share.is_some_and(|s| !(s > 0.0 && s < 1.0)) {
            bad.push("due_soon_share");
        }
        if self.apology_lead_days.is_some_and(|d| d > 10) {
            bad.push("apology_lead_days");
        }
        let sessions = self.office_hours.as_deref().map(parse_sessions);
        let sessions_ok = |s: &Vec<(NaiveTime, NaiveTime)>| {
            !s.is_empty() && s.iter().all(|(a, b)| a < b) && s.windows(2).all(|w| w[0].1 <= w[1].0)
        };
        if sessions.as_ref().is_some_and(|s| !s.as_ref().is_some_and(sessions_ok)) {
            bad.push("office_hours");
        }
        let rest = self.rest_days.as_deref().map(parse_rest_days);
        if rest.as_ref().is_some_and(|r| r.as_ref().is_none_or(|r| r.len() >= 7)) {
            bad.push("rest_days");
        }
        bad
    }
}

impl TimeRules {
    pub fn cutoff_time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(&self.cutoff, "%H:%M").ok()
    }

    pub fn sessions(&self) -> Option<Vec<(NaiveTime, NaiveTime)>> {
        parse_sessions(&self.office_hours)
    }

    pub fn rest(&self) -> Option<Vec<Weekday>> {
        parse_rest_days(&self.rest_days)
    }

    /// The value of rule `name` as a page shows it.
    pub fn shown(&self, name: &str) -> String {
        match name {
            "accept_within_hours" => self.accept_within_hours.to_string(),
            "cutoff" => self.cutoff.clone(),
            "supplement_timeout_days" => self.supplement_timeout_days.to_string(),
            "due_soon_share" => format!("{}", self.due_soon_share),
            "apology_lead_days" => self.apology_lead_days.to_string(),
            "office_hours" => self.office_hours.clone(),
            "rest_days" => self.rest_days.clone(),
            _ => String::new(),
        }
    }
}

/// The rules in force for a dossier of `procedure` handled by the last agency
/// of `agencies` (the root first) at `at`, and where each comes from (in
/// [`NAMES`] order).
pub fn resolve(
    defaults: &TimeRules,
    versions: &[Version],
    agencies: &[i32],
    procedure: i32,
    at: DateTime<Utc>,
) -> (TimeRules, [Level; 7]) {
    let mut rules = defaults.clone();
    let mut sources = [Level::Settings; 7];
    let levels = std::iter::once(Level::Portal)
        .chain(agencies.iter().map(|a| Level::Agency(*a)))
        .chain(std::iter::once(Level::Procedure(procedure)));
    for level in levels {
        if let Some(v) = in_force(versions, level, at) {
            v.set.apply(&mut rules, level, &mut sources);
        }
    }
    (rules, sources)
}

/// The version of `level` in force at `at`: the latest to take effect by then
/// (of two with the same moment, the one saved last).
pub fn in_force(versions: &[Version], level: Level, at: DateTime<Utc>) -> Option<&Version> {
    versions.iter().filter(|v| v.level == level && v.effective_from <= at).max_by_key(|v| v.effective_from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn defaults() -> TimeRules {
        TimeRules::default()
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 3, 0, 0).unwrap()
    }

    fn version(level: Level, day: u32, set: Override) -> Version {
        Version { level, effective_from: at(day), set }
    }

    #[test]
    fn the_nearest_level_that_sets_a_rule_wins_and_each_rule_on_its_own() {
        let versions = vec![
            version(Level::Portal, 1, Override { supplement_timeout_days: Some(20), ..Default::default() }),
            version(Level::Agency(1), 1, Override { cutoff: Some("16:00".into()), ..Default::default() }),
            version(
                Level::Agency(2),
                1,
                Override { cutoff: Some("11:00".into()), rest_days: Some("sun".into()), ..Default::default() },
            ),
            version(Level::Procedure(9), 1, Override { supplement_timeout_days: Some(30), ..Default::default() }),
        ];
        let (r, from) = resolve(&defaults(), &versions, &[1, 2], 9, at(2));
        assert_eq!((r.cutoff.as_str(), r.rest_days.as_str(), r.supplement_timeout_days), ("11:00", "sun", 30));
        assert_eq!(
            (from[1], from[6], from[2], from[0]),
            (Level::Agency(2), Level::Agency(2), Level::Procedure(9), Level::Settings)
        );
        // Another branch of the tree, another procedure: the parent's cut-off and the portal's timeout.
        let (r, from) = resolve(&defaults(), &versions, &[1, 3], 8, at(2));
        assert_eq!((r.cutoff.as_str(), r.supplement_timeout_days), ("16:00", 20));
        assert_eq!((from[1], from[2]), (Level::Agency(1), Level::Portal));
    }

    #[test]
    fn a_version_applies_from_its_effective_moment_and_the_latest_one_in_force_wins() {
        let versions = vec![
            version(Level::Agency(1), 1, Override { accept_within_hours: Some(16), ..Default::default() }),
            version(Level::Agency(1), 10, Override { accept_within_hours: Some(4), ..Default::default() }),
        ];
        assert_eq!(resolve(&defaults(), &versions, &[1], 9, at(1) - Duration::seconds(1)).0, defaults());
        assert_eq!(resolve(&defaults(), &versions, &[1], 9, at(9)).0.accept_within_hours, 16);
        assert_eq!(resolve(&defaults(), &versions, &[1], 9, at(10)).0.accept_within_hours, 4);
        // A later version that sets nothing clears the agency's rule: the default is back.
        let mut cleared = versions.clone();
        cleared.push(version(Level::Agency(1), 12, Override::default()));
        assert_eq!(resolve(&defaults(), &cleared, &[1], 9, at(12)).0, defaults());
    }

    #[test]
    fn out_of_range_rules_are_named() {
        let bad = Override {
            accept_within_hours: Some(0),
            cutoff: Some("25:00".into()),
            supplement_timeout_days: Some(91),
            due_soon_share: Some(1.5),
            apology_lead_days: Some(11),
            office_hours: Some("13:00-12:00".into()),
            rest_days: Some("mon,tue,wed,thu,fri,sat,sun".into()),
        };
        assert_eq!(bad.problems(), NAMES.to_vec());
        let good = Override {
            office_hours: Some("07:30-11:30,13:30-17:00".into()),
            rest_days: Some("sun".into()),
            ..Default::default()
        };
        assert!(good.problems().is_empty());
    }
}
