//! The dossier's history: every change appends one entry in the same
//! transaction as the change (`lifecycle`), numbered in the dossier's own order. Forms 06 and 07 of TT 03/2025/TT-VPCP are
//! printed from it.

use entity::dossier_event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppError;

pub async fn of(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<dossier_event::Model>, AppError> {
    Ok(dossier_event::Entity::find()
        .filter(dossier_event::Column::DossierId.eq(dossier_id))
        .order_by_asc(dossier_event::Column::Seq)
        .all(db)
        .await?)
}
