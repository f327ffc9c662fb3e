//! Activations: a version of a workflow put to use for chosen procedures from
//! a moment. Refused, with nothing written, when the version was never dry-run
//! to an end, when its step budgets do not fit a procedure's legal time limit
//! along every way through it, or when the moment is past. Each is audited
//! with the version it replaces for that procedure and moves the counter.

use chrono::{DateTime, Utc};
use entity::{procedure, workflow_activation, workflow_version};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::audit::{self, Actor};
use crate::error::{AppError, FieldError};

/// Puts version `version` to use for `procedures` from `from`, in the transaction `db`.
pub async fn activate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    version: i64,
    procedures: &[String],
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let v = workflow_version::Entity::find_by_id(version).one(db).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    if !super::versions::usable(&v) {
        errors.push(FieldError::new("version", "workflow_not_tried"));
    }
    if procedures.is_empty() {
        errors.push(FieldError::new("procedures", "required"));
    }
    if from < now - chrono::Duration::minutes(1) {
        errors.push(FieldError::new("effective_from", "in_the_past"));
    }
    let wf = crate::workflow_registry::version(db, v.id).await?;
    let chosen = procedure::Entity::find().filter(procedure::Column::Code.is_in(procedures.to_vec())).all(db).await?;
    if chosen.len() != procedures.len() {
        errors.push(FieldError::new("procedures", "invalid_choice"));
    }
    for p in &chosen {
        // With the procedure's own step budgets, where it sets them.
        if !super::step_budgets::fits_with_own(db, p.id, &wf, super::step_budgets::limit_days(p)).await? {
            errors.push(FieldError::new("procedures", "workflow_too_long"));
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(AppError::Validation(errors));
    }
    for p in &chosen {
        let before = in_force(db, p.id, from).await?;
        workflow_activation::ActiveModel {
            procedure_id: Set(p.id),
            workflow_version_id: Set(v.id),
            effective_from: Set(from),
            created_by: Set(actor.label.chars().take(250).collect()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let detail =
            serde_json::json!({"effective_from": from, "before": before, "after": {"key": v.key, "version": v.id}});
        audit::record(db, actor, "workflow.activate", &p.code, detail, now).await?;
    }
    super::counter::bump(db, super::counter::WORKFLOWS).await
}

/// The version activated for procedure `procedure` at `at`, if any: the latest to take effect by then.
async fn in_force(db: &impl ConnectionTrait, procedure: i32, at: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    Ok(workflow_activation::Entity::find()
        .filter(workflow_activation::Column::ProcedureId.eq(procedure))
        .filter(workflow_activation::Column::EffectiveFrom.lte(at))
        .order_by_desc(workflow_activation::Column::EffectiveFrom)
        .order_by_desc(workflow_activation::Column::Id)
        .one(db)
        .await?
        .map(|a| a.workflow_version_id))
}

/// Every activation, in the order they take effect.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<workflow_activation::Model>, AppError> {
    Ok(workflow_activation::Entity::find()
        .order_by_asc(workflow_activation::Column::EffectiveFrom)
        .order_by_asc(workflow_activation::Column::Id)
        .all(db)
        .await?)
}
