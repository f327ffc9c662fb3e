//! The audit log: who did what, when, from where. Append-only — this module
//! offers no way to change or remove an entry, and the database refuses to.
//! Changes write their entry in the same transaction as the change itself.

use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::error::AppError;

/// Who acts, as the audit log records them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i32>,
    pub label: String,
    pub ip: String,
    /// The role an official acts in, where one step names it (for the dossier's history).
    pub role: Option<String>,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor { id: None, label: format!("Hệ thống: {what}"), ip: String::new(), role: None }
    }

    /// The same person, acting in `role`.
    pub fn in_role(&self, role: &str) -> Actor {
        Actor { role: Some(role.to_owned()), ..self.clone() }
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        at: Set(now),
        actor_id: Set(actor.id),
        actor: Set(actor.label.chars().take(200).collect()),
        action: Set(action.into()),
        target: Set(target.chars().take(200).collect()),
        detail: Set(detail.to_string()),
        ip: Set(actor.ip.chars().take(64).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub items: Vec<audit_log::Model>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// Newest first, optionally only one action.
pub async fn page(
    db: &impl ConnectionTrait,
    action: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<AuditPage, AppError> {
    let mut select = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
    if let Some(action) = action {
        select = select.filter(audit_log::Column::Action.eq(action));
    }
    let total = select.clone().count(db).await?;
    let page = page.max(1);
    let items = select.offset((page - 1) * per_page).limit(per_page).all(db).await?;
    Ok(AuditPage { items, total, page, pages: total.div_ceil(per_page) })
}
