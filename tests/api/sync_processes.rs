//! Many portal processes and a crash, against the mock national portal as
//! its own process: two `motcua sync-drain` processes draining one backlog
//! deliver each event once and in order; a process killed mid-delivery and
//! started again loses and doubles nothing.

use serde_json::{Value, json};

use crate::helpers::{Options, SYNC_SECRET, TestApp};
use crate::national_sync::{faults, mock_of, national, queued, undelivered};

/// `motcua sync-drain` as its own process on the test portal's database.
fn drain_process(app: &TestApp, batch: &str) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("sync-drain")
        .env("MOTCUA_DATABASE_URL", &app.database_url)
        .env("MOTCUA_DATA_DIR", app.data_dir().join("drain"))
        .env("MOTCUA_DEMO_DATA", "off")
        .env("MOTCUA_SSO_CLIENT_SECRET", crate::helpers::SSO_SECRET)
        .env("MOTCUA_VNPAY_HASH_SECRET", crate::helpers::VNPAY_SECRET)
        .env("MOTCUA_NATIONAL_SYNC_URL", mock_of(app))
        .env("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET", SYNC_SECRET)
        .env("MOTCUA_NATIONAL_SYNC_BATCH", batch)
        .env("MOTCUA_NATIONAL_SYNC_TIMEOUT_MS", "1000")
        .env("MOTCUA_NATIONAL_SYNC_BACKOFF_BASE_SECS", "0")
        .env("MOTCUA_NATIONAL_SYNC_BACKOFF_CAP_SECS", "0")
        .env("MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS", "100")
        .env("MOTCUA_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("motcua sync-drain starts")
}

/// How many events a finished `motcua sync-drain` says it delivered.
async fn delivered_by(child: tokio::process::Child) -> usize {
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "sync-drain failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("national sync:")).unwrap_or_else(|| panic!("{text}"));
    line.split_whitespace().nth(2).unwrap().parse().unwrap()
}

/// Every dossier of a synthetic backlog is held by the national portal with
/// exactly the events queued, in order; the records sent again in all.
async fn assert_backlog_synced(app: &TestApp, codes: &[String]) -> i64 {
    let mock = mock_of(app);
    let mut again = 0;
    for chunk in codes.chunks(200) {
        let lookups: Vec<Value> = chunk.iter().map(|c| json!({"MaHoSo": c})).collect();
        let answer = national(&mock, "TraCuuHoSo", Value::Array(lookups)).await;
        for (code, found) in chunk.iter().zip(answer["result"].as_array().unwrap()) {
            let arrived: Vec<(String, i64)> = found["LichSu"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    again += a["SoLanNhanLai"].as_i64().unwrap();
                    (a["DichVu"].as_str().unwrap().to_owned(), a["SoThuTuCapNhat"].as_i64().unwrap())
                })
                .collect();
            assert_eq!(arrived, queued(app, code).await, "{code}: everything, once, in order");
        }
    }
    again
}

#[tokio::test]
async fn two_portal_processes_draining_one_backlog_deliver_each_event_once_in_order() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let codes = motcua::national_sync::backlog::queue(&app.db, 3000, 10, chrono::Utc::now()).await.unwrap();
    let (a, b) = (drain_process(&app, "40"), drain_process(&app, "40"));
    let (a, b) = tokio::join!(delivered_by(a), delivered_by(b));
    // One may find the other holding what is left and stop; a last drain takes what remains.
    let rest = if undelivered(&app).await > 0 { delivered_by(drain_process(&app, "40")).await } else { 0 };
    assert_eq!(undelivered(&app).await, 0);
    assert_eq!(a + b + rest, 3000, "each event marked delivered once (first {a}, second {b}, then {rest})");
    assert_eq!(assert_backlog_synced(&app, &codes).await, 0, "no record was sent twice");
}

#[tokio::test]
async fn a_portal_killed_mid_delivery_and_started_again_loses_and_doubles_nothing() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let mock = mock_of(&app);
    let codes = motcua::national_sync::backlog::queue(&app.db, 1500, 10, chrono::Utc::now()).await.unwrap();
    // Slow answers, so the process is killed with calls on the way.
    faults(&mock, json!({"delay_ms": 150})).await;
    let mut first = drain_process(&app, "20");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while undelivered(&app).await > 1200 {
        assert!(std::time::Instant::now() < deadline, "the first process delivers");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    first.kill().await.unwrap();
    let left = undelivered(&app).await;
    assert!(left > 0 && left < 1500, "killed halfway: {left} left");
    faults(&mock, json!({})).await;
    // Started again (its leases run out within seconds): it finishes the work.
    while undelivered(&app).await > 0 {
        assert!(std::time::Instant::now() < deadline, "the restarted process finishes");
        delivered_by(drain_process(&app, "100")).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_backlog_synced(&app, &codes).await;
}
