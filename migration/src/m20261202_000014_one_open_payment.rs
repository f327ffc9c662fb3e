//! At most one open (pending) payment per dossier, enforced by the database
//! on both engines (a partial unique index): a double-click on "pay" cannot
//! open two orders that could both be paid. A payment that takes more than
//! the dossier still owes records the excess, which is refunded.
//!
//! A portal that ran the earlier code may hold several pending orders for one
//! dossier: all but the newest are closed as expired here; should the gateway
//! still confirm one of them, the IPN records it as paid and its excess is
//! refunded (see `payment::settle`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Payment {
    Table,
    OverpaidVnd,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Payment::Table)
                    .add_column(big_integer(Payment::OverpaidVnd).default(0).to_owned())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE payment SET status = 'expired' WHERE status = 'pending' AND id NOT IN \
             (SELECT MAX(id) FROM payment WHERE status = 'pending' GROUP BY dossier_id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX payment_one_open_idx ON payment (dossier_id) WHERE status = 'pending'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX payment_one_open_idx").await?;
        manager.alter_table(Table::alter().table(Payment::Table).drop_column(Payment::OverpaidVnd).to_owned()).await
    }
}
