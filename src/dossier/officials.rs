//! The officials of a unit who can work a workflow role.

use chrono::{DateTime, Utc};
use entity::{account, account_role, dossier};
use sea_orm::sea_query::{Expr, ExprTrait, Query, QueryStatementBuilder};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::auth::role::Role;
use crate::error::AppError;
use crate::workflow::model::WfRole;

/// The staff role that works `role`, if officials work it.
pub fn staff_role(role: WfRole) -> Option<Role> {
    match role {
        WfRole::Reception => Some(Role::Reception),
        WfRole::Specialist => Some(Role::Specialist),
        WfRole::Leader => Some(Role::Leader),
        WfRole::Applicant => None,
    }
}

/// The active officials of `unit` holding the staff role for `role`, by id.
pub async fn with_role(db: &impl ConnectionTrait, unit: i32, role: WfRole) -> Result<Vec<account::Model>, AppError> {
    let Some(staff) = staff_role(role) else { return Ok(Vec::new()) };
    Ok(of_unit_in_role(unit, staff).order_by_asc(account::Column::Id).all(db).await?)
}

fn of_unit_in_role(unit: i32, staff: Role) -> sea_orm::Select<account::Entity> {
    let holders = Query::select()
        .column(account_role::Column::AccountId)
        .from(account_role::Entity)
        .and_where(account_role::Column::Role.eq(staff.as_str()))
        .to_owned();
    account::Entity::find()
        .filter(account::Column::Id.in_subquery(holders))
        .filter(account::Column::UnitId.eq(unit))
        .filter(account::Column::Active.eq(true))
}

/// The official of `unit` working `role` with the least work due soonest:
/// the fewest open dossiers whose step is due by `horizon`, then the fewest
/// open dossiers, then the lowest id (a stable choice). One query.
pub async fn least_loaded(
    db: &impl ConnectionTrait,
    unit: i32,
    role: WfRole,
    horizon: DateTime<Utc>,
) -> Result<Option<i32>, AppError> {
    let Some(staff) = staff_role(role) else { return Ok(None) };
    let held = || {
        Query::select()
            .expr(Expr::col((dossier::Entity, dossier::Column::Id)).count())
            .from(dossier::Entity)
            .and_where(
                Expr::col((dossier::Entity, dossier::Column::AssigneeId))
                    .equals((account::Entity, account::Column::Id)),
            )
            .and_where(Expr::col((dossier::Entity, dossier::Column::ClosedAt)).is_null())
            .to_owned()
    };
    let mut soon = held();
    soon.and_where(Expr::col((dossier::Entity, dossier::Column::StepDueAt)).lte(horizon));
    let sub = |q: sea_orm::sea_query::SelectStatement| Expr::SubQuery(None, Box::new(q.into_sub_query_statement()));
    Ok(of_unit_in_role(unit, staff)
        .select_only()
        .column(account::Column::Id)
        .expr_as(sub(soon), "due_soon")
        .expr_as(sub(held()), "open")
        .order_by_asc(Expr::col("due_soon"))
        .order_by_asc(Expr::col("open"))
        .order_by_asc(account::Column::Id)
        .into_tuple::<(i32, i64, i64)>()
        .one(db)
        .await?
        .map(|(id, _, _)| id))
}
