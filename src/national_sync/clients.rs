//! The client ids the national portal calls the inbound API with
//! (`POST /api/v1/national/dossiers`, HTTP Basic). An admin registers one
//! for the national portal: the portal generates a 256-bit secret, shows it
//! once and keeps only its SHA-256 (a random secret of that strength needs
//! no slow hash); a client can be revoked.

use chrono::{DateTime, Utc};
use entity::national_client as client;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppError;

/// Demo only: the client the mock national portal forwards with when demo data is on.
pub const DEMO_CLIENT_ID: &str = "dvcqg-demo";
pub const DEMO_CLIENT_SECRET: &str = "demo-forward-secret-not-for-production";

fn digest(secret: &str) -> String {
    crate::digest::sha256_hex(secret.as_bytes())
}

async fn insert(db: &impl ConnectionTrait, id: &str, secret: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    client::ActiveModel {
        client_id: Set(id.into()),
        secret_sha256: Set(digest(secret)),
        created_at: Set(now),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A new client: its id and its secret, shown this once.
pub async fn register(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(String, String), AppError> {
    let random = |what| crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{what}: {e}")));
    let id = format!("dvcqg-{}", &random("client id")?[..12]);
    let secret = random("secret")?;
    insert(db, &id, &secret, now).await?;
    Ok((id, secret))
}

/// The demo client, with demo data only.
pub async fn register_demo(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), AppError> {
    if client::Entity::find().filter(client::Column::ClientId.eq(DEMO_CLIENT_ID)).one(db).await?.is_none() {
        insert(db, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, now).await?;
    }
    Ok(())
}

/// Whether `id` and `secret` name a client that is not revoked.
pub async fn authenticate(db: &impl ConnectionTrait, id: &str, secret: &str) -> Result<bool, AppError> {
    let found = client::Entity::find()
        .filter(client::Column::ClientId.eq(id))
        .filter(client::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    Ok(found.is_some_and(|c| crate::digest::constant_time_eq(c.secret_sha256.as_bytes(), digest(secret).as_bytes())))
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<client::Model>, AppError> {
    Ok(client::Entity::find().order_by_asc(client::Column::Id).all(db).await?)
}

pub async fn revoke(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<bool, AppError> {
    let done = client::Entity::update_many()
        .col_expr(client::Column::RevokedAt, Expr::value(Some(now)))
        .filter(client::Column::Id.eq(id))
        .filter(client::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
