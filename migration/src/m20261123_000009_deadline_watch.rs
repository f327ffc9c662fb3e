//! Watching deadlines: each open dossier's deadline state and the moment it
//! becomes "due soon", with partial indexes so that a sweep reads only the
//! dossiers about to change; and in-portal notices for officials.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    DueState,
    DueSoonAt,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    AccountId,
    DossierId,
    Kind,
    Text,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .add_column(string_len(Dossier::DueState, 16).default("on_time"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .add_column(timestamp_with_time_zone_null(Dossier::DueSoonAt))
                    .to_owned(),
            )
            .await?;
        // Same syntax on SQLite and PostgreSQL: only open, running dossiers not yet flagged are indexed.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX dossier_soon_watch_idx ON dossier (due_soon_at) \
             WHERE closed_at IS NULL AND paused_at IS NULL AND due_state = 'on_time'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dossier_overdue_watch_idx ON dossier (due_at) \
             WHERE closed_at IS NULL AND paused_at IS NULL AND due_state <> 'overdue'",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notice::Table)
                    .col(big_pk_auto(Notice::Id))
                    .col(integer(Notice::AccountId))
                    .col(big_integer_null(Notice::DossierId))
                    .col(string_len(Notice::Kind, 32))
                    .col(text(Notice::Text))
                    .col(timestamp_with_time_zone(Notice::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notice::ReadAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notice_account_idx")
                    .table(Notice::Table)
                    .col(Notice::AccountId)
                    .col(Notice::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Notice::Table).to_owned()).await?;
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX dossier_overdue_watch_idx").await?;
        db.execute_unprepared("DROP INDEX dossier_soon_watch_idx").await?;
        manager.alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::DueSoonAt).to_owned()).await?;
        manager.alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::DueState).to_owned()).await
    }
}
