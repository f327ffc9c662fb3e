//! The officials of a unit who can work a workflow role.

use chrono::{DateTime, Utc};
use entity::{account, account_role};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};

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
/// open dossiers, then the lowest id (a stable choice). One query, which
/// gives the official's row (the step's notice and mail go to them).
///
/// A role one official works (a unit's one leader, often) is theirs
/// without counting: the counts read every open dossier they hold. A `CASE`
/// runs its subquery only when taken; the candidates are counted once.
pub async fn least_loaded(
    db: &impl ConnectionTrait,
    unit: i32,
    role: WfRole,
    horizon: DateTime<Utc>,
) -> Result<Option<account::Model>, AppError> {
    let Some(staff) = staff_role(role) else { return Ok(None) };
    let backend = db.get_database_backend();
    let [unit_p, active_p, role_p, horizon_p] = [1, 2, 3, 4].map(|i| crate::db::placeholder(backend, i));
    let held = "SELECT COUNT(*) FROM dossier WHERE dossier.assignee_id = candidate.id AND dossier.closed_at IS NULL";
    let sql = format!(
        "WITH candidate AS (SELECT * FROM account WHERE unit_id = {unit_p} AND active = {active_p} \
         AND id IN (SELECT account_id FROM account_role WHERE role = {role_p})) \
         SELECT candidate.* FROM candidate ORDER BY \
         CASE WHEN (SELECT COUNT(*) FROM candidate) > 1 THEN ({held} AND dossier.step_due_at <= {horizon_p}) END, \
         CASE WHEN (SELECT COUNT(*) FROM candidate) > 1 THEN ({held}) END, \
         candidate.id LIMIT 1"
    );
    let values: [sea_orm::Value; 4] = [unit.into(), true.into(), staff.as_str().into(), horizon.into()];
    let statement = Statement::from_sql_and_values(backend, sql, values);
    Ok(account::Entity::find().from_raw_sql(statement).one(db).await?)
}
