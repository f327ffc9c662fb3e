//! Dossiers (hồ sơ): the applicant's request with its form data, the
//! documents in each slot, and the history every change appends to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    Id,
    PublicId,
    Code,
    ProcedureId,
    ProcedureVersion,
    AgencyId,
    ApplicantId,
    CreatedBy,
    Channel,
    Status,
    ResumeStatus,
    FormData,
    ApplicantName,
    ApplicantIdNumber,
    ApplicantAddress,
    ApplicantPhone,
    ApplicantEmail,
    IdempotencyKey,
    RequestHash,
    SupplementRequest,
    SubmittedAt,
    ReceivedAt,
    DueAt,
    ClosedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DossierDocument {
    Table,
    Id,
    DossierId,
    Slot,
    Name,
    Required,
    UploadId,
    Round,
    AddedAt,
}

#[derive(DeriveIden)]
enum DossierEvent {
    Table,
    Id,
    DossierId,
    At,
    ActorId,
    ActorLabel,
    Action,
    FromStatus,
    ToStatus,
    Note,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    Id,
    AutoReceive,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Upload {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Procedure::Table)
                    .add_column(boolean(Procedure::AutoReceive).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dossier::Table)
                    .col(big_pk_auto(Dossier::Id))
                    .col(string_len_uniq(Dossier::PublicId, 64))
                    .col(string_len_null(Dossier::Code, 64).unique_key())
                    .col(integer(Dossier::ProcedureId))
                    .col(integer(Dossier::ProcedureVersion))
                    .col(integer(Dossier::AgencyId))
                    .col(integer_null(Dossier::ApplicantId))
                    .col(integer(Dossier::CreatedBy))
                    .col(string_len(Dossier::Channel, 16))
                    .col(string_len(Dossier::Status, 32))
                    .col(string_len_null(Dossier::ResumeStatus, 32))
                    .col(text(Dossier::FormData))
                    .col(string_len(Dossier::ApplicantName, 255))
                    .col(string_len(Dossier::ApplicantIdNumber, 32))
                    .col(string_len(Dossier::ApplicantAddress, 500))
                    .col(string_len(Dossier::ApplicantPhone, 32))
                    .col(string_len(Dossier::ApplicantEmail, 255))
                    .col(string_len_null(Dossier::IdempotencyKey, 128))
                    .col(string_len_null(Dossier::RequestHash, 64))
                    .col(text_null(Dossier::SupplementRequest))
                    .col(timestamp_with_time_zone_null(Dossier::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Dossier::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Dossier::DueAt))
                    .col(timestamp_with_time_zone_null(Dossier::ClosedAt))
                    .col(integer(Dossier::Version))
                    .col(timestamp_with_time_zone(Dossier::CreatedAt))
                    .col(timestamp_with_time_zone(Dossier::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dossier::Table, Dossier::ProcedureId)
                            .to(Procedure::Table, Procedure::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Dossier::Table, Dossier::AgencyId).to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Dossier::Table, Dossier::ApplicantId).to(Account::Table, Account::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Dossier::Table, Dossier::CreatedBy).to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("dossier_applicant_idx", vec![Dossier::ApplicantId, Dossier::Id]),
            ("dossier_agency_status_idx", vec![Dossier::AgencyId, Dossier::Status]),
            ("dossier_due_idx", vec![Dossier::DueAt]),
        ] {
            let mut index = Index::create().name(name).table(Dossier::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        // A retried request carries the same key: at most one dossier per key and author.
        manager
            .create_index(
                Index::create()
                    .name("dossier_idempotency_idx")
                    .table(Dossier::Table)
                    .col(Dossier::CreatedBy)
                    .col(Dossier::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierDocument::Table)
                    .col(big_pk_auto(DossierDocument::Id))
                    .col(big_integer(DossierDocument::DossierId))
                    .col(integer_null(DossierDocument::Slot))
                    .col(string_len(DossierDocument::Name, 500))
                    .col(boolean(DossierDocument::Required))
                    .col(big_integer(DossierDocument::UploadId))
                    .col(integer(DossierDocument::Round))
                    .col(timestamp_with_time_zone(DossierDocument::AddedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierDocument::Table, DossierDocument::DossierId)
                            .to(Dossier::Table, Dossier::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierDocument::Table, DossierDocument::UploadId)
                            .to(Upload::Table, Upload::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossier_document_upload_idx")
                    .table(DossierDocument::Table)
                    .col(DossierDocument::DossierId)
                    .col(DossierDocument::UploadId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierEvent::Table)
                    .col(big_pk_auto(DossierEvent::Id))
                    .col(big_integer(DossierEvent::DossierId))
                    .col(timestamp_with_time_zone(DossierEvent::At))
                    .col(integer_null(DossierEvent::ActorId))
                    .col(string_len(DossierEvent::ActorLabel, 255))
                    .col(string_len(DossierEvent::Action, 64))
                    .col(string_len_null(DossierEvent::FromStatus, 32))
                    .col(string_len(DossierEvent::ToStatus, 32))
                    .col(text(DossierEvent::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierEvent::Table, DossierEvent::DossierId)
                            .to(Dossier::Table, Dossier::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossier_event_dossier_idx")
                    .table(DossierEvent::Table)
                    .col(DossierEvent::DossierId)
                    .col(DossierEvent::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DossierEvent::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DossierDocument::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Dossier::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Procedure::Table).drop_column(Procedure::AutoReceive).to_owned()).await
    }
}
