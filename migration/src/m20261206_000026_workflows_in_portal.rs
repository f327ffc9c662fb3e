//! Workflows managed in the portal: a version an admin saved says who saved
//! it and when a dry run of it first reached an end (it may be put to use
//! only then); activations put a version to use for a procedure from a
//! moment, never changed afterwards; and change counters, which every portal
//! process reads to know when what it keeps in memory is stale.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkflowVersion {
    Table,
    MadeBy,
    TriedAt,
}

#[derive(DeriveIden)]
enum WorkflowActivation {
    Table,
    Id,
    ProcedureId,
    WorkflowVersionId,
    EffectiveFrom,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChangeCounter {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in
            [string_len_null(WorkflowVersion::MadeBy, 250), timestamp_with_time_zone_null(WorkflowVersion::TriedAt)]
        {
            manager
                .alter_table(Table::alter().table(WorkflowVersion::Table).add_column(&mut column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(WorkflowActivation::Table)
                    .col(big_pk_auto(WorkflowActivation::Id))
                    .col(integer(WorkflowActivation::ProcedureId))
                    .col(big_integer(WorkflowActivation::WorkflowVersionId))
                    .col(timestamp_with_time_zone(WorkflowActivation::EffectiveFrom))
                    .col(string_len(WorkflowActivation::CreatedBy, 250))
                    .col(timestamp_with_time_zone(WorkflowActivation::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("workflow_activation_procedure_idx")
                    .table(WorkflowActivation::Table)
                    .col(WorkflowActivation::ProcedureId)
                    .col(WorkflowActivation::EffectiveFrom)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChangeCounter::Table)
                    .col(string_len(ChangeCounter::Name, 64).primary_key())
                    .col(big_integer(ChangeCounter::Value).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO change_counter (name, value) VALUES ('workflows', 0)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ChangeCounter::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(WorkflowActivation::Table).to_owned()).await?;
        for column in [WorkflowVersion::MadeBy, WorkflowVersion::TriedAt] {
            manager.alter_table(Table::alter().table(WorkflowVersion::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
