//! Files applicants have uploaded: their personal document store, from which
//! dossiers take their documents.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Upload {
    Table,
    Id,
    PublicId,
    OwnerId,
    StorageKey,
    FileName,
    Kind,
    SizeBytes,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Upload::Table)
                    .col(big_pk_auto(Upload::Id))
                    .col(string_len_uniq(Upload::PublicId, 64))
                    .col(integer(Upload::OwnerId))
                    .col(string_len(Upload::StorageKey, 512))
                    .col(string_len(Upload::FileName, 200))
                    .col(string_len(Upload::Kind, 16))
                    .col(big_integer(Upload::SizeBytes))
                    .col(string_len(Upload::Sha256, 64))
                    .col(timestamp_with_time_zone(Upload::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Upload::Table, Upload::OwnerId).to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("upload_owner_idx").table(Upload::Table).col(Upload::OwnerId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Upload::Table).to_owned()).await
    }
}
