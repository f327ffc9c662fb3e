//! Online fee payments: one row per attempt at the gateway, money in whole
//! đồng, a unique transaction reference, and its refund; whether a
//! procedure returns its fee, and fees counted per item of the e-form. A partial index
//! keeps reconciliation's reads to the payments still pending.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Payment {
    Table,
    Id,
    DossierId,
    TxnRef,
    AmountVnd,
    Status,
    OrderInfo,
    CreatedAt,
    ExpiresAt,
    SettledAt,
    GatewayTxnNo,
    BankCode,
    ResponseCode,
    PayDate,
    RefundStatus,
    RefundedVnd,
    RefundRequestedAt,
    RefundedAt,
    CreatedBy,
    Version,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    FeeRefundable,
}

#[derive(DeriveIden)]
enum ProcedureFee {
    Table,
    PerItem,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Payment::Table)
                    .col(big_pk_auto(Payment::Id))
                    .col(big_integer(Payment::DossierId))
                    .col(string_len_uniq(Payment::TxnRef, 40))
                    .col(big_integer(Payment::AmountVnd))
                    .col(string_len(Payment::Status, 16))
                    .col(string_len(Payment::OrderInfo, 255))
                    .col(timestamp_with_time_zone(Payment::CreatedAt))
                    .col(timestamp_with_time_zone(Payment::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Payment::SettledAt))
                    .col(string_len_null(Payment::GatewayTxnNo, 40))
                    .col(string_len_null(Payment::BankCode, 20))
                    .col(string_len_null(Payment::ResponseCode, 4))
                    .col(timestamp_with_time_zone_null(Payment::PayDate))
                    .col(string_len(Payment::RefundStatus, 16).default("none"))
                    .col(big_integer(Payment::RefundedVnd).default(0))
                    .col(timestamp_with_time_zone_null(Payment::RefundRequestedAt))
                    .col(timestamp_with_time_zone_null(Payment::RefundedAt))
                    .col(integer_null(Payment::CreatedBy))
                    .col(integer(Payment::Version).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("payment_dossier_idx").table(Payment::Table).col(Payment::DossierId).to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX payment_pending_idx ON payment (created_at) WHERE status = 'pending'")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX payment_refund_idx ON payment (refund_requested_at) WHERE refund_status = 'requested'",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Procedure::Table)
                    .add_column(boolean(Procedure::FeeRefundable).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ProcedureFee::Table)
                    .add_column(string_len(ProcedureFee::PerItem, 64).default(""))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(ProcedureFee::Table).drop_column(ProcedureFee::PerItem).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Procedure::Table).drop_column(Procedure::FeeRefundable).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Payment::Table).to_owned()).await
    }
}
