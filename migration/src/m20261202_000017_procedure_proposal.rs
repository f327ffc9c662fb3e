//! Changes the national database of administrative procedures made to a
//! procedure the portal has, waiting for an admin to apply or dismiss them;
//! at most one pending per procedure (a partial unique index on both engines).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcedureProposal {
    Table,
    Id,
    ProcedureCode,
    BaseVersion,
    Changes,
    Status,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcedureProposal::Table)
                    .col(big_pk_auto(ProcedureProposal::Id))
                    .col(string_len(ProcedureProposal::ProcedureCode, 32))
                    .col(integer(ProcedureProposal::BaseVersion))
                    .col(text(ProcedureProposal::Changes))
                    .col(string_len(ProcedureProposal::Status, 16))
                    .col(timestamp_with_time_zone(ProcedureProposal::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProcedureProposal::DecidedAt))
                    .col(string_len_null(ProcedureProposal::DecidedBy, 255))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX procedure_proposal_one_pending_idx ON procedure_proposal (procedure_code) \
                 WHERE status = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProcedureProposal::Table).to_owned()).await
    }
}
