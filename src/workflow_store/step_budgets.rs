//! A procedure's own step budgets (whole or half working days, or working
//! hours) in place of its workflow's, for a unit that splits its legal limit
//! its own way ("30 ngày làm việc = 240 giờ"). Kept per workflow key and step,
//! checked to fit the procedure's legal limit along every way through the
//! workflow (as the checker checks the shipped budgets), saved with an audit
//! entry carrying before and after. Every step deadline and dry run of the
//! procedure's dossiers reads the workflow with them in place ([`applied`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::procedure_step_budget as row;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::audit::{self, Actor};
use crate::catalogue::model::{TimeLimit, TimeUnit};
use crate::catalogue::view::ProcedureView;
use crate::error::{AppError, FieldError};
use crate::workflow::model::{Budget, Clock, Workflow};

/// The budgets procedure `procedure` sets for the steps of workflow `key`.
pub async fn of(db: &impl ConnectionTrait, procedure: i32, key: &str) -> Result<Vec<(String, Budget)>, AppError> {
    Ok(for_key(&all_of(db, procedure).await?, key))
}

/// Of `all` (as `all_of` gives them), the budgets for the steps of workflow `key`.
fn for_key(all: &[(String, String, Budget)], key: &str) -> Vec<(String, Budget)> {
    all.iter().filter(|(k, _, _)| k == key).map(|(_, state, b)| (state.clone(), *b)).collect()
}

/// Every budget procedure `procedure` sets, as (workflow key, step, budget), for its view.
pub async fn all_of(db: &impl ConnectionTrait, procedure: i32) -> Result<Vec<(String, String, Budget)>, AppError> {
    let rows = row::Entity::find()
        .filter(row::Column::ProcedureId.eq(procedure))
        .order_by_asc(row::Column::WorkflowKey)
        .order_by_asc(row::Column::StateKey)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|r| Some((r.workflow_key.clone(), r.state_key.clone(), budget(&r)?))).collect())
}

fn budget(r: &row::Model) -> Option<Budget> {
    match r.unit.as_str() {
        "days" => Some(Budget::Days(r.amount)),
        "hours" => Some(Budget::Hours(r.amount)),
        _ => None,
    }
}

/// `wf` with procedure `p`'s own budgets (from its view) in place; `wf` itself when it sets none.
pub fn applied(p: &ProcedureView, wf: Arc<Workflow>) -> Arc<Workflow> {
    let own = for_key(&p.step_budgets, &wf.key);
    with_own(wf, &own)
}

/// As `applied`, reading procedure `procedure`'s budgets from the database.
pub async fn applied_read(
    db: &impl ConnectionTrait,
    procedure: i32,
    wf: Arc<Workflow>,
) -> Result<Arc<Workflow>, AppError> {
    let own = of(db, procedure, &wf.key).await?;
    Ok(with_own(wf, &own))
}

fn with_own(wf: Arc<Workflow>, own: &[(String, Budget)]) -> Arc<Workflow> {
    if own.is_empty() { wf } else { Arc::new(wf.with_budgets(own)) }
}

/// Whether `wf`, with procedure `procedure`'s own step budgets in place, fits `limit_days` along every way.
pub async fn fits_with_own(
    db: &impl ConnectionTrait,
    procedure: i32,
    wf: &Workflow,
    limit_days: f64,
) -> Result<bool, AppError> {
    let own = of(db, procedure, &wf.key).await?;
    Ok(wf.with_budgets(&own).fits(limit_days).is_ok())
}

/// A budget as typed: an amount and its unit; empty leaves the workflow's.
pub fn parse(amount: &str, unit: &str) -> Result<Option<Budget>, &'static str> {
    let amount = amount.trim().replace(',', ".");
    if amount.is_empty() {
        return Ok(None);
    }
    let n: f64 = amount.parse().map_err(|_| "step_budget")?;
    match unit {
        // Whole or half working days, as the workflow files allow.
        "days" if n > 0.0 && n <= 365.0 && (n * 2.0).fract() == 0.0 => Ok(Some(Budget::Days(n))),
        "hours" if (1.0..=2920.0).contains(&n) && n.fract() == 0.0 => Ok(Some(Budget::Hours(n))),
        _ => Err("step_budget"),
    }
}

/// The procedure's limit in working days, as the legal-limit check reads it.
pub fn limit_days(p: &entity::procedure::Model) -> f64 {
    let unit = TimeUnit::parse(&p.time_limit_unit).unwrap_or(TimeUnit::WorkingDays);
    TimeLimit { hours: p.time_limit_hours, unit }.days()
}

/// Replaces procedure `p`'s budgets for the steps of `wf` with `set`, in the
/// transaction `db`: refused, with nothing written, when a step is unknown or
/// does not run the clock, or when some way through exceeds the legal limit.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    p: &entity::procedure::Model,
    wf: &Workflow,
    set: &[(String, Budget)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (key, _) in set {
        match wf.state_index(key) {
            Some(i) if wf.states[i].clock != Clock::Pauses && wf.states[i].outcome.is_none() => {}
            _ => errors.push(FieldError::new(format!("budget.{key}"), "invalid_choice")),
        }
    }
    if errors.is_empty()
        && let Err(worst) = wf.with_budgets(set).fits(limit_days(p))
    {
        tracing::info!(procedure = %p.code, worst, "step budgets over the legal limit");
        errors.push(FieldError::new("budgets", "workflow_too_long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let before = of(db, p.id, &wf.key).await?;
    row::Entity::delete_many()
        .filter(row::Column::ProcedureId.eq(p.id))
        .filter(row::Column::WorkflowKey.eq(&wf.key))
        .exec(db)
        .await?;
    let rows: Vec<row::ActiveModel> = set
        .iter()
        .filter_map(|(key, budget)| {
            let (unit, amount) = match budget {
                Budget::Days(d) => ("days", *d),
                Budget::Hours(h) => ("hours", *h),
                _ => return None,
            };
            Some(row::ActiveModel {
                procedure_id: Set(p.id),
                workflow_key: Set(wf.key.clone()),
                state_key: Set(key.clone()),
                unit: Set(unit.into()),
                amount: Set(amount),
                updated_at: Set(now),
            })
        })
        .collect();
    if !rows.is_empty() {
        row::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    // They live in the procedure's view each process keeps (`catalogue::views`).
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    let shown = |b: &[(String, Budget)]| serde_json::to_value(b).unwrap_or_default();
    let detail = serde_json::json!({"workflow": wf.key, "before": shown(&before), "after": shown(set)});
    audit::record(db, actor, "procedure.step_budgets", &p.code, detail, now).await
}
