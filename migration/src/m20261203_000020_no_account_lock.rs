//! Accounts are never locked: failed sign-ins are throttled per address and
//! name (`ratelimit`), so a stranger cannot lock an official out. The lock
//! columns the first schema carried were never written; they go.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Account {
    Table,
    FailedSignIns,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Account::FailedSignIns, Account::LockedUntil] {
            manager.alter_table(Table::alter().table(Account::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in
            [integer(Account::FailedSignIns).default(0).to_owned(), timestamp_with_time_zone_null(Account::LockedUntil)]
        {
            manager.alter_table(Table::alter().table(Account::Table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }
}
