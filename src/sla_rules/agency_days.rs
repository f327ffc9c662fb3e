//! The days an agency, and what lies below it, works or rests unlike the
//! national calendar (a provincial holiday, a worked Saturday), kept by
//! admins with an audit entry for each change.

use chrono::{DateTime, NaiveDate, Utc};
use entity::agency_day;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::audit::{self, Actor};
use crate::error::AppError;
use crate::sla::DayKind;

/// The days set for `agency` itself.
pub async fn of_agency(db: &impl ConnectionTrait, agency: i32) -> Result<Vec<agency_day::Model>, AppError> {
    Ok(agency_day::Entity::find()
        .filter(agency_day::Column::AgencyId.eq(agency))
        .order_by_asc(agency_day::Column::Day)
        .all(db)
        .await?)
}

/// Sets or replaces `day` for `agency`, with its audit entry (before and after).
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agency: i32,
    day: NaiveDate,
    kind: DayKind,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = day.format("%Y-%m-%d").to_string();
    let before = agency_day::Entity::find_by_id((agency, key.clone())).one(db).await?;
    agency_day::Entity::delete_by_id((agency, key.clone())).exec(db).await?;
    agency_day::Entity::insert(agency_day::ActiveModel {
        agency_id: Set(agency),
        day: Set(key.clone()),
        kind: Set(kind.as_str().into()),
        name: Set(name.into()),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    let detail = serde_json::json!({"before": before.map(|b| (b.kind, b.name)), "after": (kind.as_str(), name)});
    audit::record(db, actor, "agency_day.save", &format!("agency:{agency}:{key}"), detail, now).await
}

/// Removes `day` of `agency`, with its audit entry.
pub async fn remove(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agency: i32,
    day: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(before) = agency_day::Entity::find_by_id((agency, day.to_owned())).one(db).await? else {
        return Err(AppError::NotFound);
    };
    agency_day::Entity::delete_by_id((agency, day.to_owned())).exec(db).await?;
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    let detail = serde_json::json!({"before": (before.kind, before.name), "after": null});
    audit::record(db, actor, "agency_day.remove", &format!("agency:{agency}:{day}"), detail, now).await
}
