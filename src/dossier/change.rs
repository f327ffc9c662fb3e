//! The one way a dossier's status changes: under its version (so of two
//! officials acting at once exactly one wins), with its history entry, in
//! the caller's transaction.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::history::{self, Entry};
use super::status::DossierStatus;
use crate::audit::Actor;
use crate::error::AppError;

pub struct Change<'a> {
    pub action: &'a str,
    pub to: DossierStatus,
    pub note: &'a str,
    /// Other columns set with the status.
    pub also: Vec<(dossier::Column, SimpleExpr)>,
    /// Workflow states moved between, when a workflow step is taken.
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
}

pub async fn apply(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    change: Change<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<dossier::Model, AppError> {
    let from = DossierStatus::parse(&d.status);
    let mut update = dossier::Entity::update_many()
        .col_expr(dossier::Column::Status, Expr::value(change.to.as_str()))
        .col_expr(dossier::Column::UpdatedAt, Expr::value(now))
        .col_expr(dossier::Column::Version, Expr::col(dossier::Column::Version).add(1));
    for (column, value) in change.also {
        update = update.col_expr(column, value);
    }
    let changed =
        update.filter(dossier::Column::Id.eq(d.id)).filter(dossier::Column::Version.eq(d.version)).exec(db).await?;
    if changed.rows_affected != 1 {
        return Err(AppError::Conflict("the dossier changed meanwhile".into()));
    }
    let entry = Entry {
        action: change.action,
        from,
        to: change.to,
        note: change.note,
        from_state: change.from_state,
        to_state: change.to_state,
    };
    history::append(db, d.id, actor, entry, now).await?;
    dossier::Entity::find_by_id(d.id).one(db).await?.ok_or(AppError::NotFound)
}
