//! Time rules set by admins without a deploy: versions of the portal's, an
//! agency's or a procedure's rules, each from its effective moment; the days
//! an agency works or rests unlike the national calendar; and on each dossier
//! the rules resolved when it was submitted, which it keeps.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SlaRule {
    Table,
    Id,
    Level,
    AgencyId,
    ProcedureId,
    EffectiveFrom,
    Rules,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgencyDay {
    Table,
    AgencyId,
    Day,
    Kind,
    Name,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Dossier {
    Table,
    SlaRules,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SlaRule::Table)
                    .col(big_pk_auto(SlaRule::Id))
                    .col(string_len(SlaRule::Level, 16))
                    .col(integer_null(SlaRule::AgencyId))
                    .col(integer_null(SlaRule::ProcedureId))
                    .col(timestamp_with_time_zone(SlaRule::EffectiveFrom))
                    .col(text(SlaRule::Rules))
                    .col(string_len(SlaRule::CreatedBy, 250))
                    .col(timestamp_with_time_zone(SlaRule::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgencyDay::Table)
                    .col(integer(AgencyDay::AgencyId))
                    .col(string_len(AgencyDay::Day, 10))
                    .col(string_len(AgencyDay::Kind, 32))
                    .col(string_len(AgencyDay::Name, 200))
                    .col(timestamp_with_time_zone(AgencyDay::UpdatedAt))
                    .primary_key(Index::create().col(AgencyDay::AgencyId).col(AgencyDay::Day))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Dossier::Table).add_column(text_null(Dossier::SlaRules)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::SlaRules).to_owned()).await?;
        manager.drop_table(Table::drop().table(AgencyDay::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SlaRule::Table).to_owned()).await
    }
}
