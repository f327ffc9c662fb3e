//! The procedure catalogue: agencies, fields, procedures with their documents
//! and fees, and the search index over folded (diacritic-free) text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
    Code,
    Name,
    ParentId,
    Level,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Field {
    Table,
    Id,
    Code,
    Name,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    Id,
    Code,
    Name,
    AgencyId,
    FieldId,
    OnlineMode,
    ForCitizen,
    ForBusiness,
    Description,
    Steps,
    TimeLimitHours,
    TimeLimitUnit,
    LegalBasis,
    Result,
    PresenceRequired,
    Status,
    EformSchema,
    WorkflowKey,
    SearchText,
    NameSearch,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProcedureDocument {
    Table,
    Id,
    ProcedureId,
    Position,
    Name,
    Required,
    CopyKind,
    Quantity,
    TemplateFile,
}

#[derive(DeriveIden)]
enum ProcedureFee {
    Table,
    Id,
    ProcedureId,
    Position,
    Kind,
    Name,
    AmountVnd,
    Note,
}

/// SQLite: an FTS5 trigram index over the folded text, kept current by
/// triggers, so `LIKE '%phep%'` is answered from the index.
const SQLITE_SEARCH: &[&str] = &[
    "CREATE VIRTUAL TABLE procedure_search USING fts5(search_text, tokenize = 'trigram')",
    "CREATE TRIGGER procedure_search_insert AFTER INSERT ON procedure BEGIN \
       INSERT INTO procedure_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER procedure_search_update AFTER UPDATE OF search_text ON procedure BEGIN \
       UPDATE procedure_search SET search_text = new.search_text WHERE rowid = new.id; END",
    "CREATE TRIGGER procedure_search_delete AFTER DELETE ON procedure BEGIN \
       DELETE FROM procedure_search WHERE rowid = old.id; END",
];

/// PostgreSQL: trigram GIN indexes, which serve `LIKE '%phep%'` directly.
/// pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it.
const POSTGRES_SEARCH: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX procedure_search_trgm ON procedure USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX procedure_name_search_trgm ON procedure USING gin (name_search gin_trgm_ops)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agency::Table)
                    .col(pk_auto(Agency::Id))
                    .col(string_len_uniq(Agency::Code, 35))
                    .col(string(Agency::Name))
                    .col(integer_null(Agency::ParentId))
                    .col(string_len(Agency::Level, 16))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Agency::Table, Agency::ParentId).to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Field::Table)
                    .col(pk_auto(Field::Id))
                    .col(string_len_uniq(Field::Code, 32))
                    .col(string(Field::Name))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Procedure::Table)
                    .col(pk_auto(Procedure::Id))
                    .col(string_len_uniq(Procedure::Code, 64))
                    .col(string_len(Procedure::Name, 500))
                    .col(integer(Procedure::AgencyId))
                    .col(integer(Procedure::FieldId))
                    .col(string_len(Procedure::OnlineMode, 16))
                    .col(boolean(Procedure::ForCitizen))
                    .col(boolean(Procedure::ForBusiness))
                    .col(text(Procedure::Description))
                    .col(text(Procedure::Steps))
                    .col(integer(Procedure::TimeLimitHours))
                    .col(string_len(Procedure::TimeLimitUnit, 16))
                    .col(text(Procedure::LegalBasis))
                    .col(text(Procedure::Result))
                    .col(boolean(Procedure::PresenceRequired))
                    .col(string_len(Procedure::Status, 16))
                    .col(text(Procedure::EformSchema))
                    .col(string_len(Procedure::WorkflowKey, 64))
                    .col(text(Procedure::SearchText))
                    .col(string_len(Procedure::NameSearch, 600))
                    .col(integer(Procedure::Version))
                    .col(timestamp_with_time_zone(Procedure::CreatedAt))
                    .col(timestamp_with_time_zone(Procedure::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Procedure::Table, Procedure::AgencyId).to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Procedure::Table, Procedure::FieldId).to(Field::Table, Field::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("procedure_status_idx", Procedure::Status),
            ("procedure_agency_idx", Procedure::AgencyId),
            ("procedure_field_idx", Procedure::FieldId),
            ("procedure_name_search_idx", Procedure::NameSearch),
        ] {
            manager.create_index(Index::create().name(name).table(Procedure::Table).col(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ProcedureDocument::Table)
                    .col(pk_auto(ProcedureDocument::Id))
                    .col(integer(ProcedureDocument::ProcedureId))
                    .col(integer(ProcedureDocument::Position))
                    .col(string_len(ProcedureDocument::Name, 500))
                    .col(boolean(ProcedureDocument::Required))
                    .col(string_len(ProcedureDocument::CopyKind, 16))
                    .col(integer(ProcedureDocument::Quantity))
                    .col(string_len_null(ProcedureDocument::TemplateFile, 200))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProcedureDocument::Table, ProcedureDocument::ProcedureId)
                            .to(Procedure::Table, Procedure::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProcedureFee::Table)
                    .col(pk_auto(ProcedureFee::Id))
                    .col(integer(ProcedureFee::ProcedureId))
                    .col(integer(ProcedureFee::Position))
                    .col(string_len(ProcedureFee::Kind, 16))
                    .col(string_len(ProcedureFee::Name, 500))
                    .col(big_integer(ProcedureFee::AmountVnd))
                    .col(string_len(ProcedureFee::Note, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProcedureFee::Table, ProcedureFee::ProcedureId)
                            .to(Procedure::Table, Procedure::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, column) in [
            (
                "procedure_document_procedure_idx",
                ProcedureDocument::Table.into_iden(),
                ProcedureDocument::ProcedureId.into_iden(),
            ),
            ("procedure_fee_procedure_idx", ProcedureFee::Table.into_iden(), ProcedureFee::ProcedureId.into_iden()),
        ] {
            manager.create_index(Index::create().name(name).table(table).col(column).to_owned()).await?;
        }
        let search = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_SEARCH,
            DbBackend::Postgres => POSTGRES_SEARCH,
            _ => &[],
        };
        let db = manager.get_connection();
        for sql in search {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager.get_connection().execute_unprepared("DROP TABLE IF EXISTS procedure_search").await?;
        }
        manager.drop_table(Table::drop().table(ProcedureFee::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ProcedureDocument::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Procedure::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Field::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Agency::Table).to_owned()).await?;
        Ok(())
    }
}
