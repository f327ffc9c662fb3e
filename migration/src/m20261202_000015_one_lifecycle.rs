//! One dossier lifecycle (issue 16): every change of a dossier carries a
//! sequence number of its own so the national portal can order them; a
//! history entry says what kind of change it was (a closed list) and, for a
//! workflow step, the step's action key from the workflow file; the
//! original appointment and the moment a dossier first became late are kept
//! when the appointment moves, and when processing ended (QĐ 766
//! `NgayKetThucXuLy`); the dossier records whether its applicant's
//! account was verified with VNeID when it was submitted, and each document
//! how it came (uploaded, digitised at the counter, reused from the store);
//! each supplement round keeps its times and its old and new appointment
//! (REGULATIONS §5.2, §6.2 `DanhSachHoSoBoSung`); each fee says when it is
//! collected; a step past its own deadline is flagged once; each published
//! version of a procedure is kept for the dossiers submitted under it.
//!
//! Existing history is numbered in the order it was written, its kind read
//! from the action it recorded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    Id,
    EventSeq,
    FirstDueAt,
    LateAt,
    FinishedAt,
    VneidVerified,
    StepLate,
}

#[derive(DeriveIden)]
enum DossierEvent {
    Table,
    Seq,
    Kind,
    StepAction,
}

#[derive(DeriveIden)]
enum DossierDocument {
    Table,
    Origin,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    ClockWaitsForFee,
    CorrectionRestartsClock,
}

#[derive(DeriveIden)]
enum ProcedureFee {
    Table,
    Collected,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    Method,
}

