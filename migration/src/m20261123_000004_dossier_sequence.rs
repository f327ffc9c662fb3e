//! Daily dossier numbers per agency, for dossier codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DossierSequence {
    Table,
    AgencyCode,
    Day,
    Last,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DossierSequence::Table)
                    .col(string_len(DossierSequence::AgencyCode, 35))
                    .col(string_len(DossierSequence::Day, 10))
                    .col(integer(DossierSequence::Last))
                    .primary_key(Index::create().col(DossierSequence::AgencyCode).col(DossierSequence::Day))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DossierSequence::Table).to_owned()).await
    }
}
