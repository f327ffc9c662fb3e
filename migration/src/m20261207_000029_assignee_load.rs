//! The open dossiers each official holds, by step due time: least-loaded
//! assignment counts them for every official of a role on every workflow
//! step that assigns (issue 21). Without it each count read the whole
//! dossier table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Partial: a closed dossier is nobody's load. SQLite and PostgreSQL both take this form.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX dossier_assignee_open_idx ON dossier (assignee_id, step_due_at) WHERE closed_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX dossier_assignee_open_idx").await?;
        Ok(())
    }
}
