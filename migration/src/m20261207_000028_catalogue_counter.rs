//! The catalogue's change counter: moved in the transaction of every change
//! of a procedure, an agency or a field, read by each portal process before
//! it answers a catalogue search from the copy it keeps in memory.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO change_counter (name, value) VALUES ('catalogue', 0)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DELETE FROM change_counter WHERE name = 'catalogue'").await?;
        Ok(())
    }
}
