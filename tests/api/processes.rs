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
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_motcua"));
        cmd.arg("serve")
            .env("MOTCUA_LISTEN", format!("127.0.0.1:{port}"))
            .env("MOTCUA_DATA_DIR", dir)
            .env("MOTCUA_DATABASE_URL", database_url)
            .env("MOTCUA_DEMO_DATA", "off")
            .env("MOTCUA_SSO_CLIENT_SECRET", SSO_SECRET)
            .env("MOTCUA_VNPAY_HASH_SECRET", VNPAY_SECRET)
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