#[derive(DeriveIden)]
enum ProcedureRevision {
    Table,
    Id,
    ProcedureId,
    Version,
    Record,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DossierPause {
    Table,
    Id,
    DossierId,
    /// `supplement`, `fee` or `other`: what the clock waited for.
    Reason,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum SupplementRound {
    Table,
    Id,
    DossierId,
    Round,
    /// `reception` (before the dossier was received) or `processing`.
    Stage,
    RequestedAt,
    RequestedBy,
    Content,
    AnsweredAt,
    /// `open`, `answered` or `expired`.
    Status,
    DueBefore,
    DueAfter,
}

/// The fixed actions the history has recorded so far, which are their own kind;
/// payments and refunds are one kind each; anything else was a workflow step.
const FIXED: &[&str] = &[
    "submit",
    "receive",
    "refuse",
    "request_supplement",
    "answer_supplement",
    "withdraw",
    "supplement_timeout",
    "apology",
    "reassign",
    "comment",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let dossier_columns = [
            integer(Dossier::EventSeq).default(0).to_owned(),
            timestamp_with_time_zone_null(Dossier::FirstDueAt),
            timestamp_with_time_zone_null(Dossier::LateAt),
            timestamp_with_time_zone_null(Dossier::FinishedAt),
            boolean(Dossier::VneidVerified).default(false).to_owned(),
            boolean(Dossier::StepLate).default(false).to_owned(),
        ];
        // SQLite adds one column per ALTER TABLE.
        for mut column in dossier_columns {
            manager.alter_table(Table::alter().table(Dossier::Table).add_column(&mut column).to_owned()).await?;
        }
        let event_columns = [
            integer(DossierEvent::Seq).default(0).to_owned(),
            string_len(DossierEvent::Kind, 32).default("step").to_owned(),
            string_len_null(DossierEvent::StepAction, 64),
        ];
        for mut column in event_columns {
            manager.alter_table(Table::alter().table(DossierEvent::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(DossierDocument::Table)
                    .add_column(string_len(DossierDocument::Origin, 16).default("uploaded"))
                    .to_owned(),
            )
            .await?;
        // The per-procedure clock policies, with REGULATIONS' defaults.
        for mut column in [
            boolean(Procedure::ClockWaitsForFee).default(true).to_owned(),
            boolean(Procedure::CorrectionRestartsClock).default(true).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Procedure::Table).add_column(&mut column).to_owned()).await?;
        }
        // When each fee is collected (REGULATIONS §2.1 item 12); until now every fee was paid with the dossier.
        manager
            .alter_table(
                Table::alter()
                    .table(ProcedureFee::Table)
                    .add_column(string_len(ProcedureFee::Collected, 16).default("submission"))
                    .to_owned(),
            )
            .await?;
        // A fee paid at the counter is recorded by the officer; only the gateway's count as paid online.
        manager
            .alter_table(
                Table::alter()
                    .table(Payment::Table)
                    .add_column(string_len(Payment::Method, 16).default("gateway"))
                    .to_owned(),
            )
            .await?;
        // Each published version of a procedure, as its catalogue record: a
        // dossier keeps the one it was submitted under.
        manager
            .create_table(
                Table::create()
                    .table(ProcedureRevision::Table)
                    .col(big_pk_auto(ProcedureRevision::Id))
                    .col(integer(ProcedureRevision::ProcedureId))
                    .col(integer(ProcedureRevision::Version))
                    .col(text(ProcedureRevision::Record))
                    .col(timestamp_with_time_zone(ProcedureRevision::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("procedure_revision_version_idx")
                    .table(ProcedureRevision::Table)
                    .col(ProcedureRevision::ProcedureId)
                    .col(ProcedureRevision::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The intervals the clock stood still, which QĐ 766 subtracts from the time taken.
        manager
            .create_table(
                Table::create()
                    .table(DossierPause::Table)
                    .col(big_pk_auto(DossierPause::Id))
                    .col(big_integer(DossierPause::DossierId))
                    .col(string_len(DossierPause::Reason, 16))
                    .col(timestamp_with_time_zone(DossierPause::StartedAt))
                    .col(timestamp_with_time_zone_null(DossierPause::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierPause::Table, DossierPause::DossierId)
                            .to(Dossier::Table, Dossier::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossier_pause_dossier_idx")
                    .table(DossierPause::Table)
                    .col(DossierPause::DossierId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupplementRound::Table)
                    .col(big_pk_auto(SupplementRound::Id))
                    .col(big_integer(SupplementRound::DossierId))
                    .col(integer(SupplementRound::Round))
                    .col(string_len(SupplementRound::Stage, 16))
                    .col(timestamp_with_time_zone(SupplementRound::RequestedAt))
                    .col(string_len(SupplementRound::RequestedBy, 250))
                    .col(text(SupplementRound::Content))
                    .col(timestamp_with_time_zone_null(SupplementRound::AnsweredAt))
                    .col(string_len(SupplementRound::Status, 16))
                    .col(timestamp_with_time_zone_null(SupplementRound::DueBefore))
                    .col(timestamp_with_time_zone_null(SupplementRound::DueAfter))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupplementRound::Table, SupplementRound::DossierId)
                            .to(Dossier::Table, Dossier::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("supplement_round_dossier_idx")
                    .table(SupplementRound::Table)
                    .col(SupplementRound::DossierId)
                    .col(SupplementRound::Round)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE dossier_event SET seq = (SELECT COUNT(*) FROM dossier_event e \
             WHERE e.dossier_id = dossier_event.dossier_id AND e.id <= dossier_event.id)",
        )
        .await?;
        let fixed = FIXED.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", ");
        db.execute_unprepared(&format!("UPDATE dossier_event SET kind = action WHERE action IN ({fixed})")).await?;
        db.execute_unprepared("UPDATE dossier_event SET kind = 'payment' WHERE action LIKE 'payment%'").await?;
        db.execute_unprepared("UPDATE dossier_event SET kind = 'refund' WHERE action LIKE 'refund%'").await?;
        db.execute_unprepared("UPDATE dossier_event SET step_action = action WHERE kind = 'step'").await?;
        db.execute_unprepared(
            "UPDATE dossier SET event_seq = (SELECT COUNT(*) FROM dossier_event e WHERE e.dossier_id = dossier.id)",
        )
        .await?;
        db.execute_unprepared("UPDATE dossier SET first_due_at = COALESCE(rescheduled_from, due_at)").await?;
        db.execute_unprepared("UPDATE dossier SET late_at = due_at WHERE due_state = 'overdue'").await?;
        // The step sweep reads only the open steps not yet flagged late.
        db.execute_unprepared(
            "CREATE INDEX dossier_step_watch_idx ON dossier (step_due_at) \
             WHERE closed_at IS NULL AND step_late = FALSE",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE dossier SET finished_at = closed_at WHERE closed_at IS NOT NULL AND status <> 'returned'",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossier_event_seq_idx")
                    .table(DossierEvent::Table)
                    .col(Alias::new("dossier_id"))
                    .col(DossierEvent::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("dossier_event_seq_idx").table(DossierEvent::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SupplementRound::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DossierPause::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ProcedureRevision::Table).to_owned()).await?;
        for column in [Procedure::ClockWaitsForFee, Procedure::CorrectionRestartsClock] {
            manager.alter_table(Table::alter().table(Procedure::Table).drop_column(column).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Payment::Table).drop_column(Payment::Method).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(ProcedureFee::Table).drop_column(ProcedureFee::Collected).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(DossierDocument::Table).drop_column(DossierDocument::Origin).to_owned())
            .await?;
        for column in [DossierEvent::StepAction, DossierEvent::Kind, DossierEvent::Seq] {
            manager.alter_table(Table::alter().table(DossierEvent::Table).drop_column(column).to_owned()).await?;
        }
        db_drop_step_watch(manager).await?;
        for column in [
            Dossier::StepLate,
            Dossier::VneidVerified,
            Dossier::FinishedAt,
            Dossier::LateAt,
            Dossier::FirstDueAt,
            Dossier::EventSeq,
        ] {
            manager.alter_table(Table::alter().table(Dossier::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

async fn db_drop_step_watch(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared("DROP INDEX dossier_step_watch_idx").await?;
    Ok(())
}
