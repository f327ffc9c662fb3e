//! The services a test portal talks to: the mock national portal as its own
//! process, a fresh database, and the SMTP sink and S3 server that `.ci/run` starts.

use sea_orm::{ConnectionTrait, Database};
use tokio::io::AsyncBufReadExt;

use crate::helpers::{Options, SSO_SECRET, SYNC_SECRET};

/// The mock national portal running as its own process, as in production
/// the national portal runs elsewhere; killed when the test ends.
pub struct MockNationalPortal {
    pub address: String,
    process: Option<tokio::process::Child>,
    dir: std::path::PathBuf,
    redirect_uri: String,
    code_ttl_secs: u32,
}

/// The portal's IPN address, from the origin of its SSO callback.
fn ipn_url(redirect_uri: &str) -> String {
    let origin = redirect_uri.split("/dang-nhap").next().unwrap_or(redirect_uri);
    format!("{origin}{}", motcua::payment::IPN_PATH)
}

async fn start_mock(
    dir: &std::path::Path,
    listen: &str,
    redirect_uri: &str,
    code_ttl_secs: u32,
) -> (String, tokio::process::Child) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("mock-national-portal")
        .env("MOTCUA_DATA_DIR", dir.join("mock"))
        .env("MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN", listen)
        .env("MOTCUA_MOCK_SSO_REDIRECT_URIS", redirect_uri)
        .env("MOTCUA_MOCK_SSO_CODE_TTL_SECS", code_ttl_secs.to_string())
        .env("MOTCUA_SSO_CLIENT_SECRET", SSO_SECRET)
        .env("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET", SYNC_SECRET)
        .env("MOTCUA_VNPAY_HASH_SECRET", crate::helpers::VNPAY_SECRET)
        .env("MOTCUA_MOCK_VNPAY_IPN_URL", ipn_url(redirect_uri))
        .env(
            "MOTCUA_MOCK_FORWARD_URL",
            ipn_url(redirect_uri).replace(motcua::payment::IPN_PATH, "/api/v1/national/dossiers"),
        )
        .env("MOTCUA_DEMO_DATA", "off")
        .env("MOTCUA_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the mock national portal starts");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    while let Some(line) = lines.next_line().await.expect("mock output") {
        if let Some(address) = line.split("listening on ").nth(1) {
            return (address.trim().to_owned(), child);
        }
    }
    panic!("the mock national portal did not report its address");
}

pub async fn spawn_mock(dir: &std::path::Path, redirect_uri: &str, code_ttl_secs: u32) -> MockNationalPortal {
    let (address, child) = start_mock(dir, "127.0.0.1:0", redirect_uri, code_ttl_secs).await;
    MockNationalPortal {
        address,
        process: Some(child),
        dir: dir.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        code_ttl_secs,
    }
}

impl MockNationalPortal {
    /// The national portal goes down: its process is killed (connections refused from now on).
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.process.take() {
            child.kill().await.expect("the mock is killed");
        }
    }

    /// It comes back on the same address, with what it held.
    pub async fn restart(&mut self) {
        self.kill().await;
        let listen = self.address.trim_start_matches("http://").to_owned();
        let (address, child) = start_mock(&self.dir, &listen, &self.redirect_uri, self.code_ttl_secs).await;
        assert_eq!(address, self.address, "the mock is back where it was");
        self.process = Some(child);
    }
}

