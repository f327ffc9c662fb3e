//! The lifecycle policies of REGULATIONS §2.1: the time by which an online
//! dossier must be accepted or queried, supplement rounds and the moment an
//! unanswered supplement closes the dossier, and the apology with its new
//! date (once); the partner agency of an inter-agency transfer; the role in
//! which an official acted, for the history. Partial indexes keep the sweep's reads to the dossiers about
//! to change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    AcceptDueAt,
    AcceptLate,
    SupplementCount,
    SupplementDueAt,
    RescheduledFrom,
    ApologyAt,
    ApologyLate,
    PartnerAgencyId,
}

#[derive(DeriveIden)]
enum DossierEvent {
    Table,
    ActorRole,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            timestamp_with_time_zone_null(Dossier::AcceptDueAt),
            boolean(Dossier::AcceptLate).default(false).to_owned(),
            integer(Dossier::SupplementCount).default(0).to_owned(),
            timestamp_with_time_zone_null(Dossier::SupplementDueAt),
            timestamp_with_time_zone_null(Dossier::RescheduledFrom),
            timestamp_with_time_zone_null(Dossier::ApologyAt),
            boolean(Dossier::ApologyLate).default(false).to_owned(),
            integer_null(Dossier::PartnerAgencyId),
        ];
        for mut column in columns {
            manager.alter_table(Table::alter().table(Dossier::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(DossierEvent::Table)
                    .add_column(string_len_null(DossierEvent::ActorRole, 32))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX dossier_accept_watch_idx ON dossier (accept_due_at) \
             WHERE status = 'submitted' AND accept_late = FALSE",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dossier_supplement_watch_idx ON dossier (supplement_due_at) \
             WHERE status = 'awaiting_supplement'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX dossier_supplement_watch_idx").await?;
        db.execute_unprepared("DROP INDEX dossier_accept_watch_idx").await?;
        manager
            .alter_table(Table::alter().table(DossierEvent::Table).drop_column(DossierEvent::ActorRole).to_owned())
            .await?;
        for column in [
            Dossier::PartnerAgencyId,
            Dossier::ApologyLate,
            Dossier::ApologyAt,
            Dossier::RescheduledFrom,
            Dossier::SupplementDueAt,
            Dossier::SupplementCount,
            Dossier::AcceptLate,
            Dossier::AcceptDueAt,
        ] {
            manager.alter_table(Table::alter().table(Dossier::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
