//! Account use cases: applicants from the national SSO, officials with
//! passwords, roles, sign-out everywhere.

use chrono::{DateTime, Utc};
use entity::{account, account_role, agency};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter,
};

use super::password;
use super::principal::{self, Principal};
use super::role::{AccountKind, Role};
use super::sso_identity::SsoIdentity;
use crate::error::{AppError, FieldError};

#[derive(Debug)]
pub enum SignInError {
    /// Unknown username or wrong password: the caller must not tell which.
    Invalid,
}

/// Finds or creates the applicant the national SSO vouches for. A later
/// sign-in refreshes name and contact details but keeps the account. Two
/// first sign-ins at once (two tabs) make one account: the second insert
/// yields to the first (`ON CONFLICT DO NOTHING`, which on PostgreSQL waits
/// for the first to commit) and both go on with the same row.
pub async fn sign_in_applicant(
    db: &DatabaseConnection,
    who: &SsoIdentity,
    now: DateTime<Utc>,
) -> Result<Principal, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let fresh = account::ActiveModel {
        kind: Set(who.kind().as_str().into()),
        username: Set(None),
        password_hash: Set(None),
        sso_subject: Set(Some(who.subject.clone())),
        account_type: Set(Some(who.account_type)),
        citizen_id: Set(who.citizen_id.clone()),
        tax_code: Set(who.tax_code.clone()),
        full_name: Set(who.full_name.clone()),
        email: Set(who.email.clone()),
        phone: Set(who.phone.clone()),
        vneid_verified: Set(who.vneid_verified),
        unit_id: Set(None),
        active: Set(true),
        session_epoch: Set(0),
        last_sign_in_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    account::Entity::insert(fresh).on_conflict_do_nothing_on([account::Column::SsoSubject]).exec(&txn).await?;
    let found = account::Entity::find().filter(account::Column::SsoSubject.eq(&who.subject)).one(&txn).await?;
    let mut m = found
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the applicant's account vanished")))?
        .into_active_model();
    m.full_name = Set(who.full_name.clone());
    m.email = Set(who.email.clone());
    m.phone = Set(who.phone.clone());
    m.vneid_verified = Set(who.vneid_verified);
    m.account_type = Set(Some(who.account_type));
    m.last_sign_in_at = Set(Some(now));
    m.updated_at = Set(now);
    let saved = m.update(&txn).await?;
    let principal = principal::from_account(&txn, saved).await?;
    txn.commit().await?;
    Ok(principal)
}

/// Checks an official's password. An unknown name costs the same time as a
/// wrong password and gets the same answer. Nothing is locked here: repeated
/// failures are throttled per name and address by the caller, so a stranger
/// cannot lock an official out.
pub async fn sign_in_official(
    db: &DatabaseConnection,
    username: &str,
    password_text: &str,
    now: DateTime<Utc>,
) -> Result<Result<Principal, SignInError>, AppError> {
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username.trim().to_lowercase()))
        .filter(account::Column::Kind.eq(AccountKind::Official.as_str()))
        .one(db)
        .await?;
    let Some(found) = found.filter(|a| a.active) else {
        password::burn_time_off_executor(password_text).await;
        return Ok(Err(SignInError::Invalid));
    };
    let matches = match found.password_hash.as_deref() {
        Some(h) => password::verify_off_executor(password_text, h).await,
        None => false,
    };
    if !matches {
        return Ok(Err(SignInError::Invalid));
    }
    let mut m = found.into_active_model();
    m.last_sign_in_at = Set(Some(now));
    let saved = m.update(db).await?;
    Ok(Ok(principal::from_account(db, saved).await?))
}

/// A new official, as the admin page and `motcua user create` make them.
#[derive(Debug, Clone)]
pub struct NewOfficial {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
    pub password: String,
    /// Demo and test accounts only: every account of this process with the
    /// same password shares one hash (see `password::shared_hash`).
    pub shared_hash: bool,
}

