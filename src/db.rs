//! Connecting to the database and bringing its schema up to date; the lane
//! that transactions holding a contended lock run on (`on_lane`).

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;
use crate::error::AppError;

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
    count_statements(&mut db);
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while one writer commits.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

/// Every statement on `db` counts towards the request (or job) that sent it: see `counting`.
/// `MOTCUA_LOG=motcua::sql=trace` lists them, for finding what to cut.
fn count_statements(db: &mut DatabaseConnection) {
    db.set_metric_callback(|info| {
        let _ = STATEMENTS.try_with(|n| n.set(n.get() + 1));
        tracing::trace!(target: "motcua::sql", elapsed_us = info.elapsed.as_micros() as u64, "{}", info.statement.sql);
    });
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

/// Runs `work` on the database lane: threads that run only transactions
/// which hold a lock others queue behind (a submission holds its agency's
/// sequence of dossier codes from the number to the commit), never parsing
/// uploads or rendering pages. On the web workers such a transaction waited
/// behind the other requests' work on the same thread between each answer and
/// its next statement, and every submission of the agency waited with it.
/// The work runs to its end even if the caller goes away: its transaction
/// commits or rolls back whole. Its statements count towards the caller's.
pub async fn on_lane<T, F>(work: F) -> Result<T, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    T: Send + 'static,
{
    use tracing::Instrument;
    // Boxed before anything wraps it: a submission's future is large, and each
    // wrapper would otherwise move it across the caller's stack.
    let work: std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, AppError>> + Send>> = Box::pin(work);
    let work = counting(work).instrument(tracing::Span::current());
    let (out, statements) = match lane().spawn(work).await {
        Ok(done) => done,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // A caller outside `counting` counts nothing, as with its own statements.
    let _ = STATEMENTS.try_with(|n| n.set(n.get() + statements));
    out
}

/// The lane's runtime: as many threads as cores, started on first use.
fn lane() -> &'static tokio::runtime::Runtime {
    static LANE: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    LANE.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("motcua-db-lane")
            .enable_all()
            .build()
            .expect("the database lane's threads start")
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn select(n: u8) -> sea_orm::Statement {
        sea_orm::Statement::from_string(DbBackend::Sqlite, format!("SELECT {n}"))
    }

    async fn memory_db() -> DatabaseConnection {
        let mut db = Database::connect("sqlite::memory:").await.expect("an in-memory database");
        count_statements(&mut db);
        db
    }

    #[tokio::test]
    async fn statements_on_the_lane_count_towards_the_caller() {
        let db = memory_db().await;
        let lane_db = db.clone();
        let (done, statements) = counting(async {
            db.query_one_raw(select(1)).await.unwrap();
            on_lane(async move {
                lane_db.query_one_raw(select(2)).await?;
                lane_db.query_one_raw(select(3)).await?;
                Ok("done")
            })
            .await
        })
        .await;
        assert_eq!(done.unwrap(), "done");
        assert_eq!(statements, 3);
    }

    #[tokio::test]
    async fn work_on_the_lane_ends_even_when_its_caller_goes_away() {
        let (started, seen) = tokio::sync::oneshot::channel();
        let (ended, end) = tokio::sync::oneshot::channel();
        let caller = tokio::spawn(on_lane(async move {
            let _ = started.send(());
            tokio::time::sleep(Duration::from_millis(50)).await;
            let _ = ended.send(());
            Ok(())
        }));
        seen.await.unwrap();
        caller.abort();
        assert!(caller.await.unwrap_err().is_cancelled());
        // Had the work been dropped with its caller, `ended` would be dropped unsent.
        end.await.expect("the work ran to its end");
    }

    #[tokio::test]
    async fn a_panic_on_the_lane_reaches_the_caller() {
        let caught = tokio::spawn(on_lane::<(), _>(async { panic!("on the lane") })).await.unwrap_err();
        assert!(caught.is_panic());
    }
}
