//! What processing needs on a dossier: who holds it, the current step's
//! start and due time, when the clock was paused, the result document; and
//! the workflow states each history entry moved between (forms 06 and 07).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    AssigneeId,
    StepStartedAt,
    StepDueAt,
    PausedAt,
    ResultUploadId,
    WorkflowState,
    AgencyId,
}

#[derive(DeriveIden)]
enum DossierEvent {
    Table,
    FromState,
    ToState,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            integer_null(Dossier::AssigneeId),
            timestamp_with_time_zone_null(Dossier::StepStartedAt),
            timestamp_with_time_zone_null(Dossier::StepDueAt),
            timestamp_with_time_zone_null(Dossier::PausedAt),
            big_integer_null(Dossier::ResultUploadId),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Dossier::Table).add_column(&mut column).to_owned()).await?;
        }
        for column in [string_len_null(DossierEvent::FromState, 64), string_len_null(DossierEvent::ToState, 64)] {
            let mut column = column;
            manager.alter_table(Table::alter().table(DossierEvent::Table).add_column(&mut column).to_owned()).await?;
        }
        // The inbox: a unit's dossiers by workflow state, soonest due first.
        manager
            .create_index(
                Index::create()
                    .name("dossier_inbox_idx")
                    .table(Dossier::Table)
                    .col(Dossier::AgencyId)
                    .col(Dossier::WorkflowState)
                    .col(Dossier::StepDueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("dossier_inbox_idx").table(Dossier::Table).to_owned()).await?;
        for column in [DossierEvent::FromState, DossierEvent::ToState] {
            manager.alter_table(Table::alter().table(DossierEvent::Table).drop_column(column).to_owned()).await?;
        }
        for column in [
            Dossier::AssigneeId,
            Dossier::StepStartedAt,
            Dossier::StepDueAt,
            Dossier::PausedAt,
            Dossier::ResultUploadId,
        ] {
            manager.alter_table(Table::alter().table(Dossier::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
