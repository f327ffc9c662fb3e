//! The saved versions of the time rules: read all at once (a few rows per
//! agency and procedure), a new version checked and written with its audit
//! entry (the version it replaces, and itself), never changed afterwards.

use chrono::{DateTime, Utc};
use entity::sla_rule;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryOrder, Statement,
};

use crate::audit::{self, Actor};
use crate::error::{AppError, FieldError};
use crate::sla::rules::{Level, Override, Version, in_force};

fn level_of(row: &sla_rule::Model) -> Option<Level> {
    match (row.level.as_str(), row.agency_id, row.procedure_id) {
        ("portal", _, _) => Some(Level::Portal),
        ("agency", Some(a), _) => Some(Level::Agency(a)),
        ("procedure", _, Some(p)) => Some(Level::Procedure(p)),
        _ => None,
    }
}

/// Every saved version, in the order they were saved.
pub async fn versions(db: &impl ConnectionTrait) -> Result<Vec<Version>, AppError> {
    let rows = sla_rule::Entity::find().order_by_asc(sla_rule::Column::Id).all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Version {
                level: level_of(&row)?,
                effective_from: row.effective_from,
                set: serde_json::from_str(&row.rules).ok()?,
            })
        })
        .collect())
}

/// `WITH RECURSIVE chain(id, parent_id, up)`: the agency the statement's
/// first parameter names (`up` 0) and each agency above it (`up` the steps
/// up). Bounded, so a loop in the data cannot hang a submission or a step.
pub fn chain_cte(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => CHAIN_CTE_PG,
        _ => CHAIN_CTE,
    }
}

const CHAIN_CTE: &str = "WITH RECURSIVE chain(id, parent_id, up) AS ( \
    SELECT id, parent_id, 0 FROM agency WHERE id = ? \
    UNION ALL \
    SELECT a.id, a.parent_id, chain.up + 1 FROM agency a JOIN chain ON a.id = chain.parent_id WHERE chain.up < 64) ";
const CHAIN_CTE_PG: &str = "WITH RECURSIVE chain(id, parent_id, up) AS ( \
    SELECT id, parent_id, 0 FROM agency WHERE id = $1 \
    UNION ALL \
    SELECT a.id, a.parent_id, chain.up + 1 FROM agency a JOIN chain ON a.id = chain.parent_id WHERE chain.up < 64) ";

#[derive(FromQueryResult)]
struct ChainRow {
    id: i32,
}

/// The agency tree above and including `agency`, the root first.
pub async fn chain(db: &impl ConnectionTrait, agency: i32) -> Result<Vec<i32>, AppError> {
    let backend = db.get_database_backend();
    let sql = format!("{}SELECT id FROM chain ORDER BY up", chain_cte(backend));
    let rows =
        ChainRow::find_by_statement(Statement::from_sql_and_values(backend, sql, [agency.into()])).all(db).await?;
    // Walked up from `agency`; a loop in the data repeats agencies up to the bound: each counts once, where first met.
    let mut chain: Vec<i32> = Vec::with_capacity(rows.len());
    for r in rows {
        if !chain.contains(&r.id) {
            chain.push(r.id);
        }
    }
    chain.reverse();
    Ok(chain)
}

/// Saves `set` as the rules of `level` from `effective_from`, in the
/// transaction `db`, with an audit entry carrying the version it replaces.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    level: Level,
    set: &Override,
    effective_from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let problems = set.problems();
    if !problems.is_empty() {
        return Err(AppError::Validation(
            problems.into_iter().map(|f| FieldError::new(f, format!("rule_{f}"))).collect(),
        ));
    }
    if effective_from < now - chrono::Duration::minutes(1) {
        // A past moment would change what running dossiers were told.
        return Err(AppError::Validation(vec![FieldError::new("effective_from", "in_the_past")]));
    }
    let (name, agency, procedure, target) = match level {
        Level::Portal => ("portal", None, None, "portal".to_owned()),
        Level::Agency(a) => ("agency", Some(a), None, format!("agency:{a}")),
        Level::Procedure(p) => ("procedure", None, Some(p), format!("procedure:{p}")),
        Level::Settings => return Err(AppError::Forbidden),
    };
    let all = versions(db).await?;
    let before = in_force(&all, level, effective_from).map(|v| v.set.clone()).unwrap_or_default();
    sla_rule::ActiveModel {
        level: Set(name.into()),
        agency_id: Set(agency),
        procedure_id: Set(procedure),
        effective_from: Set(effective_from),
        rules: Set(serde_json::to_string(set).map_err(|e| AppError::Internal(e.into()))?),
        created_by: Set(actor.label.chars().take(250).collect()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Kept calendars and rules are read under the catalogue counter (`sla_rules::kept`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    let detail = serde_json::json!({"effective_from": effective_from, "before": before, "after": set});
    audit::record(db, actor, "sla_rule.save", &target, detail, now).await
}
