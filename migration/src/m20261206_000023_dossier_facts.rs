//! The per-dossier facts the QĐ 766 index and the dashboard read (REGULATIONS
//! §5.2), kept on the dossier row so that an agency's year is one indexed
//! scan instead of six correlated lookups a dossier: when a national record
//! of it was first delivered (1.4, 3.3), a fee paid through the gateway
//! (3.6), its documents and those reused from the store (4.2, 4.3), its
//! rating's "Không hài lòng" (5.4; none while unrated), and the seconds it
//! waited for supplements between reception and the end of processing
//! (2.2). The portal's `dossier::facts` writes them from now on; this fills
//! them for the dossiers already there, by the same definitions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    SyncedAt,
    PaidOnline,
    Documents,
    ReusedDocuments,
    RatingDislike,
    SupplementSeconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            timestamp_with_time_zone_null(Dossier::SyncedAt),
            boolean(Dossier::PaidOnline).default(false).to_owned(),
            integer(Dossier::Documents).default(0).to_owned(),
            integer(Dossier::ReusedDocuments).default(0).to_owned(),
            boolean_null(Dossier::RatingDislike),
            big_integer(Dossier::SupplementSeconds).default(0).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Dossier::Table).add_column(&mut column).to_owned()).await?;
        }
        let seconds = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "CAST(EXTRACT(EPOCH FROM (COALESCE(q.ended_at, dossier.finished_at) - q.started_at)) AS BIGINT)"
            }
            _ => {
                "CAST(ROUND((julianday(COALESCE(q.ended_at, dossier.finished_at)) - julianday(q.started_at)) * 86400) AS INTEGER)"
            }
        };
        let backfill = format!(
            "UPDATE dossier SET \
             synced_at = (SELECT MIN(o.delivered_at) FROM outbox o WHERE o.topic = 'national_sync' \
               AND o.ordering_key = dossier.code AND o.status = 'done'), \
             paid_online = EXISTS (SELECT 1 FROM payment y WHERE y.dossier_id = dossier.id AND y.status = 'paid' \
               AND y.method = 'gateway'), \
             documents = (SELECT COUNT(*) FROM dossier_document x WHERE x.dossier_id = dossier.id), \
             reused_documents = (SELECT COUNT(*) FROM dossier_document x WHERE x.dossier_id = dossier.id \
               AND x.origin = 'reused'), \
             rating_dislike = (SELECT r.dislike FROM rating r WHERE r.dossier_id = dossier.id), \
             supplement_seconds = COALESCE((SELECT SUM({seconds}) FROM dossier_pause q \
               WHERE q.dossier_id = dossier.id AND q.reason = 'supplement' \
               AND q.started_at >= dossier.received_at AND q.started_at < dossier.finished_at), 0)"
        );
        manager.get_connection().execute_unprepared(&backfill).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Dossier::SyncedAt,
            Dossier::PaidOnline,
            Dossier::Documents,
            Dossier::ReusedDocuments,
            Dossier::RatingDislike,
            Dossier::SupplementSeconds,
        ] {
            manager.alter_table(Table::alter().table(Dossier::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
