//! The portal as operators run it: `motcua serve` as a process of its own
//! (with the mock national portal as its child), killed and started again.

use std::time::Duration;

use crate::helpers::{SSO_SECRET, VNPAY_SECRET};
use crate::services::fresh_database;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Asks `check` every 100 ms until it holds, for at most `limit`.
pub async fn eventually<F: std::future::Future<Output = bool>>(limit: Duration, mut check: impl FnMut() -> F) -> bool {
    let until = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < until {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn answers(url: &str) -> bool {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    client.get(url).send().await.is_ok_and(|r| r.status().is_success())
}

fn listening(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// `motcua serve` on `port`, its mock national portal on `mock_port`, with
/// the database `database_url` and the data folder `dir`.
pub struct PortalProcess {
    pub child: tokio::process::Child,
}

impl PortalProcess {
    pub async fn start(dir: &std::path::Path, database_url: &str, port: u16, mock_port: Option<u16>) -> PortalProcess {
        Self::start_with(dir, database_url, port, mock_port, false).await
    }

    pub async fn start_with(
        dir: &std::path::Path,
        database_url: &str,
        port: u16,
        mock_port: Option<u16>,
        demo: bool,
    ) -> PortalProcess {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
        cmd.arg("serve")
            .env("MOTCUA_LISTEN", format!("127.0.0.1:{port}"))
            .env("MOTCUA_DATA_DIR", dir)
            .env("MOTCUA_DATABASE_URL", database_url)
            .env("MOTCUA_DEMO_DATA", if demo { "on" } else { "off" })
            .env("MOTCUA_SSO_CLIENT_SECRET", SSO_SECRET)
            .env("MOTCUA_VNPAY_HASH_SECRET", VNPAY_SECRET)
            .env("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET", crate::helpers::SYNC_SECRET)
            .env("MOTCUA_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true);
        match mock_port {
            Some(m) => cmd
                .env("MOTCUA_MOCK_NATIONAL_PORTAL", "on")
                .env("MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN", format!("127.0.0.1:{m}"))
                .env("MOTCUA_SSO_ISSUER", format!("http://127.0.0.1:{m}")),
            None => cmd.env("MOTCUA_MOCK_NATIONAL_PORTAL", "off"),
        };
        let child = cmd.spawn().expect("motcua serve starts");
        let ready = format!("http://127.0.0.1:{port}/readyz");
        assert!(eventually(Duration::from_secs(60), || answers(&ready)).await, "the portal became ready");
        PortalProcess { child }
    }

    /// `kill -9`: no chance to clean up.
    pub async fn kill_hard(&mut self) {
        self.child.start_kill().expect("SIGKILL");
        self.child.wait().await.expect("the portal ended");
    }
}

#[tokio::test]
async fn the_mock_national_portal_ends_with_its_portal_even_after_kill_9_and_a_restart_starts_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(dir.path()).await;
    let (port, mock_port) = (free_port(), free_port());
    let discovery = format!("http://127.0.0.1:{mock_port}/.well-known/openid-configuration");
    let mut portal = PortalProcess::start(dir.path(), &database_url, port, Some(mock_port)).await;
    assert!(eventually(Duration::from_secs(30), || answers(&discovery)).await, "the mock runs beside the portal");
    portal.kill_hard().await;
    assert!(
        eventually(Duration::from_secs(10), || async { !listening(mock_port) }).await,
        "the mock ended with its portal and gave its port back"
    );
    let mut again = PortalProcess::start(dir.path(), &database_url, port, Some(mock_port)).await;
    assert!(eventually(Duration::from_secs(30), || answers(&discovery)).await, "the restarted portal's mock runs");
    again.kill_hard().await;
    assert!(eventually(Duration::from_secs(10), || async { !listening(mock_port) }).await);
}

/// Signs `client` in at the portal `portal` through the mock at `mock` as `identity`; returns the CSRF token.
async fn sso_sign_in(client: &reqwest::Client, portal: &str, mock: &str, identity: &str) -> String {
    use crate::helpers::{extract_csrf, get_html_with, location};
    let res = client.get(format!("{portal}/dang-nhap/dvcqg?next=/ho-so")).send().await.unwrap();
    let (_, page) = get_html_with(client, &location(&res)).await;
    let request_id = page.split("name=\"request_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let res = client
        .post(format!("{mock}/authenticationendpoint/login"))
        .form(&[("request_id", request_id.as_str()), ("identity", identity)])
        .send()
        .await
        .unwrap();
    assert_eq!(client.get(location(&res)).send().await.unwrap().status(), reqwest::StatusCode::SEE_OTHER);
    extract_csrf(&get_html_with(client, &format!("{portal}/can-bo/dang-nhap")).await.1)
}

fn submission() -> reqwest::multipart::Form {
    use crate::dossier_support::{PRESS_CARD, press_card_files};
    let form = crate::dossier_api::press_card_form().to_string();
    let mut multipart = reqwest::multipart::Form::new().text("procedure", PRESS_CARD).text("form", form);
    for (field, name, bytes) in press_card_files() {
        multipart = multipart.part(field, reqwest::multipart::Part::bytes(bytes).file_name(name));
    }
    multipart
}

#[tokio::test]
async fn a_portal_killed_during_a_burst_of_submissions_leaves_nothing_half_written_that_an_applicant_sees() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(dir.path()).await;
    let (port, mock_port) = (free_port(), free_port());
    let (portal, mock) = (format!("http://127.0.0.1:{port}"), format!("http://127.0.0.1:{mock_port}"));
    let mut first = PortalProcess::start_with(dir.path(), &database_url, port, Some(mock_port), true).await;
    let discovery = format!("{mock}/.well-known/openid-configuration");
    assert!(eventually(Duration::from_secs(30), || answers(&discovery)).await);
    let client = crate::helpers::TestApp::new_client();
    let csrf = sso_sign_in(&client, &portal, &mock, "nguyen-van-an").await;
    // Forty submissions, eight at a time, each with three files; the process is killed in the middle.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (client, csrf, portal, acknowledged) = (client.clone(), csrf.clone(), portal.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            for n in 0..5 {
                let post = client
                    .post(format!("{portal}/api/v1/dossiers"))
                    .header("X-CSRF-Token", &csrf)
                    .header("Idempotency-Key", format!("burst-{worker}-{n}"))
                    .multipart(submission());
                let Ok(res) = post.send().await else { return };
                if res.status() == reqwest::StatusCode::CREATED
                    && let Ok(body) = res.json::<serde_json::Value>().await
                {
                    acknowledged.lock().unwrap().push(body["id"].as_str().unwrap().to_owned());
                }
            }
        }));
    }
    let some_done = || async { !acknowledged.lock().unwrap().is_empty() };
    assert!(eventually(Duration::from_secs(60), some_done).await, "submissions go through");
    first.kill_hard().await;
    for w in workers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(eventually(Duration::from_secs(10), || async { !listening(mock_port) }).await);

    let _second = PortalProcess::start_with(dir.path(), &database_url, port, Some(mock_port), true).await;
    assert!(eventually(Duration::from_secs(30), || answers(&discovery)).await);
    let client = crate::helpers::TestApp::new_client();
    sso_sign_in(&client, &portal, &mock, "nguyen-van-an").await;
    let listed: serde_json::Value =
        client.get(format!("{portal}/api/v1/dossiers")).send().await.unwrap().json().await.unwrap();
    let items = listed["items"].as_array().unwrap();
    assert!(items.iter().all(|d| d["status"] != "draft"), "no half-written draft is shown: {items:#?}");
    let listed_ids: Vec<&str> = items.iter().filter_map(|d| d["id"].as_str()).collect();
    for id in &acknowledged {
        assert!(listed_ids.contains(&id.as_str()), "every acknowledged dossier is listed: {id}");
    }
    // A dossier committed just before the kill may not have been acknowledged
    // (the answer was lost with the process); a retry with its key finds it. Each listed one is whole.
    for id in &listed_ids {
        let d: serde_json::Value =
            client.get(format!("{portal}/api/v1/dossiers/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(d["documents"].as_array().map(Vec::len), Some(3), "every listed dossier is whole: {d:#}");
        assert!(d["code"].is_string());
    }
    assert!(items.len() <= acknowledged.len() + 8, "at most the eight in flight besides the acknowledged");
    let whole = items.len();
    // Housekeeping, once a request could no longer be at work, clears what the killed process left.
    let db = sea_orm::Database::connect(&database_url).await.unwrap();
    let left = entity::dossier::Entity::find().filter(entity::dossier::Column::Status.eq("draft")).count(&db).await;
    eprintln!("the killed process left {} drafts", left.unwrap());
    let storage = motcua::storage::Storage::Local(motcua::storage::LocalStore::new(dir.path().join("files")).unwrap());
    let later = chrono::Utc::now() + chrono::Duration::minutes(11);
    motcua::dossier::leftovers::clear_abandoned(&db, &storage, later).await.unwrap();
    let later_file = std::time::SystemTime::now() + Duration::from_secs(11 * 60);
    motcua::dossier::leftovers::clear_temporary_files(&dir.path().join("tmp"), later_file);
    let drafts = entity::dossier::Entity::find().filter(entity::dossier::Column::Status.eq("draft")).count(&db).await;
    assert_eq!(drafts.unwrap(), 0, "no draft left");
    let temporary = std::fs::read_dir(dir.path().join("tmp")).map_or(0, |d| d.count());
    assert_eq!(temporary, 0, "no temporary file left");
    let kept = entity::upload::Entity::find().count(&db).await.unwrap();
    assert_eq!(kept as usize, 3 * whole, "only the files of the submitted dossiers are kept");
}
