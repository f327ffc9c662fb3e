//! The history's index on (dossier, id) goes: every query of the history
//! reads one dossier's entries in their order, which the unique index on
//! (dossier, seq) serves, and so does the cascade from a deleted dossier.
//! Each change of a dossier wrote an entry into both (issue 21).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX dossier_event_dossier_idx").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX dossier_event_dossier_idx ON dossier_event (dossier_id, id)")
            .await?;
        Ok(())
    }
}
