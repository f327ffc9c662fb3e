//! Workflow versions: each distinct content of a workflow file, kept with
//! its hash and source, so a dossier stays on the version it started with.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkflowVersion {
    Table,
    Id,
    Key,
    Version,
    ContentHash,
    Source,
    LoadedAt,
}

#[derive(DeriveIden)]
enum Dossier {
    Table,
    WorkflowVersionId,
    WorkflowState,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkflowVersion::Table)
                    .col(big_pk_auto(WorkflowVersion::Id))
                    .col(string_len(WorkflowVersion::Key, 64))
                    .col(integer(WorkflowVersion::Version))
                    .col(string_len(WorkflowVersion::ContentHash, 64))
                    .col(text(WorkflowVersion::Source))
                    .col(timestamp_with_time_zone(WorkflowVersion::LoadedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("workflow_version_hash_idx")
                    .table(WorkflowVersion::Table)
                    .col(WorkflowVersion::Key)
                    .col(WorkflowVersion::ContentHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .add_column(big_integer_null(Dossier::WorkflowVersionId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Dossier::Table).add_column(string_len_null(Dossier::WorkflowState, 64)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::WorkflowState).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::WorkflowVersionId).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(WorkflowVersion::Table).to_owned()).await
    }
}
