//! Import and export of the whole catalogue as one JSON document.
//!
//! Export is deterministic (everything sorted by code), and importing an
//! export into an empty portal and exporting again gives the same bytes.
//! Import checks the whole file first and reports every error with its path;
//! then it writes everything in one transaction, or nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{agency, field, procedure};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryOrder,
};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::model::AgencyLevel;
use super::record::ProcedureRecord;
use super::store::{self, Refs};
use crate::audit::{self, Actor};
use crate::error::{AppError, FieldError, field_errors};

pub const FORMAT: &str = "motcua-catalogue";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub format: String,
    pub version: u32,
    pub agencies: Vec<AgencyRecord>,
    pub fields: Vec<FieldRecord>,
    pub procedures: Vec<ProcedureRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct AgencyRecord {
    #[validate(custom(function = "agency_code"))]
    pub code: String,
    #[validate(length(min = 2, max = 255, code = "required"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
    pub level: AgencyLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct FieldRecord {
    #[validate(length(min = 1, max = 32, code = "required"))]
    pub code: String,
    #[validate(length(min = 2, max = 255, code = "required"))]
    pub name: String,
}

/// Agency electronic identifiers (QĐ 20/2020/QĐ-TTg Art. 4): at most 35
/// characters of digits, capital letters and dots.
fn agency_code(code: &str) -> Result<(), validator::ValidationError> {
    let ok = !code.is_empty()
        && code.len() <= 35
        && code.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '.');
    if ok { Ok(()) } else { Err(validator::ValidationError::new("agency_code")) }
}

#[derive(Debug, Serialize)]
pub struct ImportSummary {
    pub agencies: usize,
    pub fields: usize,
    pub procedures: usize,
}

/// Every agency as a record, sorted by code.
pub async fn export_agencies(db: &impl ConnectionTrait) -> Result<Vec<AgencyRecord>, AppError> {
    let refs = Refs::load(db).await?;
    Ok(agency_records(&refs))
}

fn agency_records(refs: &Refs) -> Vec<AgencyRecord> {
    let mut agencies: Vec<AgencyRecord> = refs
        .agencies
        .values()
        .map(|a| AgencyRecord {
            code: a.code.clone(),
            name: a.name.clone(),
            parent_code: a.parent_id.and_then(|id| refs.agency_by_id(id)).map(|p| p.code.clone()),
            level: AgencyLevel::parse(&a.level).unwrap_or(AgencyLevel::Central),
        })
        .collect();
    agencies.sort_by(|a, b| a.code.cmp(&b.code));
    agencies
}

pub async fn export(db: &impl ConnectionTrait) -> Result<Catalogue, AppError> {
    let refs = Refs::load(db).await?;
    let agencies = agency_records(&refs);
    let mut fields: Vec<FieldRecord> =
        refs.fields.values().map(|f| FieldRecord { code: f.code.clone(), name: f.name.clone() }).collect();
    fields.sort_by(|a, b| a.code.cmp(&b.code));
    let mut procedures = Vec::new();
    for p in procedure::Entity::find().order_by_asc(procedure::Column::Code).all(db).await? {
        procedures.push(store::record(db, &p, &refs).await?);
    }
    Ok(Catalogue { format: FORMAT.into(), version: FORMAT_VERSION, agencies, fields, procedures })
}

