//! Wiring only: cron schedules → domain jobs (daily housekeeping, the deadline sweep). Every job is safe to run on
//! several portal processes at once (each is a single idempotent statement).
//! Times are UTC; 20:17 UTC is 03:17 in Hà Nội, outside office hours.

use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::{deadlines, outbox, ratelimit};

/// Delivered messages are kept this long for the operator's view.
const KEEP_DELIVERED_DAYS: i64 = 30;
/// Rate-limit counters older than this serve no window any more.
const KEEP_COUNTERS_SECS: i64 = 24 * 3600;

pub async fn start(db: DatabaseConnection) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new().await?;
    let sweeper = db.clone();
    scheduler
        .add(Job::new_async("0 17 20 * * *", move |_, _| {
            let db = db.clone();
            Box::pin(async move { housekeeping(&db).await })
        })?)
        .await?;
    // Deadlines every five minutes; the sweep reads only the dossiers about to change.
    scheduler
        .add(Job::new_async("0 */5 * * * *", move |_, _| {
            let db = sweeper.clone();
            Box::pin(async move {
                match deadlines::sweep(&db, Utc::now()).await {
                    Ok(r) if r.due_soon + r.overdue > 0 => {
                        tracing::info!(
                            due_soon = r.due_soon,
                            overdue = r.overdue,
                            notices = r.notices,
                            "deadline sweep"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "deadline sweep failed"),
                }
            })
        })?)
        .await?;
    scheduler.start().await?;
    Ok(scheduler)
}

async fn housekeeping(db: &DatabaseConnection) {
    let now = Utc::now();
    match outbox::purge_delivered(db, now - Duration::days(KEEP_DELIVERED_DAYS)).await {
        Ok(n) => tracing::info!(rows = n, "old delivered messages removed"),
        Err(e) => tracing::error!(error = %e, "outbox housekeeping failed"),
    }
    match ratelimit::purge_expired(db, now, KEEP_COUNTERS_SECS).await {
        Ok(n) => tracing::info!(rows = n, "old rate-limit counters removed"),
        Err(e) => tracing::error!(error = %e, "rate-limit housekeeping failed"),
    }
}
