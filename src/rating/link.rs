//! The one-time rating link of a counter dossier: a random token, printed
//! on the applicant's copy of form 01 as a link and a QR code; the portal
//! keeps its SHA-256 only, so no official's page can show it again. Each
//! print issues a new link and voids the one before.

use chrono::{DateTime, Utc};
use entity::{dossier, rating_link};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::digest::sha256_hex;
use crate::error::AppError;

/// Where a link's token is rated.
pub fn url(public_url: &str, token: &str) -> String {
    format!("{public_url}/danh-gia/{token}")
}

/// A new link for counter dossier `d`; the token is returned once and kept hashed.
pub async fn issue(db: &impl ConnectionTrait, d: &dossier::Model, now: DateTime<Utc>) -> Result<String, AppError> {
    if d.channel != crate::values::Channel::Counter || d.applicant_id.is_some() {
        return Err(AppError::Conflict("an applicant with an account rates on the portal".into()));
    }
    let token = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    rating_link::Entity::insert(rating_link::ActiveModel {
        dossier_id: Set(d.id),
        token_sha256: Set(sha256_hex(token.as_bytes())),
        issued_at: Set(now),
        used_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(rating_link::Column::DossierId)
            .update_columns([rating_link::Column::TokenSha256, rating_link::Column::IssuedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(token)
}

/// A link for counter dossier `d` unless one was issued already (its copy
/// of form 01 carries it, and a new one would void it): the e-mail's link.
pub async fn issue_first(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    if d.channel != crate::values::Channel::Counter || d.applicant_id.is_some() {
        return Ok(None);
    }
    let token = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let inserted = rating_link::Entity::insert(rating_link::ActiveModel {
        dossier_id: Set(d.id),
        token_sha256: Set(sha256_hex(token.as_bytes())),
        issued_at: Set(now),
        used_at: Set(None),
    })
    .on_conflict(OnConflict::column(rating_link::Column::DossierId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok((inserted == 1).then_some(token))
}

/// The dossier a link's token rates, whether or not it was used.
pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(rating_link::Model, dossier::Model)>, AppError> {
    if token.len() > 128 {
        return Ok(None);
    }
    let hash = sha256_hex(token.as_bytes());
    let Some(link) = rating_link::Entity::find().filter(rating_link::Column::TokenSha256.eq(hash)).one(db).await?
    else {
        return Ok(None);
    };
    let d = dossier::Entity::find_by_id(link.dossier_id).one(db).await?;
    Ok(d.map(|d| (link, d)))
}

/// Marks the link used, in the rating's transaction; a used or voided link rates nothing.
pub async fn use_once(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let used = rating_link::Entity::update_many()
        .col_expr(rating_link::Column::UsedAt, Expr::value(now))
        .filter(rating_link::Column::DossierId.eq(dossier_id))
        .filter(rating_link::Column::TokenSha256.eq(hash))
        .filter(rating_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected == 1 { Ok(()) } else { Err(AppError::Conflict("this rating link was used already".into())) }
}
