//! The signed-in person as the rest of the portal sees them.

use entity::{account, account_role, ended_session};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::role::{AccountKind, Role};
use crate::error::AppError;

#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub id: i32,
    pub kind: AccountKind,
    pub name: String,
    /// Officials: their roles; applicants: citizen or business.
    pub roles: Vec<Role>,
    pub unit_id: Option<i32>,
    pub session_epoch: i32,
}

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }

    pub fn is_applicant(&self) -> bool {
        self.kind != AccountKind::Official
    }

    /// How histories, forms and the audit log name this person: by name, as a
    /// Vietnamese page does (the account's id is kept beside it, never shown).
    pub fn label(&self) -> String {
        self.name.clone()
    }
}

/// The active account `id` with its roles, or `None` when it is gone or disabled.
pub async fn load(db: &impl ConnectionTrait, id: i32) -> Result<Option<Principal>, AppError> {
    let Some(account) = account::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if !account.active {
        return Ok(None);
    }
    from_account(db, account).await.map(Some)
}

/// As `load`, in one statement, unless the session whose id hashes to
/// `ended_hash` is recorded as ended (`auth::sessions`): what every request
/// of a signed-in person asks.
pub async fn load_for_session(
    db: &impl ConnectionTrait,
    id: i32,
    ended_hash: &str,
) -> Result<Option<Principal>, AppError> {
    let ended = Query::select()
        .expr(Expr::val(1))
        .from(ended_session::Entity)
        .and_where(Expr::col((ended_session::Entity, ended_session::Column::SidHash)).eq(ended_hash))
        .to_owned();
    let found = account::Entity::find_by_id(id)
        .filter(account::Column::Active.eq(true))
        .filter(Expr::exists(ended).not())
        .find_with_related(account_role::Entity)
        .all(db)
        .await?;
    let Some((account, roles)) = found.into_iter().next() else { return Ok(None) };
    of_account(account, &roles).map(Some)
}

pub async fn from_account(db: &impl ConnectionTrait, account: account::Model) -> Result<Principal, AppError> {
    let roles = if account.kind == AccountKind::Official.as_str() {
        account_role::Entity::find().filter(account_role::Column::AccountId.eq(account.id)).all(db).await?
    } else {
        Vec::new()
    };
    of_account(account, &roles)
}

/// The person of `account` with its role rows (an official's; none for applicants).
fn of_account(account: account::Model, rows: &[account_role::Model]) -> Result<Principal, AppError> {
    let kind =
        AccountKind::parse(&account.kind).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad account kind")))?;
    let roles = match kind {
        AccountKind::Citizen => vec![Role::Citizen],
        AccountKind::Business => vec![Role::Business],
        AccountKind::Official => {
            let mut roles: Vec<Role> =
                rows.iter().filter_map(|r| Role::parse(&r.role)).filter(|r| r.is_staff()).collect();
            roles.sort_by_key(|r| r.as_str());
            roles
        }
    };
    Ok(Principal {
        id: account.id,
        kind,
        name: account.full_name,
        roles,
        unit_id: account.unit_id,
        session_epoch: account.session_epoch,
    })
}