fn valid_username(u: &str) -> bool {
    (3..=64).contains(&u.len())
        && u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

async fn unit_id(
    db: &impl ConnectionTrait,
    code: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i32>, AppError> {
    let Some(code) = code.filter(|c| !c.is_empty()) else { return Ok(None) };
    let unit = agency::Entity::find().filter(agency::Column::Code.eq(code)).one(db).await?;
    if unit.is_none() {
        errors.push(FieldError::new("unit_code", "unknown"));
    }
    Ok(unit.map(|u| u.id))
}

pub async fn create_official(
    db: &DatabaseConnection,
    new: NewOfficial,
    now: DateTime<Utc>,
) -> Result<Principal, AppError> {
    let username = new.username.trim().to_lowercase();
    let mut errors = Vec::new();
    if !valid_username(&username) {
        errors.push(FieldError::new("username", "username"));
    }
    let full_name = crate::text::nfc(&new.full_name);
    if !(2..=200).contains(&full_name.chars().count()) {
        errors.push(FieldError::new("full_name", "required"));
    }
    if new.roles.is_empty() || new.roles.iter().any(|r| !r.is_staff()) {
        errors.push(FieldError::new("roles", "roles"));
    }
    if let Some(code) = password::weakness(&new.password, &username) {
        errors.push(FieldError::new("password", code));
    }
    let unit_id = unit_id(db, new.unit_code.as_deref(), &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = match new.shared_hash {
        true => password::shared_hash(&new.password).await?,
        false => password::hash_off_executor(&new.password).await?,
    };
    let txn = crate::db::begin_write(db).await?;
    if account::Entity::find().filter(account::Column::Username.eq(&username)).one(&txn).await?.is_some() {
        return Err(AppError::Validation(vec![FieldError::new("username", "taken")]));
    }
    let saved = account::ActiveModel {
        kind: Set(AccountKind::Official.as_str().into()),
        username: Set(Some(username)),
        password_hash: Set(Some(hash)),
        sso_subject: Set(None),
        account_type: Set(None),
        citizen_id: Set(None),
        tax_code: Set(None),
        full_name: Set(full_name),
        email: Set(new.email.filter(|e| !e.trim().is_empty())),
        phone: Set(None),
        vneid_verified: Set(false),
        unit_id: Set(unit_id),
        active: Set(true),
        session_epoch: Set(0),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_roles(&txn, saved.id, &new.roles).await?;
    let principal = principal::from_account(&txn, saved).await?;
    txn.commit().await?;
    Ok(principal)
}

async fn replace_roles(db: &impl ConnectionTrait, account_id: i32, roles: &[Role]) -> Result<(), AppError> {
    account_role::Entity::delete_many().filter(account_role::Column::AccountId.eq(account_id)).exec(db).await?;
    let rows: Vec<_> = roles
        .iter()
        .map(|r| account_role::ActiveModel { account_id: Set(account_id), role: Set(r.as_str().into()) })
        .collect();
    if !rows.is_empty() {
        account_role::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// What an admin may change of an official.
#[derive(Debug, Clone)]
pub struct OfficialChange {
    pub full_name: String,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

pub async fn update_official(
    db: &DatabaseConnection,
    id: i32,
    change: OfficialChange,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let full_name = crate::text::nfc(&change.full_name);
    if !(2..=200).contains(&full_name.chars().count()) {
        errors.push(FieldError::new("full_name", "required"));
    }
    if change.roles.is_empty() || change.roles.iter().any(|r| !r.is_staff()) {
        errors.push(FieldError::new("roles", "roles"));
    }
    let unit_id = unit_id(db, change.unit_code.as_deref(), &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let found = official(&txn, id).await?;
    let keeps_admin = change.active && change.roles.contains(&Role::Admin);
    if !keeps_admin && is_admin(&txn, id).await? && other_active_admins(&txn, id).await? == 0 {
        return Err(AppError::Validation(vec![FieldError::new("roles", "last_admin")]));
    }
    let epoch = found.session_epoch;
    let mut m = found.into_active_model();
    m.full_name = Set(full_name);
    m.unit_id = Set(unit_id);
    m.active = Set(change.active);
    // A change of roles or a disabled account ends the sessions that had the old rights.
    m.session_epoch = Set(epoch + 1);
    m.updated_at = Set(now);
    m.update(&txn).await?;
    replace_roles(&txn, id, &change.roles).await?;
    txn.commit().await?;
    Ok(())
}

async fn is_admin(db: &impl ConnectionTrait, id: i32) -> Result<bool, AppError> {
    Ok(account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(id))
        .filter(account_role::Column::Role.eq(Role::Admin.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// Active admins other than `id`: the portal must never be left without one.
async fn other_active_admins(db: &impl ConnectionTrait, id: i32) -> Result<u64, AppError> {
    let admins: Vec<i32> = account_role::Entity::find()
        .filter(account_role::Column::Role.eq(Role::Admin.as_str()))
        .filter(account_role::Column::AccountId.ne(id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    if admins.is_empty() {
        return Ok(0);
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(admins))
        .filter(account::Column::Active.eq(true))
        .count(db)
        .await?)
}

async fn official(db: &impl ConnectionTrait, id: i32) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id)
        .filter(account::Column::Kind.eq(AccountKind::Official.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Sets a new password; `current` is checked unless an admin resets it.
pub async fn set_password(
    db: &DatabaseConnection,
    id: i32,
    current: Option<&str>,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let found = official(db, id).await?;
    let username = found.username.clone().unwrap_or_default();
    let current_ok = match (current, found.password_hash.as_deref()) {
        (None, _) => true,
        (Some(current), Some(h)) => password::verify_off_executor(current, h).await,
        (Some(_), None) => false,
    };
    if !current_ok {
        return Err(AppError::Validation(vec![FieldError::new("current_password", "wrong_password")]));
    }
    if let Some(code) = password::weakness(new_password, &username) {
        return Err(AppError::Validation(vec![FieldError::new("new_password", code)]));
    }
    let epoch = found.session_epoch;
    let mut m = found.into_active_model();
    m.password_hash = Set(Some(password::hash_off_executor(new_password).await?));
    m.session_epoch = Set(epoch + 1);
    m.updated_at = Set(now);
    m.update(db).await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// Voids every session of the account, on every device.
pub async fn sign_out_everywhere(db: &DatabaseConnection, id: i32) -> Result<i32, AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::SessionEpoch, Expr::col(account::Column::SessionEpoch).add(1))
        .filter(account::Column::Id.eq(id))
        .exec(db)
        .await?;
    let found = account::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(found.session_epoch)
}
