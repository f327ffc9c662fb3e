//! The office calendar as the portal keeps it: the special days in the
//! database (seeded once with the official days of `sla::holidays`, then
//! kept by admins, every change in the audit log), the office hours and the
//! cut-off from the settings. Every deadline is computed on `load`'s calendar.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::work_calendar;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder};

use crate::audit::{self, Actor};
use crate::config::OfficeHours;
use crate::error::{AppError, FieldError};
use crate::sla::{Calendar, DayKind, holidays};

/// The national special days as the portal keeps them.
pub async fn special_days(db: &impl ConnectionTrait) -> Result<BTreeMap<NaiveDate, DayKind>, AppError> {
    Ok(work_calendar::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((NaiveDate::parse_from_str(&row.day, "%Y-%m-%d").ok()?, DayKind::parse(&row.kind)?)))
        .collect())
}

/// The calendar of the settings' office hours with today's special days.
pub async fn load(db: &impl ConnectionTrait, hours: &OfficeHours) -> Result<Calendar, AppError> {
    let special = special_days(db).await?;
    Calendar::new(hours.sessions.clone(), hours.rest_days.clone(), special, hours.cutoff)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("office hours: {e}")))
}

/// Seeds the official days once, when the table is empty.
pub async fn seed_if_empty(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<bool, AppError> {
    if work_calendar::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let rows = holidays::official_days().into_iter().map(|d| work_calendar::ActiveModel {
        day: Set(d.day.format("%Y-%m-%d").to_string()),
        kind: Set(d.kind.as_str().into()),
        name: Set(d.name.into()),
        source: Set(d.source.into()),
        updated_at: Set(now),
    });
    work_calendar::Entity::insert_many(rows).exec(db).await?;
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    Ok(true)
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<work_calendar::Model>, AppError> {
    Ok(work_calendar::Entity::find().order_by_asc(work_calendar::Column::Day).all(db).await?)
}

/// A day as an admin typed it: checked, or the fields that are wrong.
pub fn parse_day(day: &str, kind: &str, name: &str) -> Result<(NaiveDate, DayKind, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day.trim(), "%d/%m/%Y"))
        .map_err(|_| errors.push(FieldError::new("day", "not_a_date")))
        .ok();
    let kind = DayKind::parse(kind).or_else(|| {
        errors.push(FieldError::new("kind", "invalid_choice"));
        None
    });
    let name = crate::text::nfc(name.trim());
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "required"));
    }
    match (date, kind) {
        (Some(date), Some(kind)) if errors.is_empty() => Ok((date, kind, name)),
        _ => Err(errors),
    }
}

/// Adds or replaces the special day `day`, with its audit entry, in the transaction `db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    day: NaiveDate,
    kind: DayKind,
    name: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = day.format("%Y-%m-%d").to_string();
    work_calendar::Entity::delete_by_id(key.clone()).exec(db).await?;
    work_calendar::Entity::insert(work_calendar::ActiveModel {
        day: Set(key.clone()),
        kind: Set(kind.as_str().into()),
        name: Set(name.into()),
        source: Set(source.chars().take(300).collect()),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    audit::record(db, actor, "calendar.save", &key, serde_json::json!({"kind": kind, "name": name}), now).await
}

pub async fn remove(db: &impl ConnectionTrait, actor: &Actor, day: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let removed = work_calendar::Entity::delete_by_id(day.to_owned()).exec(db).await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    audit::record(db, actor, "calendar.remove", day, serde_json::json!({}), now).await
}
