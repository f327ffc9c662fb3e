//! In-portal notices to officials (a deadline warning, a dossier handed to
//! them), written in the transaction of the change they tell about and
//! shown on the official's page.

use chrono::{DateTime, Utc};
use entity::notice;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::error::AppError;

pub async fn post(
    db: &impl ConnectionTrait,
    account: i32,
    dossier: i64,
    kind: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notice::Entity::insert(notice::ActiveModel {
        account_id: Set(account),
        dossier_id: Set(Some(dossier)),
        kind: Set(kind.into()),
        text: Set(text.into()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}
