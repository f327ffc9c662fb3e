//! A unit's ratings as its leaders see them: how many, the spread of each
//! criterion, the share satisfied, and the comments — never who rated or
//! which dossier (REGULATIONS §5.3). Counted in SQL.

use chrono::{DateTime, Utc};
use entity::{rating, rating_answer};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use serde::Serialize;

use crate::error::AppError;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CriterionFigures {
    pub key: String,
    pub label: String,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub dissatisfied: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comment {
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitFigures {
    pub ratings: i64,
    pub with_dislike: i64,
    pub criteria: Vec<CriterionFigures>,
    pub comments: Vec<Comment>,
}

/// The ratings of agency `agency` given in `[from, to)`.
pub async fn figures(
    db: &impl ConnectionTrait,
    agency: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    criteria: &[crate::config::ratings::Criterion],
) -> Result<UnitFigures, AppError> {
    let within = || {
        rating::Column::AgencyId
            .eq(agency)
            .and(rating::Column::CreatedAt.gte(from))
            .and(rating::Column::CreatedAt.lt(to))
    };
    let (ratings, with_dislike): (i64, Option<i64>) = rating::Entity::find()
        .select_only()
        .column_as(Expr::col(rating::Column::Id).count(), "n")
        .column_as(
            Expr::expr(Func::sum(Expr::case(Expr::col(rating::Column::Dislike).eq(true), 1).finally(0))),
            "dislike",
        )
        .filter(within())
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    let spread: Vec<(String, String, i64)> = rating_answer::Entity::find()
        .select_only()
        .column(rating_answer::Column::Criterion)
        .column(rating_answer::Column::Level)
        .column_as(Expr::col((Alias::new("rating_answer"), rating_answer::Column::Id)).count(), "n")
        .join(JoinType::InnerJoin, rating_answer::Relation::Rating.def())
        .filter(within())
        .group_by(rating_answer::Column::Criterion)
        .group_by(rating_answer::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    let count = |key: &str, level: super::Level| {
        spread.iter().find(|(k, l, _)| k == key && l == level.as_str()).map_or(0, |(_, _, n)| *n)
    };
    let criteria = criteria
        .iter()
        .map(|c| CriterionFigures {
            key: c.key.clone(),
            label: c.label_vi.clone(),
            very_satisfied: count(&c.key, super::Level::VerySatisfied),
            satisfied: count(&c.key, super::Level::Satisfied),
            dissatisfied: count(&c.key, super::Level::Dissatisfied),
        })
        .collect();
    let comments = rating::Entity::find()
        .filter(within())
        .filter(rating::Column::Comment.ne(""))
        .order_by_desc(rating::Column::CreatedAt)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Comment { at: r.created_at, text: r.comment })
        .collect();
    Ok(UnitFigures { ratings, with_dislike: with_dislike.unwrap_or(0), criteria, comments })
}