/// Checks the whole catalogue against itself and what is already stored.
async fn check(db: &DatabaseConnection, catalogue: &mut Catalogue) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if catalogue.format != FORMAT || catalogue.version != FORMAT_VERSION {
        errors.push(FieldError::new("format", "catalogue_format"));
    }
    let stored = Refs::load(db).await?;
    let mut agency_codes: HashSet<&str> = stored.agencies.keys().map(String::as_str).collect();
    let mut field_codes: HashSet<&str> = stored.fields.keys().map(String::as_str).collect();
    agency_codes.extend(catalogue.agencies.iter().map(|a| a.code.as_str()));
    field_codes.extend(catalogue.fields.iter().map(|f| f.code.as_str()));
    let mut push = |prefix: String, found: Vec<FieldError>| {
        errors.extend(found.into_iter().map(|e| FieldError::new(format!("{prefix}.{}", e.field), e.code)));
    };
    for (i, a) in catalogue.agencies.iter().enumerate() {
        let mut found = a.validate().err().map(|e| field_errors(&e)).unwrap_or_default();
        if a.parent_code.as_deref().is_some_and(|p| !agency_codes.contains(p) || p == a.code) {
            found.push(FieldError::new("parent_code", "unknown"));
        }
        push(format!("agencies.{i}"), found);
    }
    for (i, f) in catalogue.fields.iter().enumerate() {
        push(format!("fields.{i}"), f.validate().err().map(|e| field_errors(&e)).unwrap_or_default());
    }
    let mut seen = HashSet::new();
    for (i, p) in catalogue.procedures.iter_mut().enumerate() {
        p.normalise();
        let mut found = p.check();
        if !agency_codes.contains(p.agency_code.as_str()) {
            found.push(FieldError::new("agency_code", "unknown"));
        }
        if !field_codes.contains(p.field_code.as_str()) {
            found.push(FieldError::new("field_code", "unknown"));
        }
        if !seen.insert(p.code.clone()) {
            found.push(FieldError::new("code", "duplicate"));
        }
        push(format!("procedures.{i}"), found);
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// Adds or replaces (by code) every agency, field and procedure of the file.
pub async fn import(
    db: &DatabaseConnection,
    mut catalogue: Catalogue,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ImportSummary, AppError> {
    check(db, &mut catalogue).await?;
    let txn = crate::db::begin_write(db).await?;
    let mut ids: HashMap<String, i32> = Refs::load(&txn).await?.agencies.into_iter().map(|(c, a)| (c, a.id)).collect();
    for a in &catalogue.agencies {
        let saved = match agency::Entity::find_by_id(ids.get(&a.code).copied().unwrap_or(-1)).one(&txn).await? {
            Some(old) => {
                let mut m = old.into_active_model();
                m.name = Set(a.name.clone());
                m.level = Set(a.level.as_str().into());
                m.update(&txn).await?
            }
            None => {
                agency::ActiveModel {
                    code: Set(a.code.clone()),
                    name: Set(a.name.clone()),
                    level: Set(a.level.as_str().into()),
                    parent_id: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        ids.insert(a.code.clone(), saved.id);
    }
    // Parents are set once every agency of the file exists, whatever its order.
    for a in &catalogue.agencies {
        let parent_id = a.parent_code.as_ref().and_then(|p| ids.get(p).copied());
        agency::ActiveModel { id: Set(ids[&a.code]), parent_id: Set(parent_id), ..Default::default() }
            .update(&txn)
            .await?;
    }
    let stored_fields = Refs::load(&txn).await?.fields;
    for f in &catalogue.fields {
        match stored_fields.get(&f.code) {
            Some(old) => {
                let mut m = old.clone().into_active_model();
                m.name = Set(f.name.clone());
                m.update(&txn).await?;
            }
            None => {
                field::ActiveModel { code: Set(f.code.clone()), name: Set(f.name.clone()), ..Default::default() }
                    .insert(&txn)
                    .await?;
            }
        }
    }
    let refs = Refs::load(&txn).await?;
    for p in &catalogue.procedures {
        store::upsert(&txn, p, &refs, now).await?;
    }
    // Agencies and fields too (a file may hold no procedure).
    crate::change_counter::bump(&txn, crate::change_counter::CATALOGUE).await?;
    let summary = ImportSummary {
        agencies: catalogue.agencies.len(),
        fields: catalogue.fields.len(),
        procedures: catalogue.procedures.len(),
    };
    audit::record(
        &txn,
        actor,
        "catalogue_imported",
        "catalogue",
        serde_json::to_value(&summary).unwrap_or_default(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}
