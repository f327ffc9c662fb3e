//! The rules and calendar a dossier is handled by: those it was submitted
//! under, kept on its row; a dossier from before they were kept, or not
//! submitted yet, follows the settings.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::dossier;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use crate::config::Settings;
use crate::error::AppError;
use crate::sla::rules::TimeRules;
use crate::sla::{Calendar, DayKind};

/// The rules of the settings (`MOTCUA_*`), under every saved version.
pub fn defaults(settings: &Settings) -> TimeRules {
    let hours = &settings.office_hours;
    let p = &settings.policies;
    TimeRules {
        accept_within_hours: p.accept_within_hours,
        cutoff: hours.cutoff.format("%H:%M").to_string(),
        supplement_timeout_days: p.supplement_timeout_days,
        due_soon_share: settings.due_soon_share,
        apology_lead_days: p.apology_lead_days,
        office_hours: hours
            .sessions
            .iter()
            .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")))
            .collect::<Vec<_>>()
            .join(","),
        rest_days: hours.rest_days.iter().map(|d| d.to_string().to_lowercase()).collect::<Vec<_>>().join(","),
    }
}

/// The rules dossier `d` is handled by.
pub fn rules_of(d: &dossier::Model, settings: &Settings) -> TimeRules {
    d.sla_rules.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_else(|| defaults(settings))
}

/// The office calendar under `rules` for `agency`: the national special days,
/// then the agency's own and those of the agencies above it, the nearest last.
pub async fn calendar_for(
    db: &impl ConnectionTrait,
    rules: &TimeRules,
    agency: Option<i32>,
) -> Result<Calendar, AppError> {
    let special = match agency {
        Some(agency) => special_days(db, agency).await?,
        None => crate::work_calendar::special_days(db).await?,
    };
    calendar_with(rules, special)
}

#[derive(FromQueryResult)]
struct SpecialDay {
    day: String,
    kind: String,
}

/// The special days `agency` keeps, in one statement (a workflow step and a
/// submission ask it each time): the national days, then those of each
/// agency above it from the root down, then its own, so that the nearest
/// agency's word on a day wins.
pub(super) async fn special_days(
    db: &impl ConnectionTrait,
    agency: i32,
) -> Result<BTreeMap<NaiveDate, DayKind>, AppError> {
    let backend = db.get_database_backend();
    // The national days above every agency (`up` past the chain's bound), the agency's own last.
    let sql = format!(
        "{}SELECT day, kind, 1000 AS up FROM work_calendar \
         UNION ALL \
         SELECT d.day, d.kind, chain.up FROM agency_day d JOIN chain ON d.agency_id = chain.id \
         ORDER BY up DESC",
        super::store::chain_cte(backend)
    );
    let rows =
        SpecialDay::find_by_statement(Statement::from_sql_and_values(backend, sql, [agency.into()])).all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").ok()?, DayKind::parse(&r.kind)?)))
        .collect())
}

/// The calendar under `rules` with `special` days.
pub(super) fn calendar_with(rules: &TimeRules, special: BTreeMap<NaiveDate, DayKind>) -> Result<Calendar, AppError> {
    let broken = |what: &str| AppError::Internal(anyhow::anyhow!("the time rules' {what} do not read"));
    let sessions = rules.sessions().ok_or_else(|| broken("office hours"))?;
    let rest = rules.rest().ok_or_else(|| broken("rest days"))?;
    let cutoff = rules.cutoff_time().ok_or_else(|| broken("cut-off"))?;
    Calendar::new(sessions, rest, special, cutoff).map_err(|e| AppError::Internal(anyhow::anyhow!("office hours: {e}")))
}

/// The rules and the calendar dossier `d` is handled by.
pub async fn of(
    db: &impl ConnectionTrait,
    settings: &Settings,
    d: &dossier::Model,
) -> Result<(TimeRules, Calendar), AppError> {
    let rules = rules_of(d, settings);
    let cal = calendar_for(db, &rules, Some(d.agency_id)).await?;
    Ok((rules, cal))
}
