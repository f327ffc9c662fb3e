//! The dossier's history: every change appends one entry in the same
//! transaction as the change. Forms 06 and 07 of TT 03/2025/TT-VPCP are
//! printed from it.

use chrono::{DateTime, Utc};
use entity::dossier_event;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::status::DossierStatus;
use crate::audit::Actor;
use crate::error::AppError;

pub struct Entry<'a> {
    pub action: &'a str,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    pub note: &'a str,
    /// Workflow states, for processing steps.
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
}

pub async fn append(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    actor: &Actor,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    dossier_event::ActiveModel {
        dossier_id: Set(dossier_id),
        at: Set(now),
        actor_id: Set(actor.id),
        actor_label: Set(actor.label.chars().take(250).collect()),
        actor_role: Set(actor.role.clone()),
        action: Set(entry.action.into()),
        from_status: Set(entry.from.map(|s| s.as_str().to_owned())),
        to_status: Set(entry.to.as_str().into()),
        note: Set(entry.note.into()),
        from_state: Set(entry.from_state.map(str::to_owned)),
        to_state: Set(entry.to_state.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn of(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<dossier_event::Model>, AppError> {
    Ok(dossier_event::Entity::find()
        .filter(dossier_event::Column::DossierId.eq(dossier_id))
        .order_by_asc(dossier_event::Column::Id)
        .all(db)
        .await?)
}
