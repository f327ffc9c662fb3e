//! A procedure's own budget for a step of its workflow (whole or half working
//! days, or working hours), in place of the workflow's: "30 ngày làm việc =
//! 240 giờ" split into the unit's steps.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcedureStepBudget {
    Table,
    ProcedureId,
    WorkflowKey,
    StateKey,
    Unit,
    Amount,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcedureStepBudget::Table)
                    .col(integer(ProcedureStepBudget::ProcedureId))
                    .col(string_len(ProcedureStepBudget::WorkflowKey, 64))
                    .col(string_len(ProcedureStepBudget::StateKey, 64))
                    .col(string_len(ProcedureStepBudget::Unit, 8))
                    .col(double(ProcedureStepBudget::Amount))
                    .col(timestamp_with_time_zone(ProcedureStepBudget::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ProcedureStepBudget::ProcedureId)
                            .col(ProcedureStepBudget::WorkflowKey)
                            .col(ProcedureStepBudget::StateKey),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProcedureStepBudget::Table).to_owned()).await
    }
}
