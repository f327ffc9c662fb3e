//! Satisfaction ratings of finished dossiers (REGULATIONS §5.3; QĐ 766
//! indicator 5.4): one per dossier, changeable for a few days, one answer
//! per criterion on the three-level scale; the officials who handled the
//! dossier, for their unit's figures; and the one-time links a counter
//! applicant rates with, kept as the SHA-256 of the token.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rating {
    Table,
    Id,
    DossierId,
    ProcedureId,
    AgencyId,
    Via,
    Comment,
    Dislike,
    CreatedAt,
    UpdatedAt,
    EditableUntil,
    Version,
}

#[derive(DeriveIden)]
enum RatingAnswer {
    Table,
    Id,
    RatingId,
    Criterion,
    Level,
}

#[derive(DeriveIden)]
enum RatingOfficial {
    Table,
    RatingId,
    AccountId,
}

#[derive(DeriveIden)]
enum RatingLink {
    Table,
    DossierId,
    TokenSha256,
    IssuedAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rating::Table)
                    .col(pk_auto(Rating::Id))
                    .col(big_integer(Rating::DossierId).unique_key())
                    .col(integer(Rating::ProcedureId))
                    .col(integer(Rating::AgencyId))
                    .col(string_len(Rating::Via, 16))
                    .col(text(Rating::Comment))
                    .col(boolean(Rating::Dislike))
                    .col(timestamp_with_time_zone(Rating::CreatedAt))
                    .col(timestamp_with_time_zone(Rating::UpdatedAt))
                    .col(timestamp_with_time_zone(Rating::EditableUntil))
                    .col(integer(Rating::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rating_agency_created")
                    .table(Rating::Table)
                    .col(Rating::AgencyId)
                    .col(Rating::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RatingAnswer::Table)
                    .col(pk_auto(RatingAnswer::Id))
                    .col(integer(RatingAnswer::RatingId))
                    .col(string_len(RatingAnswer::Criterion, 32))
                    .col(string_len(RatingAnswer::Level, 16))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rating_answer_one")
                    .table(RatingAnswer::Table)
                    .col(RatingAnswer::RatingId)
                    .col(RatingAnswer::Criterion)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RatingOfficial::Table)
                    .col(integer(RatingOfficial::RatingId))
                    .col(integer(RatingOfficial::AccountId))
                    .primary_key(Index::create().col(RatingOfficial::RatingId).col(RatingOfficial::AccountId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RatingLink::Table)
                    .col(big_integer(RatingLink::DossierId).primary_key())
                    .col(string_len(RatingLink::TokenSha256, 64).unique_key())
                    .col(timestamp_with_time_zone(RatingLink::IssuedAt))
                    .col(timestamp_with_time_zone_null(RatingLink::UsedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RatingLink::Table.into_iden(),
            RatingOfficial::Table.into_iden(),
            RatingAnswer::Table.into_iden(),
            Rating::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
