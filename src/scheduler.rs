//! Wiring only: cron schedules → domain jobs (daily housekeeping, the deadline sweep and supplement expiry). Every job is safe to run on
//! several portal processes at once (each is a single idempotent statement).
//! Times are UTC; 20:17 UTC is 03:17 in Hà Nội, outside office hours.

use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::app::AppState;
use crate::{deadlines, outbox, ratelimit};

/// Delivered messages are kept this long for the operator's view.
const KEEP_DELIVERED_DAYS: i64 = 30;
/// Rate-limit counters older than this serve no window any more.
const KEEP_COUNTERS_SECS: i64 = 24 * 3600;

pub async fn start(state: actix_web::web::Data<AppState>) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new().await?;
    let db = state.db.clone();
    let sweeper = state.clone();
    scheduler
        .add(Job::new_async("0 17 20 * * *", move |_, _| {
            let db = db.clone();
            Box::pin(async move { housekeeping(&db).await })
        })?)
        .await?;
    // Deadlines every five minutes; the sweep reads only the dossiers about to change.
    scheduler
        .add(Job::new_async("0 */5 * * * *", move |_, _| {
            let state = sweeper.clone();
            Box::pin(async move { deadline_jobs(&state).await })
        })?)
        .await?;
    // Payments pending too long are asked about at the gateway; refunds are sent.
    let payer = state.clone();
    scheduler
        .add(Job::new_async("30 * * * * *", move |_, _| {
            let state = payer.clone();
            Box::pin(async move {
                match crate::payment::reconcile::run(&state, state.clock.now()).await {
                    Ok(r) if r.settled + r.expired + r.refunded > 0 => tracing::info!(
                        asked = r.asked,
                        settled = r.settled,
                        expired = r.expired,
                        refunded = r.refunded,
                        "payment reconciliation"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "payment reconciliation failed"),
                }
            })
        })?)
        .await?;
    // The day before, reconciled with the national portal at 03:47 in Hà Nội.
    let reconciler = state.clone();
    scheduler
        .add(Job::new_async("0 47 20 * * *", move |_, _| {
            let state = reconciler.clone();
            Box::pin(async move { reconcile_yesterday(&state).await })
        })?)
        .await?;
    scheduler.start().await?;
    Ok(scheduler)
}

/// What requests of a killed process left: abandoned API drafts, temporary files.
pub async fn clear_leftovers(state: &AppState) {
    match crate::dossier::leftovers::clear_abandoned(&state.db, &state.storage, state.clock.now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(drafts = n, "abandoned API drafts cleared"),
        Err(e) => tracing::error!(error = %e, "clearing abandoned drafts failed"),
    }
    let tmp = state.settings.data_dir.join("tmp");
    let n = crate::dossier::leftovers::clear_temporary_files(&tmp, std::time::SystemTime::now());
    if n > 0 {
        tracing::info!(files = n, "abandoned temporary upload files removed");
    }
}

/// The deadline sweep, then the dossiers whose supplement never came, then leftovers.
async fn deadline_jobs(state: &AppState) {
    clear_leftovers(state).await;
    let now = state.clock.now();
    match deadlines::sweep(&state.db, now).await {
        Ok(r) if r.due_soon + r.overdue + r.unaccepted > 0 => tracing::info!(
            due_soon = r.due_soon,
            overdue = r.overdue,
            unaccepted = r.unaccepted,
            notices = r.notices,
            "deadline sweep"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "deadline sweep failed"),
    }
    match crate::dossier::expiry::close_unanswered(state, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(closed = n, "dossiers closed for want of a supplement"),
        Err(e) => tracing::error!(error = %e, "closing unanswered supplements failed"),
    }
}

/// QĐ 766 indicator 1.4: the dossiers received yesterday (local day) the national portal lacks are sent again.
async fn reconcile_yesterday(state: &AppState) {
    use crate::sla::local_time::{to_local, to_utc};
    let now = state.clock.now();
    let yesterday = to_local(now).date() - Duration::days(1);
    let from = to_utc(yesterday.and_time(chrono::NaiveTime::MIN));
    let to = to_utc(yesterday.and_hms_opt(23, 59, 59).unwrap_or_default());
    let client = match crate::national_sync::client::SyncClient::new(&state.settings.national_sync) {
        Ok(c) => c,
        Err(e) => return tracing::error!(error = %e, "national sync client"),
    };
    match crate::national_sync::reconcile::run(&state.core, &client, from, to, now).await {
        Ok(r) => tracing::info!(
            received = r.received,
            missing = r.missing,
            queued = r.queued,
            "national sync reconciliation"
        ),
        Err(e) => tracing::error!(error = %e, "national sync reconciliation failed"),
    }
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
    match crate::auth::sessions::purge_expired(db, now).await {
        Ok(n) => tracing::info!(rows = n, "records of ended sessions past their expiry removed"),
        Err(e) => tracing::error!(error = %e, "session housekeeping failed"),
    }
}
