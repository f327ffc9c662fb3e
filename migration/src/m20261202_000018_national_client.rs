//! The national portal as a client of the portal's inbound API for forwarded
//! dossiers: the client ids an admin registered for it, each with the
//! SHA-256 of its secret (a 256-bit random secret the portal generated and
//! showed once), and when it was revoked.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NationalClient {
    Table,
    Id,
    ClientId,
    SecretSha256,
    CreatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NationalClient::Table)
                    .col(pk_auto(NationalClient::Id))
                    .col(string_len(NationalClient::ClientId, 64).unique_key())
                    .col(string_len(NationalClient::SecretSha256, 64))
                    .col(timestamp_with_time_zone(NationalClient::CreatedAt))
                    .col(timestamp_with_time_zone_null(NationalClient::RevokedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(NationalClient::Table).to_owned()).await
    }
}
