//! `TestApp`: the portal running on 127.0.0.1:0 with its own database and
//! data folder, and a cookie-keeping client that does not follow redirects.

use std::collections::HashMap;

use crate::services::{MockNationalPortal, backends, fresh_database, spawn_mock};
use motcua::app::{Application, bind};
use motcua::auth::accounts::{self, NewOfficial};
use motcua::auth::role::Role;
use motcua::config::Settings;
use reqwest::{Response, StatusCode};
use sea_orm::DatabaseConnection;
use serde_json::Value;

/// The test admin every test portal has, and the password of every test official.
pub const ADMIN: &str = "quantri.test";
/// The merchant secret the test portal and its gateway stub share.
pub const VNPAY_SECRET: &str = "test-vnpay-secret-0123456789";
pub const PASSWORD: &str = "mat-khau-thu-nghiem";
pub const SSO_SECRET: &str = "test-sso-secret-0123456789";
/// The sync client secret the test portal and the mock share.
pub const SYNC_SECRET: &str = "test-sync-secret-0123456789";

pub struct TestApp {
    pub address: String,
    /// The browser of the person under test.
    pub client: reqwest::Client,
    /// Another browser, signed in as the test admin on first use (`admin`).
    admin_session: tokio::sync::OnceCell<reqwest::Client>,
    pub db: DatabaseConnection,
    pub state: actix_web::web::Data<motcua::app::AppState>,
    /// The mock national portal, when the test asked for one.
    pub mock: Option<MockNationalPortal>,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

#[derive(Clone, Copy)]
pub struct Options {
    /// The press office the test builds itself (`press_office`): most tests work in it.
    pub press_office: bool,
    /// The demo catalogue and demo officials, for the tests of the demo itself.
    pub demo_catalogue: bool,
    pub sso: bool,
    /// How long the mock's authorization codes live.
    pub code_ttl_secs: u32,
    /// Mail over SMTP to the test sink instead of files.
    pub smtp: bool,
    /// Files in the test S3 server instead of the local folder.
    pub s3: bool,
    /// Limits small enough to reach: 1 MB per file, 3 files and 2 MB per dossier.
    pub small_limits: bool,
    /// More settings of the portal (`MOTCUA_…`), over the test defaults.
    pub env: &'static [(&'static str, &'static str)],
}

/// The press office, no mock, mail to files, local storage, the usual limits.
pub const DEFAULT_OPTIONS: Options = Options {
    press_office: true,
    demo_catalogue: false,
    sso: false,
    code_ttl_secs: 60,
    smtp: false,
    s3: false,
    small_limits: false,
    env: &[],
};

impl Default for Options {
    fn default() -> Self {
        DEFAULT_OPTIONS
    }
}

impl TestApp {
    /// The portal with the press office built in it (`press_office`).
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    /// The portal with nothing but the test admin.
    pub async fn spawn_empty() -> TestApp {
        Self::spawn_with(Options { press_office: false, ..Options::default() }).await
    }

    /// The demo catalogue and demo officials loaded, as `cargo run` shows them.
    pub async fn spawn_demo() -> TestApp {
        Self::spawn_with(Options { demo_catalogue: true, press_office: false, ..Options::default() }).await
    }

    /// The press office with the mock national portal running beside it.
    pub async fn spawn_with_sso() -> TestApp {
        Self::spawn_with(Options { sso: true, ..Options::default() }).await
    }

