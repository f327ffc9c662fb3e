//! Ordered delivery of the national-portal sync events: a worker leases a
//! whole dossier (an ordering key) before it sends that dossier's events,
//! so two portal processes never send one dossier's events at once or out
//! of order; the lease ends by itself when a worker dies holding it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxKeyLease {
    Table,
    Topic,
    OrderingKey,
    LeaseUntil,
    Holder,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Topic,
    OrderingKey,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxKeyLease::Table)
                    .col(string_len(OutboxKeyLease::Topic, 32))
                    .col(string_len(OutboxKeyLease::OrderingKey, 128))
                    .col(timestamp_with_time_zone(OutboxKeyLease::LeaseUntil))
                    .col(string_len(OutboxKeyLease::Holder, 64))
                    .primary_key(Index::create().col(OutboxKeyLease::Topic).col(OutboxKeyLease::OrderingKey))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_key_order_idx")
                    .table(Outbox::Table)
                    .col(Outbox::Topic)
                    .col(Outbox::OrderingKey)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("outbox_key_order_idx").table(Outbox::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(OutboxKeyLease::Table).to_owned()).await
    }
}
