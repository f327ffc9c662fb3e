//! The office calendar's special days: holidays, compensatory and swapped
//! days off, and Saturdays worked in exchange; kept by admins.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkCalendar {
    Table,
    Day,
    Kind,
    Name,
    Source,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkCalendar::Table)
                    // ISO date text: the same on SQLite and PostgreSQL, and sorts by date.
                    .col(string_len(WorkCalendar::Day, 10).primary_key())
                    .col(string_len(WorkCalendar::Kind, 32))
                    .col(string_len(WorkCalendar::Name, 200))
                    .col(string_len(WorkCalendar::Source, 300))
                    .col(timestamp_with_time_zone(WorkCalendar::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(WorkCalendar::Table).to_owned()).await
    }
}
