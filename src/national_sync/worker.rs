//! Delivers the sync events. A pass leases a set of dossiers (ordering keys),
//! then sends their events in rounds: each round takes, for every dossier, its
//! next run of events of one service, and sends each service's runs in one
//! call, so a dossier's events reach the national portal in the order they
//! happened while many dossiers share a call. A dossier stops for the pass at
//! its first event not taken; the others go on.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};
use entity::outbox::{self, OutboxStatus};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use super::TOPIC;
use super::client::SyncClient;
use crate::config::national_sync::NationalSyncSettings;
use crate::error::AppError;
use crate::outbox::ordered::{self, Retry};

/// Our documented extension of the national record: the dossier's sequence
/// number of the change, so the national portal can tell a repeat (taken as
/// already received) and an older update (refused) from a new one.
pub const SEQ_FIELD: &str = "SoThuTuCapNhat";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Dossiers (ordering keys) whose due events this pass took on: a pass can
    /// take some and run out of time before sending them, which is not "done".
    pub claimed: usize,
    pub delivered: usize,
    /// Attempts that failed and will be retried.
    pub failed: usize,
    /// Events given up on in this pass.
    pub dead: usize,
}

struct Event {
    row: outbox::Model,
    service: String,
    record: Value,
}

/// The service and the record to send (numbered) of a queued event.
fn event(row: &outbox::Model) -> Result<(String, Value), String> {
    let payload: Value = serde_json::from_str(&row.payload).map_err(|e| format!("unreadable payload: {e}"))?;
    let (Some(service), Some(seq), Some(mut record)) = (
        payload["service"].as_str().map(str::to_owned),
        payload["seq"].as_i64(),
        payload["data"].as_array().and_then(|d| d.first()).cloned(),
    ) else {
        return Err("payload lacks service, seq or data".into());
    };
    if let Value::Object(fields) = &mut record {
        fields.insert(SEQ_FIELD.into(), seq.into());
    }
    Ok((service, record))
}

/// What the national portal said of one record.
enum Verdict {
    Taken,
    /// Not looked at because an earlier record of the dossier failed in the same call.
    NotLookedAt,
    Retry(String),
    Refused(String),
}

