//! Change counters: a row per thing portal processes keep in memory, moved in
//! the transaction of every change of it, read by each process (one row by
//! its key) to know whether what it keeps is stale.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppError;
use entity::change_counter;

/// The workflows in use: versions saved and activations.
pub const WORKFLOWS: &str = "workflows";
/// The catalogue: procedures, agencies, fields.
pub const CATALOGUE: &str = "catalogue";

pub async fn read(db: &impl ConnectionTrait, name: &str) -> Result<i64, AppError> {
    Ok(change_counter::Entity::find_by_id(name.to_owned()).one(db).await?.map_or(0, |c| c.value))
}

/// Moves counter `name` on, in the caller's transaction.
pub async fn bump(db: &impl ConnectionTrait, name: &str) -> Result<(), AppError> {
    change_counter::Entity::update_many()
        .col_expr(change_counter::Column::Value, Expr::col(change_counter::Column::Value).add(1))
        .filter(change_counter::Column::Name.eq(name))
        .exec(db)
        .await?;
    Ok(())
}
