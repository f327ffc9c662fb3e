//! Giving or changing a rating: who may, when, and what is written with it
//! (the answers, the officials who handled the dossier, the national record)
//! in one transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use entity::{dossier, dossier_event, rating, rating_answer, rating_official};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, SqlErr,
};

use super::{Level, is_finished};
use crate::context::Context;
use crate::error::{AppError, FieldError};

/// The longest comment kept.
pub const MAX_COMMENT: usize = 2000;

/// Who rates.
#[derive(Debug, Clone)]
pub enum Rater {
    /// The applicant's own account.
    Account(i32),
    /// A counter applicant, with the SHA-256 of the one-time link's token.
    Link(String),
}

/// What the rater sent: a level per criterion key, and a comment.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub criteria: BTreeMap<String, String>,
    pub comment: String,
}

/// The answers checked against the configured criteria: every one rated, no other.
pub fn check(cx: &Context, given: &Given) -> Result<(Vec<(String, Level)>, String), AppError> {
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for c in &cx.settings.ratings.criteria {
        match given.criteria.get(&c.key).map(|v| v.trim()) {
            None | Some("") => errors.push(FieldError::new(format!("criteria.{}", c.key), "required")),
            Some(v) => match Level::parse(v) {
                Some(level) => answers.push((c.key.clone(), level)),
                None => errors.push(FieldError::new(format!("criteria.{}", c.key), "invalid_choice")),
            },
        }
    }
    for key in given.criteria.keys() {
        if !cx.settings.ratings.criteria.iter().any(|c| &c.key == key) {
            errors.push(FieldError::new(format!("criteria.{key}"), "unknown"));
        }
    }
    let comment = crate::text::nfc(given.comment.trim());
    if comment.chars().count() > MAX_COMMENT {
        errors.push(FieldError::new("comment", "too_long"));
    }
    if crate::text::has_forbidden_control(&comment) {
        errors.push(FieldError::new("comment", "control_characters"));
    }
    if errors.is_empty() { Ok((answers, comment)) } else { Err(AppError::Validation(errors)) }
}

/// Rates dossier `d` (read before; checked again in the transaction), or
/// changes its rating while that is allowed. The same answers sent twice
/// (two clicks) change nothing.
pub async fn give(
    cx: &Context,
    d: &dossier::Model,
    rater: &Rater,
    given: &Given,
    now: DateTime<Utc>,
) -> Result<rating::Model, AppError> {
    if let Rater::Account(id) = rater
        && d.applicant_id != Some(*id)
    {
        return Err(AppError::Forbidden);
    }
    let (answers, comment) = check(cx, given)?;
    let txn = crate::db::begin_write(&cx.db).await?;
    let d = dossier::Entity::find_by_id(d.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if !is_finished(&d) {
        return Err(AppError::Conflict("the dossier can be rated once it is finished".into()));
    }
    let held = rating::Entity::find().filter(rating::Column::DossierId.eq(d.id)).one(&txn).await?;
    if let Rater::Link(hash) = rater {
        super::link::use_once(&txn, d.id, hash, now).await?;
    }
    let dislike = answers.iter().any(|(_, l)| *l == Level::Dissatisfied);
    let via = if matches!(rater, Rater::Link(_)) { "link" } else { "account" };
    let saved = match held {
        Some(old) => {
            if now > old.editable_until {
                return Err(AppError::Conflict("the rating can no longer be changed".into()));
            }
            if old.comment == comment && same_answers(&txn, old.id, &answers).await? {
                return Ok(old);
            }
            let changed = rating::Entity::update_many()
                .col_expr(rating::Column::Comment, Expr::value(comment.clone()))
                .col_expr(rating::Column::Dislike, Expr::value(dislike))
                .col_expr(rating::Column::UpdatedAt, Expr::value(now))
                .col_expr(rating::Column::Version, Expr::col(rating::Column::Version).add(1))
                .filter(rating::Column::Id.eq(old.id))
                .filter(rating::Column::Version.eq(old.version))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                return Err(AppError::Conflict("the rating changed meanwhile".into()));
            }
            rating_answer::Entity::delete_many().filter(rating_answer::Column::RatingId.eq(old.id)).exec(&txn).await?;
            rating::Entity::find_by_id(old.id).one(&txn).await?.ok_or(AppError::NotFound)?
        }
        None => {
            let inserted = rating::ActiveModel {
                dossier_id: Set(d.id),
                procedure_id: Set(d.procedure_id),
                agency_id: Set(d.agency_id),
                via: Set(via.into()),
                comment: Set(comment.clone()),
                dislike: Set(dislike),
                created_at: Set(now),
                updated_at: Set(now),
                editable_until: Set(now + Duration::days(cx.settings.ratings.edit_days)),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            let created = match inserted {
                Ok(created) => created,
                // PostgreSQL: another tab rated first (the unique index).
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(AppError::Conflict("the dossier was rated meanwhile".into()));
                }
                Err(e) => return Err(e.into()),
            };
            record_officials(&txn, &d, created.id).await?;
            created
        }
    };
    let rows = answers.iter().map(|(key, level)| rating_answer::ActiveModel {
        rating_id: Set(saved.id),
        criterion: Set(key.clone()),
        level: Set(level.as_str().into()),
        ..Default::default()
    });
    rating_answer::Entity::insert_many(rows).exec(&txn).await?;
    crate::dossier::facts::rated(&txn, d.id).await?;
    super::record::enqueue(&txn, cx, &d, &saved, &answers, now).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn same_answers(
    db: &impl ConnectionTrait,
    rating_id: i32,
    answers: &[(String, Level)],
) -> Result<bool, AppError> {
    let held = rating_answer::Entity::find().filter(rating_answer::Column::RatingId.eq(rating_id)).all(db).await?;
    Ok(held.len() == answers.len()
        && answers.iter().all(|(k, l)| held.iter().any(|h| &h.criterion == k && h.level == l.as_str())))
}

/// The officials who acted on the dossier in a role of theirs: the rating
/// counts for them, and they never see by whom.
async fn record_officials(db: &impl ConnectionTrait, d: &dossier::Model, rating_id: i32) -> Result<(), AppError> {
    let ids: Vec<Option<i32>> = dossier_event::Entity::find()
        .select_only()
        .column(dossier_event::Column::ActorId)
        .distinct()
        .filter(dossier_event::Column::DossierId.eq(d.id))
        .filter(dossier_event::Column::ActorId.is_not_null())
        .filter(dossier_event::Column::ActorRole.is_not_null())
        .filter(dossier_event::Column::ActorRole.ne("applicant"))
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<_> = ids
        .into_iter()
        .flatten()
        .filter(|id| Some(*id) != d.applicant_id)
        .map(|account_id| rating_official::ActiveModel { rating_id: Set(rating_id), account_id: Set(account_id) })
        .collect();
    if !rows.is_empty() {
        rating_official::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The rating of dossier `d`, with its answers, if it was rated.
pub async fn of_dossier(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
) -> Result<Option<(rating::Model, Vec<rating_answer::Model>)>, AppError> {
    let Some(r) = rating::Entity::find().filter(rating::Column::DossierId.eq(d.id)).one(db).await? else {
        return Ok(None);
    };
    let answers = rating_answer::Entity::find().filter(rating_answer::Column::RatingId.eq(r.id)).all(db).await?;
    Ok(Some((r, answers)))
}