fn verdict(result: Option<&Value>) -> Verdict {
    let Some(result) = result else { return Verdict::Retry("no answer for this record".into()) };
    let why = || {
        let details: Vec<&str> =
            result["chi_tiet"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let message = result["message"].as_str().unwrap_or_default();
        if details.is_empty() { message.to_owned() } else { format!("{message}: {}", details.join("; ")) }
    };
    match result["error_code"].as_i64() {
        Some(0 | 1) => Verdict::Taken,
        Some(4) => Verdict::NotLookedAt,
        // Invalid, or older than what the national portal holds: sending it again cannot help.
        Some(2 | 3) => Verdict::Refused(why()),
        _ => Verdict::Retry(why()),
    }
}

/// One pass over up to `settings.batch` dossiers.
pub async fn run_once(
    db: &DatabaseConnection,
    client: &SyncClient,
    settings: &NationalSyncSettings,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    // Long enough for a few calls that run into the timeout; a pass stops at half of it.
    let lease = Duration::milliseconds((settings.timeout_ms as i64 * 4).max(5_000));
    let started = std::time::Instant::now();
    let retry = Retry {
        base_secs: settings.backoff_base_secs,
        cap_secs: settings.backoff_cap_secs,
        max_attempts: settings.max_attempts,
    };
    let claimed =
        ordered::claim(db, TOPIC, holder, settings.batch as u64, settings.batch as u64 * 10, lease, now).await?;
    let keys: Vec<String> = claimed.iter().map(|c| c.key.clone()).collect();
    let mut report = Report { claimed: keys.len(), ..Report::default() };
    let mut queues: Vec<VecDeque<Event>> = Vec::with_capacity(claimed.len());
    for c in claimed {
        let mut queue = VecDeque::new();
        for row in c.rows {
            match event(&row) {
                Ok((service, record)) => queue.push_back(Event { row, service, record }),
                Err(error) => {
                    // The events after an unreadable one wait behind it, dead, for an operator.
                    ordered::failed(db, &row, &error, true, retry, now).await?;
                    report.dead += 1;
                    break;
                }
            }
        }
        queues.push(queue);
    }
    // Stop early enough that the leases outlast the pass.
    while queues.iter().any(|q| !q.is_empty()) && started.elapsed() < (lease / 2).to_std().unwrap_or_default() {
        round(db, client, settings, retry, &mut queues, &mut report, now).await?;
    }
    ordered::release(db, TOPIC, holder, &keys).await?;
    Ok(report)
}

/// Sends each dossier's next run of same-service events, a call per service.
async fn round(
    db: &DatabaseConnection,
    client: &SyncClient,
    settings: &NationalSyncSettings,
    retry: Retry,
    queues: &mut [VecDeque<Event>],
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut services: Vec<String> = Vec::new();
    for q in queues.iter() {
        if let Some(head) = q.front()
            && !services.contains(&head.service)
        {
            services.push(head.service.clone());
        }
    }
    for service in services {
        // (queue index, how many of its events are in this call)
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut data: Vec<Value> = Vec::new();
        for (i, q) in queues.iter().enumerate() {
            if q.front().is_none_or(|h| h.service != service) || data.len() >= settings.batch {
                continue;
            }
            let run = q.iter().take_while(|e| e.service == service).take(settings.batch - data.len()).count();
            data.extend(q.iter().take(run).map(|e| e.record.clone()));
            runs.push((i, run));
        }
        let answer = client.call(&service, true, &data).await;
        let results = match &answer {
            Ok(body) => body["ket_qua"].as_array().filter(|r| r.len() == data.len()),
            Err(_) => None,
        };
        // The ids of the records the national portal took, and their dossiers' codes.
        let mut taken: Vec<(i64, Option<String>)> = Vec::new();
        let mut offset = 0;
        for (i, run) in runs {
            let queue = &mut queues[i];
            let Some(results) = results else {
                let error = match &answer {
                    Err(e) => e.clone(),
                    Ok(body) => {
                        format!("unexpected answer: {}", body.to_string().chars().take(300).collect::<String>())
                    }
                };
                if let Some(head) = queue.front() {
                    count(report, ordered::failed(db, &head.row, &error, false, retry, now).await?);
                }
                queue.clear();
                continue;
            };
            for k in 0..run {
                match verdict(results.get(offset + k)) {
                    Verdict::Taken => taken.push((queue[k].row.id, queue[k].row.ordering_key.clone())),
                    Verdict::NotLookedAt => {
                        queue.clear();
                        break;
                    }
                    Verdict::Retry(error) => {
                        count(report, ordered::failed(db, &queue[k].row, &error, false, retry, now).await?);
                        queue.clear();
                        break;
                    }
                    Verdict::Refused(error) => {
                        count(report, ordered::failed(db, &queue[k].row, &error, true, retry, now).await?);
                        queue.clear();
                        break;
                    }
                }
            }
            offset += run;
            let done = run.min(queue.len());
            queue.drain(..done);
        }
        report.delivered += taken.len();
        delivered(db, &taken, now).await?;
    }
    Ok(())
}

/// Marks the records `taken` delivered and their dossiers synced, together.
async fn delivered(
    db: &DatabaseConnection,
    taken: &[(i64, Option<String>)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if taken.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = taken.iter().map(|(id, _)| *id).collect();
    let mut codes: Vec<String> = taken.iter().filter_map(|(_, code)| code.clone()).collect();
    codes.sort_unstable();
    codes.dedup();
    let txn = crate::db::begin_write(db).await?;
    ordered::delivered(&txn, &ids, now).await?;
    crate::dossier::facts::synced(&txn, &codes, now).await?;
    txn.commit().await?;
    Ok(())
}

fn count(report: &mut Report, status: OutboxStatus) {
    match status {
        OutboxStatus::Dead => report.dead += 1,
        _ => report.failed += 1,
    }
}

/// Passes until nothing due is left (events waiting out a back-off stay); the totals.
pub async fn drain(
    db: &DatabaseConnection,
    settings: &NationalSyncSettings,
    clock: &crate::clock::Clock,
) -> anyhow::Result<Report> {
    let client = SyncClient::new(settings)?;
    let holder = crate::random::token()?;
    let mut total = Report::default();
    loop {
        let r = run_once(db, &client, settings, &holder, clock.now()).await?;
        if r == Report::default() {
            return Ok(total);
        }
        tracing::info!(
            claimed = r.claimed,
            delivered = r.delivered,
            failed = r.failed,
            dead = r.dead,
            "national sync pass"
        );
        total.claimed += r.claimed;
        total.delivered += r.delivered;
        total.failed += r.failed;
        total.dead += r.dead;
        if r.delivered == 0 {
            // Only failures: let a zero back-off be a short one rather than a busy loop.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

/// The background loop of a portal process: a pass every two seconds, or
/// straight away again while there is a backlog.
pub async fn run_forever(db: DatabaseConnection, settings: NationalSyncSettings, clock: crate::clock::Clock) {
    let client = match SyncClient::new(&settings) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "national sync client could not be built; sync is off");
            return;
        }
    };
    let holder = crate::random::token().unwrap_or_else(|_| format!("pid-{}", std::process::id()));
    loop {
        match run_once(&db, &client, &settings, &holder, clock.now()).await {
            Ok(r) if r.delivered > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "national sync pass failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
}
