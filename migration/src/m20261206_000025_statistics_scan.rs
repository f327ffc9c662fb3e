//! An agency's year of statistics read from one index (QĐ 766 index, KPI
//! dashboard): the dossiers by agency and reception, and by agency and end of
//! processing, carrying every column the figures read, so that PostgreSQL
//! answers from the index alone instead of visiting each dossier's row. And
//! the rating's answers on the dossier (`criterion:level`, by criterion), so
//! that the answers per criterion and level are counted in the same scan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    RatingAnswers,
}

/// What the figures read of a dossier received in the period.
const RECEIVED: &str = "procedure_id, channel, status, finished_at, due_at, rescheduled_from, first_due_at, \
                        supplement_count, supplement_seconds, synced_at, paid_online, documents, reused_documents, \
                        rating_dislike, rating_answers, result_upload_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Dossier::Table).add_column(text_null(Dossier::RatingAnswers)).to_owned())
            .await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let answers = if postgres {
            "(SELECT string_agg(a.criterion || ':' || a.level, ',' ORDER BY a.criterion) FROM rating_answer a \
             JOIN rating r ON r.id = a.rating_id WHERE r.dossier_id = dossier.id)"
        } else {
            "(SELECT group_concat(x, ',') FROM (SELECT a.criterion || ':' || a.level AS x FROM rating_answer a \
             JOIN rating r ON r.id = a.rating_id WHERE r.dossier_id = dossier.id ORDER BY a.criterion))"
        };
        db.execute_unprepared(&format!(
            "UPDATE dossier SET rating_answers = {answers} WHERE rating_dislike IS NOT NULL"
        ))
        .await?;
        // SQLite has no INCLUDE; its statistics run on small data sets, through the indexes of migration 022.
        if postgres {
            db.execute_unprepared(&format!(
                "CREATE INDEX idx_dossier_agency_received_facts ON dossier (agency_id, received_at) INCLUDE ({RECEIVED})"
            ))
            .await?;
            db.execute_unprepared(
                "CREATE INDEX idx_dossier_agency_finished_facts ON dossier (agency_id, finished_at) \
                 INCLUDE (status, received_at, supplement_seconds)",
            )
            .await?;
            db.execute_unprepared("DROP INDEX IF EXISTS idx_dossier_agency_received").await?;
            db.execute_unprepared("DROP INDEX IF EXISTS idx_dossier_agency_finished").await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("CREATE INDEX idx_dossier_agency_received ON dossier (agency_id, received_at)")
                .await?;
            db.execute_unprepared("CREATE INDEX idx_dossier_agency_finished ON dossier (agency_id, finished_at)")
                .await?;
            db.execute_unprepared("DROP INDEX idx_dossier_agency_received_facts").await?;
            db.execute_unprepared("DROP INDEX idx_dossier_agency_finished_facts").await?;
        }
        manager.alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::RatingAnswers).to_owned()).await
    }
}
