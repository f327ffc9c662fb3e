//! What only a browser sees: the portal's pages in Debian's headless Chromium,
//! driven by the scripts of `tests/browser/` (playwright-core), against the
//! real portal and the mock national portal as its own process. A browser
//! enforces the Content-Security-Policy, follows redirects across origins
//! and reports console errors; an HTTP client does none of that.

use std::path::{Path, PathBuf};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::dossier_support::*;
use crate::helpers::TestApp;

pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Whether this machine can run the browser checks; outside CI a machine
/// without them skips (and says so), CI requires them (`.ci/run` installs them).
pub fn browser_available() -> bool {
    let chromium = std::env::var("MOTCUA_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = Path::new(&chromium).exists() && browser_dir().join("node_modules/playwright-core").exists();
    if !ready && std::env::var_os("CI").is_some() {
        panic!("CI needs Chromium and `npm ci` in tests/browser for the browser checks");
    }
    if !ready {
        eprintln!("no Chromium or no tests/browser/node_modules (bash .ci/run installs them): browser check skipped");
    }
    ready
}

/// Runs `tests/browser/<script>` with `env`, its screenshots under `run` in
/// the screenshot folder (a CI artefact); returns its findings.
pub async fn run_script(script: &str, run: &str, env: &[(&str, String)]) -> Value {
    let mut cmd = tokio::process::Command::new("node");
    cmd.arg(browser_dir().join(script)).current_dir(browser_dir()).kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Ok(dir) = std::env::var("MOTCUA_TEST_SCREENSHOTS") {
        cmd.env("MOTCUA_TEST_SCREENSHOTS", Path::new(&dir).join(run));
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(240), cmd.output())
        .await
        .expect("the browser script ends within 4 minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let findings: Value = serde_json::from_str(line).unwrap_or_else(|_| {
        panic!("{script} printed no findings:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr))
    });
    assert!(out.status.success() && findings["ok"] == true, "{script}: {:#}", findings["problems"]);
    findings
}

#[tokio::test]
async fn a_citizen_pays_a_fee_online_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let gateway = app.state.settings.payment.origin.clone();
    let env = [
        ("MOTCUA_PORTAL", app.address.clone()),
        ("MOTCUA_GATEWAY", gateway),
        ("MOTCUA_DOSSIER", id.clone()),
        ("MOTCUA_IDENTITY", "nguyen-van-an".to_owned()),
    ];
    let findings = run_script("pay_online.mjs", "pay_online", &env).await;
    assert!(findings["returned"].as_str().unwrap().contains("Đã thanh toán"), "{findings:#}");
    assert!(findings["receipt"].as_str().unwrap().contains("100.000 đ"), "{findings:#}");
    let d = state_of(&app, &id).await;
    let paid =
        entity::payment::Entity::find().filter(entity::payment::Column::DossierId.eq(d.id)).all(&app.db).await.unwrap();
    assert_eq!(paid.len(), 1, "one payment");
    assert_eq!((paid[0].status.as_str(), paid[0].amount_vnd), ("paid", 100_000));
}
