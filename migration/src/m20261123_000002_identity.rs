//! Accounts, roles, the append-only audit log and rate-limit counters.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

// Column names mirror the entity, so an `account_type` column sits in `Account`.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Kind,
    Username,
    PasswordHash,
    SsoSubject,
    AccountType,
    CitizenId,
    TaxCode,
    FullName,
    Email,
    Phone,
    VneidVerified,
    UnitId,
    Active,
    FailedSignIns,
    LockedUntil,
    SessionEpoch,
    LastSignInAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountRole {
    Table,
    AccountId,
    Role,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Action,
    Target,
    Detail,
    Ip,
}

#[derive(DeriveIden)]
enum RateLimit {
    Table,
    Key,
    WindowStart,
    Hits,
}

/// The audit log has no update or delete path in the code; the database
/// refuses them too.
const SQLITE_APPEND_ONLY: &[&str] = &[
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
];
const POSTGRES_APPEND_ONLY: &[&str] = &[
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_auto(Account::Id))
                    .col(string_len(Account::Kind, 16))
                    .col(string_len_null(Account::Username, 64).unique_key())
                    .col(string_len_null(Account::PasswordHash, 200))
                    .col(string_len_null(Account::SsoSubject, 200).unique_key())
                    .col(integer_null(Account::AccountType))
                    .col(string_len_null(Account::CitizenId, 20))
                    .col(string_len_null(Account::TaxCode, 20))
                    .col(string_len(Account::FullName, 200))
                    .col(string_len_null(Account::Email, 254))
                    .col(string_len_null(Account::Phone, 20))
                    .col(boolean(Account::VneidVerified))
                    .col(integer_null(Account::UnitId))
                    .col(boolean(Account::Active))
                    .col(integer(Account::FailedSignIns))
                    .col(timestamp_with_time_zone_null(Account::LockedUntil))
                    .col(integer(Account::SessionEpoch))
                    .col(timestamp_with_time_zone_null(Account::LastSignInAt))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Account::Table, Account::UnitId).to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountRole::Table)
                    .col(integer(AccountRole::AccountId))
                    .col(string_len(AccountRole::Role, 16))
                    .primary_key(Index::create().col(AccountRole::AccountId).col(AccountRole::Role))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountRole::Table, AccountRole::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::Actor, 200))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::Target, 200))
                    .col(text(AuditLog::Detail))
                    .col(string_len(AuditLog::Ip, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("audit_log_at_idx").table(AuditLog::Table).col(AuditLog::At).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RateLimit::Table)
                    .col(string_len(RateLimit::Key, 200).primary_key())
                    .col(big_integer(RateLimit::WindowStart))
                    .col(integer(RateLimit::Hits))
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_APPEND_ONLY,
            DbBackend::Postgres => POSTGRES_APPEND_ONLY,
            _ => &[],
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")
                .await?;
        }
        manager.drop_table(Table::drop().table(RateLimit::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AccountRole::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Account::Table).to_owned()).await?;
        Ok(())
    }
}
