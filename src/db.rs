//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    if settings.is_sqlite() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let mut options = ConnectOptions::new(settings.database_url.clone());
    options
        .max_connections(if settings.is_sqlite() { 8 } else { 20 })
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let mut db = Database::connect(options).await?;
    // Every statement counts towards the request (or job) that sent it: see `counting`.
    // `MOTCUA_LOG=motcua::sql=trace` lists them, for finding what to cut.
    db.set_metric_callback(|info| {
        let _ = STATEMENTS.try_with(|n| n.set(n.get() + 1));
        tracing::trace!(target: "motcua::sql", elapsed_us = info.elapsed.as_micros() as u64, "{}", info.statement.sql);
    });
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while one writer commits.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

tokio::task_local! {
    static STATEMENTS: std::cell::Cell<u32>;
}

/// Runs `work`, counting the SQL statements it sends on connections of
/// `connect` (a stable figure beside wall-clock time: see BENCHMARKS.md).
pub async fn counting<F: std::future::Future>(work: F) -> (F::Output, u32) {
    STATEMENTS
        .scope(std::cell::Cell::new(0), async {
            let out = work.await;
            (out, STATEMENTS.with(std::cell::Cell::get))
        })
        .await
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), waiting for it, so two writers queue instead of
/// one failing with "database is locked" when its read turns into a write.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// The `i`-th (from 1) bound value's placeholder in raw SQL, numbered on both
/// engines so a value may appear anywhere in the text.
pub fn placeholder(backend: sea_orm::DbBackend, i: usize) -> String {
    if backend == sea_orm::DbBackend::Postgres { format!("${i}") } else { format!("?{i}") }
}
