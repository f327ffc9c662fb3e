//! Sessions ended by signing out. A session lives in its encrypted cookie;
//! signing out records the session's id here, so the same cookie replayed
//! afterwards opens nothing, on any node. A row is kept until the session
//! would have ended anyway (12 hours after sign-in), then housekeeping drops it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EndedSession {
    Table,
    SidHash,
    EndedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EndedSession::Table)
                    .col(string_len(EndedSession::SidHash, 64).primary_key())
                    .col(timestamp_with_time_zone(EndedSession::EndedAt))
                    .col(timestamp_with_time_zone(EndedSession::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ended_session_expires_idx")
                    .table(EndedSession::Table)
                    .col(EndedSession::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EndedSession::Table).to_owned()).await
    }
}
