//! The officials of a unit who can work a workflow role.

use entity::{account, account_role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

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
    let holders: Vec<i32> = account_role::Entity::find()
        .filter(account_role::Column::Role.eq(staff.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(holders))
        .filter(account::Column::UnitId.eq(unit))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?)
}