/// Settings for the SMTP sink and the S3 server a test asked for.
pub fn backends(options: &Options) -> Vec<(String, String)> {
    let mut env = Vec::new();
    if options.small_limits {
        env.extend(
            [("MOTCUA_UPLOAD_MAX_MB", "1"), ("MOTCUA_DOSSIER_MAX_FILES", "3"), ("MOTCUA_DOSSIER_MAX_MB", "2")]
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
    }
    if options.smtp {
        let address = std::env::var("MOTCUA_TEST_SMTP").expect("MOTCUA_TEST_SMTP (host:port of the SMTP sink)");
        let (host, port) = address.rsplit_once(':').expect("host:port");
        env.extend(
            [
                ("MOTCUA_MAIL", "smtp"),
                ("MOTCUA_SMTP_HOST", host),
                ("MOTCUA_SMTP_PORT", port),
                ("MOTCUA_SMTP_TLS", "none"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
    }
    if options.s3 {
        let endpoint = std::env::var("MOTCUA_TEST_S3_ENDPOINT").expect("MOTCUA_TEST_S3_ENDPOINT");
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).expect("randomness");
        let bucket = format!("motcua-test-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        env.extend(
            [
                ("MOTCUA_STORAGE", "s3".to_owned()),
                ("MOTCUA_S3_ENDPOINT", endpoint),
                ("MOTCUA_S3_BUCKET", bucket),
                ("MOTCUA_S3_PATH_STYLE", "on".to_owned()),
                ("MOTCUA_S3_REGION", "us-east-1".to_owned()),
                ("MOTCUA_S3_ACCESS_KEY_ID", "test-access-key".to_owned()),
                ("MOTCUA_S3_SECRET_ACCESS_KEY", "test-secret-key".to_owned()),
            ]
            .map(|(k, v)| (k.to_owned(), v)),
        );
    }
    env
}

/// A test service's address from the environment (`.ci/run` starts them).
/// CI must have it; elsewhere a test without it says so and stops.
pub fn service(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(value) => Some(value),
        Err(_) if std::env::var_os("CI").is_some() => panic!("{variable} must be set in CI"),
        Err(_) => {
            eprintln!("{variable} is not set: this test needs that service (bash .ci/run starts it); not run");
            None
        }
    }
}

/// A database URL for a fresh database, its schema already migrated: a copy
/// of this test run's template (migrated once, not once per test — 28
/// migrations cost a third of a second on SQLite and more on PostgreSQL):
/// a SQLite file in `dir`, or a new PostgreSQL database next to
/// `MOTCUA_TEST_DATABASE_URL`.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    let template = TEMPLATE.get_or_init(template).await;
    let Ok(base) = std::env::var("MOTCUA_TEST_DATABASE_URL") else {
        let file = dir.join("test.db");
        std::fs::copy(template, &file).expect("copy the template database");
        return format!("sqlite://{}?mode=rwc", file.display());
    };
    let name = random_name("motcua_test");
    let admin = Database::connect(&base).await.expect("connect to MOTCUA_TEST_DATABASE_URL");
    let create = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    admin.execute_unprepared(&create).await.expect("create test database");
    admin.close().await.expect("disconnect");
    let (server, _) = base.rsplit_once('/').expect("database URL with a path");
    format!("{server}/{name}")
}

/// The template of this run: a SQLite file's path, or a PostgreSQL database's name.
static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// Creates and migrates the template, then disconnects: PostgreSQL copies a
/// template only while no one is connected to it.
async fn template() -> String {
    let (url, template) = match std::env::var("MOTCUA_TEST_DATABASE_URL") {
        Err(_) => {
            let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
            forget_old_templates(folder);
            let file = folder.join(format!("template-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&file);
            (format!("sqlite://{}?mode=rwc", file.display()), file.display().to_string())
        }
        Ok(base) => {
            let name = random_name("motcua_test_template");
            let admin = Database::connect(&base).await.expect("connect to MOTCUA_TEST_DATABASE_URL");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create the template");
            admin.close().await.expect("disconnect");
            let (server, _) = base.rsplit_once('/').expect("database URL with a path");
            (format!("{server}/{name}"), name)
        }
    };
    let db = Database::connect(&url).await.expect("connect to the template");
    motcua::db::migrate(&db).await.expect("migrate the template");
    db.close().await.expect("disconnect from the template");
    template
}

/// Removes the SQLite templates of earlier runs (a day old or more; a run
/// going on beside this one keeps its own).
fn forget_old_templates(folder: &std::path::Path) {
    let day = std::time::Duration::from_secs(24 * 3600);
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if old && entry.file_name().to_string_lossy().starts_with("template-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn random_name(prefix: &str) -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("randomness");
    format!("{prefix}_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}