    pub async fn spawn_with(options: Options) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = bind("127.0.0.1:0".parse().unwrap()).expect("a port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let redirect_uri = format!("{address}/dang-nhap/dvcqg/callback");
        let mock = match options.sso {
            true => Some(spawn_mock(dir.path(), &redirect_uri, options.code_ttl_secs).await),
            false => None,
        };
        let database_url = fresh_database(dir.path()).await;
        let issuer = mock.as_ref().map_or_else(|| "http://127.0.0.1:9".to_owned(), |m| m.address.clone());
        let env: HashMap<String, String> = [
            ("MOTCUA_LISTEN", listener.local_addr().unwrap().to_string()),
            ("MOTCUA_PUBLIC_URL", address.clone()),
            ("MOTCUA_DATA_DIR", dir.path().display().to_string()),
            ("MOTCUA_DATABASE_URL", database_url.clone()),
            ("MOTCUA_DEMO_DATA", if options.demo_catalogue { "on" } else { "off" }.to_owned()),
            ("MOTCUA_MOCK_NATIONAL_PORTAL", "off".to_owned()),
            ("MOTCUA_NATIONAL_SYNC_URL", issuer.clone()),
            ("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET", SYNC_SECRET.to_owned()),
            ("MOTCUA_NATIONAL_SYNC_BACKOFF_BASE_SECS", "0".to_owned()),
            ("MOTCUA_NATIONAL_SYNC_BACKOFF_CAP_SECS", "0".to_owned()),
            ("MOTCUA_NATIONAL_SYNC_TIMEOUT_MS", "2000".to_owned()),
            ("MOTCUA_SSO_ISSUER", issuer),
            ("MOTCUA_SSO_CLIENT_SECRET", SSO_SECRET.to_owned()),
            ("MOTCUA_WORKERS", "off".to_owned()),
            ("MOTCUA_VNPAY_HASH_SECRET", VNPAY_SECRET.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .chain(backends(&options))
        .chain(options.env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
        .collect();
        let settings = Settings::load(None, &env).expect("test settings");
        let app = Application::build_with_listener(settings, listener).await.expect("portal starts");
        app.state.clock.set(office_morning(&app.state).await);
        tokio::spawn(app.server);
        let test_app = TestApp {
            address,
            client: Self::new_client(),
            admin_session: tokio::sync::OnceCell::new(),
            db: app.state.db.clone(),
            state: app.state,
            mock,
            database_url,
            _dir: dir,
        };
        test_app.create_official(ADMIN, &[Role::Admin], None).await;
        if options.press_office {
            crate::offices::build(&test_app).await;
        }
        test_app
    }

    /// What the portal takes for now: its clock, set at start to a working
    /// morning (see `office_morning`) so no test depends on the hour it runs at.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock.now()
    }

    /// A client of its own: another browser, with no cookies yet.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A browser whose cookies the test can read (to replay them later, as a thief would).
    pub fn new_client_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        (client, jar)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// A page's status and markup, with character references decoded as a
    /// browser would (Tera writes `/` as `&#x2F;`).
    pub async fn get_html(&self, path: &str) -> (StatusCode, String) {
        get_html_with(&self.client, &self.url(path)).await
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.json().await.expect("JSON body"))
    }

    /// An official with `roles` in `unit`, password `PASSWORD`; returns the account id.
    pub async fn create_official(&self, username: &str, roles: &[Role], unit: Option<&str>) -> i32 {
        let new = NewOfficial {
            username: username.into(),
            full_name: format!("Cán bộ {username}"),
            email: None,
            unit_code: unit.map(str::to_owned),
            roles: roles.to_vec(),
            password: PASSWORD.into(),
            shared_hash: true,
        };
        accounts::create_official(&self.db, new, self.now()).await.expect("official created").id
    }

    /// Posts the official sign-in form from `client`.
    pub async fn sign_in_with(&self, client: &reqwest::Client, username: &str, password: &str) -> Response {
        let token = self.csrf_of(client).await;
        let form = [("username", username), ("password", password), ("next", "/can-bo"), ("_csrf", &token)];
        client.post(self.url("/can-bo/dang-nhap")).form(&form).send().await.expect("request")
    }

    /// Signs this test's browser in as the official `username`.
    pub async fn sign_in_official(&self, username: &str) {
        let res = self.sign_in_with(&self.client, username, password_of(username)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{username} signs in");
    }

    /// Another browser, signed in as the test admin: signed in on first use,
    /// since most tests never need it (a sign-in is an argon2 verification).
    pub async fn admin(&self) -> &reqwest::Client {
        self.admin_session
            .get_or_init(|| async {
                let client = Self::new_client();
                let res = self.sign_in_with(&client, ADMIN, PASSWORD).await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "the test admin signs in");
                client
            })
            .await
    }

    /// Signs this test's browser in as the test admin.
    pub async fn sign_in_admin(&self) {
        self.sign_in_official(ADMIN).await;
    }

    /// Walks the national SSO with `client` as a browser would, choosing the
    /// demo identity `key`, and returns the portal's answer to the callback.
    pub async fn sso_sign_in_with(&self, client: &reqwest::Client, key: &str) -> Response {
        let callback = self.sso_callback_for(client, key).await;
        client.get(callback).send().await.expect("callback")
    }

    /// Goes through the national SSO as `key` up to the moment the browser
    /// is sent back: the portal's callback address, not yet visited.
    pub async fn sso_callback_for(&self, client: &reqwest::Client, key: &str) -> String {
        let mock = self.mock.as_ref().expect("a test with SSO");
        let res = client.get(self.url("/dang-nhap/dvcqg?next=/tai-khoan")).send().await.expect("request");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let authorize = location(&res);
        assert!(authorize.starts_with(&mock.address), "sent to the national SSO: {authorize}");
        let (status, page) = get_html_with(client, &authorize).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let request_id =
            page.split("name=\"request_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let res = client
            .post(format!("{}/authenticationendpoint/login", mock.address))
            .form(&[("request_id", request_id.as_str()), ("identity", key)])
            .send()
            .await
            .expect("login at the mock");
        let callback = location(&res);
        assert!(callback.starts_with(&self.address), "back to the portal: {callback}");
        callback
    }

    /// Signs this test's browser in through the national SSO as `key`.
    pub async fn sso_sign_in(&self, key: &str) {
        let res = self.sso_sign_in_with(&self.client, key).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{key} signs in through SSO");
        assert_eq!(location(&res), "/tai-khoan");
    }

    /// The CSRF token of `client`'s session, as a form page carries it.
    pub async fn csrf_of(&self, client: &reqwest::Client) -> String {
        let (_, html) = get_html_with(client, &self.url("/can-bo/dang-nhap")).await;
        extract_csrf(&html)
    }

    /// Posts a form from `client` the way a browser does, with the session's CSRF token.
    pub async fn post_form_with(&self, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_of(client).await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("_csrf", &token));
        client.post(self.url(path)).form(&body).send().await.expect("request")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_form_with(&self.client, path, fields).await
    }

    pub async fn export(&self) -> Value {
        let res = self.admin().await.get(self.url("/api/v1/admin/catalogue")).send().await.expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("catalogue JSON")
    }

    /// The admin puts a catalogue, as the admin pages' script would (with the CSRF header).
    pub async fn import(&self, catalogue: &Value) -> Response {
        let token = self.csrf_of(self.admin().await).await;
        let put = self.admin().await.put(self.url("/api/v1/admin/catalogue")).header("X-CSRF-Token", token);
        put.json(catalogue).send().await.expect("request")
    }

    /// Delivers what the outbox holds now, as the worker would on its next pass.
    pub async fn drain_outbox(&self) -> usize {
        let from = &self.state.settings.mail.from;
        motcua::notify::worker::run_once(&self.db, &self.state.mailer, from, self.now()).await.expect("outbox pass")
    }

    /// The audit log page for one action, as the test admin sees it.
    pub async fn audit_page(&self, action: &str) -> String {
        let (status, html) =
            get_html_with(self.admin().await, &self.url(&format!("/quan-tri/nhat-ky?action={action}"))).await;
        assert_eq!(status, StatusCode::OK);
        html
    }

    /// Codes of the procedures a public search returns, in order.
    pub async fn search_codes(&self, query: &str) -> Vec<String> {
        let (status, body) = self.get_json(&format!("/api/v1/procedures?per_page=100&{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["items"].as_array().expect("items").iter().map(|p| p["code"].as_str().unwrap().to_owned()).collect()
    }
}

/// The password of an official a test created (the press office's included).
pub fn password_of(_username: &str) -> &'static str {
    PASSWORD
}

pub async fn get_html_with(client: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let res = client.get(url).send().await.expect("request");
    let status = res.status();
    (status, decode_entities(&res.text().await.expect("body")))
}

pub fn decode_entities(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn extract_csrf(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The location a redirect points to.
pub fn location(res: &Response) -> String {
    res.headers().get("location").expect("a Location header").to_str().unwrap().to_owned()
}

/// A complete, valid admin form for a new procedure; tests change what they need.
pub fn procedure_form(code: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("code", code.to_owned()),
        ("name", name.to_owned()),
        ("agency_code", crate::offices::UNIT.into()),
        ("field_code", "BAOCHI".into()),
        ("online_mode", "full_online".into()),
        ("for_business", "on".into()),
        ("description", "Mô tả thủ tục thử nghiệm.".into()),
        ("steps", "Bước 1: nộp hồ sơ.".into()),
        ("time_limit_days", "7,5".into()),
        ("time_limit_unit", "working_days".into()),
        ("legal_basis", "Luật Bưu chính số 49/2010/QH12".into()),
        ("result", "Văn bản xác nhận".into()),
        ("eform_schema", r#"{"fields":[{"name":"ten","label":"Tên","type":"text","required":true}]}"#.into()),
        ("workflow_key", "mot-cua-3-buoc".into()),
        ("fee_refundable", "on".into()),
        ("doc_name", "Đơn đề nghị".into()),
        ("doc_required", "yes".into()),
        ("doc_copy_kind", "electronic".into()),
        ("doc_quantity", "1".into()),
        ("doc_template", "".into()),
        ("fee_kind", "phi".into()),
        ("fee_name", "Phí thẩm định".into()),
        ("fee_amount", "1.500.000".into()),
        ("fee_note", "".into()),
        ("version", "0".into()),
    ]
}

pub fn as_pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// 09:00 (Hà Nội) on the next working day of the portal's office calendar:
/// the moment every test portal's clock starts at. Always ahead of the wall
/// clock, so the gateway stub and the SSO (which keep the real clock) never
/// see a payment or a sign-in from the past.
async fn office_morning(state: &motcua::app::AppState) -> chrono::DateTime<chrono::Utc> {
    use motcua::sla::local_time::{to_local, to_utc};
    let cal = motcua::work_calendar::load(&state.db, &state.settings.office_hours).await.expect("the office calendar");
    let mut day = to_local(chrono::Utc::now()).date() + chrono::Duration::days(1);
    while !cal.is_working_day(day) {
        day += chrono::Duration::days(1);
    }
    to_utc(day.and_hms_opt(9, 0, 0).expect("09:00"))
}
