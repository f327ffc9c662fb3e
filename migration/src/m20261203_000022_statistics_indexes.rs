//! The statistics read an agency's dossiers by when they were received and
//! when processing ended (QĐ 766 `NgayTiepNhan`, `NgayKetThucXuLy`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    AgencyId,
    ReceivedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in
            [("idx_dossier_agency_received", Dossier::ReceivedAt), ("idx_dossier_agency_finished", Dossier::FinishedAt)]
        {
            manager
                .create_index(
                    Index::create().name(name).table(Dossier::Table).col(Dossier::AgencyId).col(column).to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_dossier_agency_received", "idx_dossier_agency_finished"] {
            manager.drop_index(Index::drop().name(name).table(Dossier::Table).to_owned()).await?;
        }
        Ok(())
    }
}
