//! Who took a supplement in and what came with it (REGULATIONS §6.2
//! `NguoiTiepNhanBoSung`, `ThongTinTiepNhan`): a walk-in applicant brings the
//! papers to the counter and the reception officer records them; and where
//! the applicant asked to receive the result (form 01 "đăng ký nhận kết quả
//! tại"; §2.3 `HinhThuc`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SupplementRound {
    Table,
    ReceivedBy,
    AnswerNote,
}

#[derive(DeriveIden)]
enum Dossier {
    Table,
    ResultDelivery,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [string_len_null(SupplementRound::ReceivedBy, 250), text_null(SupplementRound::AnswerNote)] {
            manager
                .alter_table(Table::alter().table(SupplementRound::Table).add_column(&mut column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .add_column(string_len(Dossier::ResultDelivery, 16).default("counter"))
                    .to_owned(),
            )
            .await?;
        // Until now a dossier filed online got its result online, one filed at the desk at the desk.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE dossier SET result_delivery = 'electronic' WHERE channel IN ('online', 'national')",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [SupplementRound::ReceivedBy, SupplementRound::AnswerNote] {
            manager.alter_table(Table::alter().table(SupplementRound::Table).drop_column(column).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Dossier::Table).drop_column(Dossier::ResultDelivery).to_owned()).await
    }
}
