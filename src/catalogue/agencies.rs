//! Agencies and units (cơ quan, đơn vị): a tree of identifier codes
//! (QĐ 20/2020/QĐ-TTg). Officials belong to one; procedures name the agency
//! that handles them. A code never changes once given.

use chrono::{DateTime, Utc};
use entity::agency;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, IntoActiveModel};
use serde_json::json;
use validator::Validate;

use super::store::Refs;
use super::transfer::AgencyRecord;
use crate::audit::{self, Actor};
use crate::error::{AppError, FieldError, field_errors};

/// Creates the agency `record`, or updates the one with its code when `update` is set.
pub async fn save(
    db: &DatabaseConnection,
    mut record: AgencyRecord,
    update: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record.name = crate::text::nfc(&record.name);
    record.parent_code = record.parent_code.filter(|p| !p.is_empty());
    let mut errors = record.validate().err().map(|e| field_errors(&e)).unwrap_or_default();
    let txn = crate::db::begin_write(db).await?;
    let refs = Refs::load(&txn).await?;
    let existing = refs.agencies.get(&record.code).cloned();
    match (&existing, update) {
        (Some(_), false) => errors.push(FieldError::new("code", "taken")),
        (None, true) => return Err(AppError::NotFound),
        _ => {}
    }
    let parent = match record.parent_code.as_deref() {
        Some(code) => match refs.agencies.get(code) {
            Some(p) if !is_descendant(&refs, p.id, existing.as_ref().map(|e| e.id)) => Some(p.id),
            _ => {
                errors.push(FieldError::new("parent_code", "unknown"));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    match existing {
        Some(old) => {
            let mut m = old.into_active_model();
            m.name = Set(record.name.clone());
            m.parent_id = Set(parent);
            m.level = Set(record.level.as_str().into());
            m.update(&txn).await?;
        }
        None => {
            agency::ActiveModel {
                code: Set(record.code.clone()),
                name: Set(record.name.clone()),
                parent_id: Set(parent),
                level: Set(record.level.as_str().into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    // Search results show the agency's name: every process's copy is stale from this commit on.
    crate::change_counter::bump(&txn, crate::change_counter::CATALOGUE).await?;
    let action = if update { "agency_updated" } else { "agency_created" };
    audit::record(&txn, actor, action, &record.code, json!({"name": record.name, "parent": record.parent_code}), now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether `candidate` is `agency` itself or below it: a parent there would make a loop.
fn is_descendant(refs: &Refs, candidate: i32, agency: Option<i32>) -> bool {
    let Some(agency) = agency else { return false };
    let mut current = Some(candidate);
    // Bounded, so that a loop already in the data cannot hang the request.
    for _ in 0..64 {
        let Some(id) = current else { return false };
        if id == agency {
            return true;
        }
        current = refs.agency_by_id(id).and_then(|a| a.parent_id);
    }
    true
}
