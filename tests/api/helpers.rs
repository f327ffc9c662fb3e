//! `TestApp`: the portal running on 127.0.0.1:0 with its own database and
//! data folder, and a cookie-keeping client that does not follow redirects.

use std::collections::HashMap;

use motcua::app::Application;
use motcua::config::Settings;
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A database URL for a fresh database: a SQLite file in `dir`, or a new
/// PostgreSQL database next to `MOTCUA_TEST_DATABASE_URL`.
async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(base) = std::env::var("MOTCUA_TEST_DATABASE_URL") else {
        return format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    };
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("randomness");
    let name = format!("motcua_test_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let admin = Database::connect(&base).await.expect("connect to MOTCUA_TEST_DATABASE_URL");
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
    let (server, _) = base.rsplit_once('/').expect("database URL with a path");
    format!("{server}/{name}")
}

impl TestApp {
    /// The portal with the demo catalogue loaded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(true).await
    }

    /// The portal with an empty catalogue.
    pub async fn spawn_empty() -> TestApp {
        Self::spawn_with(false).await
    }

    async fn spawn_with(demo: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let env: HashMap<String, String> = [
            ("MOTCUA_LISTEN", "127.0.0.1:0".to_owned()),
            ("MOTCUA_DATA_DIR", dir.path().display().to_string()),
            ("MOTCUA_DATABASE_URL", fresh_database(dir.path()).await),
            ("MOTCUA_DEMO_DATA", if demo { "on" } else { "off" }.to_owned()),
            ("MOTCUA_MOCK_NATIONAL_PORTAL", "off".to_owned()),
            ("MOTCUA_ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let settings = Settings::load(None, &env).expect("test settings");
        let app = Application::build(settings).await.expect("portal starts");
        tokio::spawn(app.server);
        TestApp { address: format!("http://127.0.0.1:{}", app.port), client: Self::new_client(), _dir: dir }
    }

    /// A client of its own: another browser, with no cookies yet.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
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
        let res = self.get(path).await;
        let status = res.status();
        (status, decode_entities(&res.text().await.expect("body")))
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.json().await.expect("JSON body"))
    }

    /// The CSRF token of this client's session, as a form page carries it.
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_html("/quan-tri/dang-nhap").await;
        extract_csrf(&html)
    }

    /// Posts a form the way a browser does, with the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("_csrf", &token));
        self.client.post(self.url(path)).form(&body).send().await.expect("request")
    }

    pub async fn sign_in_admin(&self) {
        let res = self.post_form("/quan-tri/dang-nhap", &[("token", ADMIN_TOKEN), ("next", "/quan-tri/thu-tuc")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "admin sign-in");
    }

    pub async fn export(&self) -> Value {
        let res = self
            .client
            .get(self.url("/api/v1/admin/catalogue"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("catalogue JSON")
    }

    pub async fn import(&self, catalogue: &Value) -> Response {
        self.client
            .put(self.url("/api/v1/admin/catalogue"))
            .bearer_auth(ADMIN_TOKEN)
            .json(catalogue)
            .send()
            .await
            .expect("request")
    }

    /// Codes of the procedures a public search returns, in order.
    pub async fn search_codes(&self, query: &str) -> Vec<String> {
        let (status, body) = self.get_json(&format!("/api/v1/procedures?per_page=100&{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["items"].as_array().expect("items").iter().map(|p| p["code"].as_str().unwrap().to_owned()).collect()
    }
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
        ("agency_code", "000.05.00.G12".into()),
        ("field_code", "BUUCHINH".into()),
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
