//! The application state and the HTTP server. The server binds to a listener
//! it is given, so tests can run it on port 0.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::web::Data;
use actix_web::{App, HttpServer};
use sea_orm::DatabaseConnection;
use socket2::{Domain, Protocol, Socket, Type};
use tera::Tera;
use tokio::sync::OnceCell;
use tracing_actix_web::TracingLogger;

use crate::auth::oidc::{self, Discovery, SsoError, SsoSettings};
use crate::config::{Settings, StorageSettings};
use crate::context::{Context, Rules};
use crate::i18n::Texts;
use crate::notify::{self, Mailer, Templates};
use crate::storage::{LocalStore, S3Store, Storage};
use crate::{db, seed, web};

pub struct AppState {
    /// What the use cases need: the database and the rules (`state.db`, `state.settings` read through it).
    pub core: Arc<Context>,
    pub tera: Arc<Tera>,
    pub texts: Texts,
    pub sso: SsoSettings,
    pub mailer: Mailer,
    /// The SSO's endpoints, read from its discovery document on first use.
    discovery: OnceCell<Discovery>,
    /// The SSO's ID-token signing keys, from its JWKS.
    pub sso_keys: crate::auth::id_token::KeyCache,
    /// Public pages kept rendered (see `web::public_pages`).
    pub pages: web::public_pages::Pages,
}

impl std::ops::Deref for AppState {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.core
    }
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        settings: Settings,
        tera: Tera,
        texts: Texts,
        workflows: crate::workflow_registry::Registry,
    ) -> anyhow::Result<AppState> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()?;
        let sso = SsoSettings {
            issuer: settings.sso_issuer.clone(),
            client_id: settings.sso_client_id.clone(),
            client_secret: settings.sso_client_secret.clone(),
            redirect_uri: settings.sso_redirect_uri(),
            acr_values: settings.sso_acr_values.clone(),
        };
        let storage = match &settings.storage {
            StorageSettings::Local { dir } => Storage::Local(LocalStore::new(dir)?),
            StorageSettings::S3(s3) => Storage::S3(S3Store::new(s3)),
        };
        let mailer = Mailer::new(&settings.mail)?;
        let tera = Arc::new(tera);
        let rules = Rules {
            settings,
            mail: Templates(tera.clone()),
            workflows,
            workflows_in_use: Default::default(),
            catalogue: Default::default(),
            procedures: Default::default(),
            time: Default::default(),
            versions: Default::default(),
            http,
        };
        Ok(AppState {
            core: Arc::new(Context { db, rules, storage, clock: Default::default() }),
            tera,
            texts,
            sso,
            mailer,
            discovery: OnceCell::new(),
            sso_keys: Default::default(),
            // The templates `load_templates` read: the same directory.
            pages: web::public_pages::Pages::new(web::public_pages::build_digest(&assets_dir(), &crate::i18n::SOURCES)),
        })
    }

    /// The SSO's endpoints; a failed discovery is retried on the next sign-in.
    pub async fn discovery(&self) -> Result<&Discovery, SsoError> {
        self.discovery.get_or_try_init(|| oidc::discover(&self.http, &self.sso.issuer)).await
    }
}

/// Where templates and static files are found: `MOTCUA_ASSETS_DIR`, else the
/// source tree the binary was built from.
pub fn assets_dir() -> PathBuf {
    std::env::var_os("MOTCUA_ASSETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The workflow definitions: `MOTCUA_WORKFLOWS_DIR`, else `workflows/` of the assets.
pub fn workflows_dir() -> PathBuf {
    std::env::var_os("MOTCUA_WORKFLOWS_DIR").map(PathBuf::from).unwrap_or_else(|| assets_dir().join("workflows"))
}

pub fn load_templates(assets: &Path) -> anyhow::Result<Tera> {
    let pattern = assets.join("templates/**/*.{html,txt}");
    let mut tera = Tera::new(&pattern.to_string_lossy())?;
    web::render::register_filters(&mut tera);
    Ok(tera)
}

/// A listening socket with TCP_NODELAY, which accepted connections inherit:
/// without it a response written in two parts (headers, then a file) waits
/// for the client's delayed ACK, some 40 ms per request.
pub fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&address.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// The session key: configured, or generated once and kept in the data folder
/// so that sessions survive a restart.
fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    if let Some(bytes) = &settings.session_key {
        return Ok(Key::from(bytes));
    }
    let path = settings.data_dir.join("session.key");
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() >= 64
    {
        return Ok(Key::from(&bytes));
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    std::fs::write(&path, bytes)?;
    Ok(Key::from(&bytes))
}

/// A portal ready to serve: the database migrated (and demo data loaded when
/// enabled), the listener bound. `port` is the actual port (for port 0).
pub struct Application {
    pub server: Server,
    pub port: u16,
    pub state: Data<AppState>,
    /// The cron jobs, running while this is held.
    pub scheduler: Option<tokio_cron_scheduler::JobScheduler>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let listener = bind(settings.listen)?;
        Self::build_with_listener(settings, listener).await
    }

    /// As `build`, on a listener bound beforehand (tests need the port
    /// before the settings that mention it).
    pub async fn build_with_listener(settings: Settings, listener: TcpListener) -> anyhow::Result<Application> {
        let db = db::connect(&settings).await?;
        db::migrate(&db).await?;
        crate::work_calendar::seed_if_empty(&db, chrono::Utc::now()).await?;
        if settings.demo_data {
            seed::demo_if_empty(&db).await?;
            crate::national_sync::clients::register_demo(&db, chrono::Utc::now()).await?;
        }
        crate::catalogue::revisions::keep_current(&db, chrono::Utc::now()).await?;
        let texts = Texts::load().map_err(anyhow::Error::msg)?;
        let tera = load_templates(&assets_dir())?;
        let port = listener.local_addr()?.port();
        let workflows = load_workflows(&db).await?;
        let state = Data::new(AppState::new(db, settings, tera, texts, workflows)?);
        crate::scheduler::clear_leftovers(&state).await;
        let mut scheduler = None;
        if state.settings.workers {
            let from = state.settings.mail.from.clone();
            tokio::spawn(notify::worker::run_forever(state.db.clone(), state.mailer.clone(), from));
            tokio::spawn(crate::national_sync::worker::run_forever(
                state.db.clone(),
                state.settings.national_sync.clone(),
                state.clock.clone(),
            ));
            scheduler = Some(crate::scheduler::start(state.clone()).await?);
        }
        let server = run(state.clone(), listener)?;
        Ok(Application { server, port, state, scheduler })
    }
}

/// The state a one-off command needs to run a job that writes history and
/// mail (templates, texts, workflows), without serving.
pub async fn job_state(db: DatabaseConnection, settings: Settings) -> anyhow::Result<AppState> {
    let texts = Texts::load().map_err(anyhow::Error::msg)?;
    let tera = load_templates(&assets_dir())?;
    let workflows = load_workflows(&db).await?;
    AppState::new(db, settings, tera, texts, workflows)
}

/// Loads and records the workflow definitions; a start with a broken file
/// fails and says, for every problem, the file, the line and the reason.
pub async fn load_workflows(db: &DatabaseConnection) -> anyhow::Result<crate::workflow_registry::Registry> {
    let dir = workflows_dir();
    let loaded = crate::workflow::load::load_dir(&dir).map_err(|problems| {
        let report: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        anyhow::anyhow!("the workflows of {} have problems:\n{}", dir.display(), report.join("\n"))
    })?;
    Ok(crate::workflow_registry::register(db, loaded, chrono::Utc::now()).await?)
}

fn run(state: Data<AppState>, listener: TcpListener) -> anyhow::Result<Server> {
    let key = session_key(&state.settings)?;
    let secure = state.settings.secure_cookies;
    let static_dir = assets_dir().join("static");
    let gateway_origin = state.settings.payment.origin.clone();
    let server = HttpServer::new(move || {
        let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("motcua_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(
                PersistentSession::default().session_ttl(CookieDuration::seconds(web::session::ABSOLUTE_SECS)),
            )
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(web::extract::query_config())
            .app_data(web::extract::form_config())
            .app_data(web::extract::json_config())
            .configure(|cfg| web::routes(cfg, &static_dir))
            .wrap(from_fn(web::input_guard::refuse_unstorable))
            .wrap(from_fn(web::errors::render_errors))
            .wrap(sessions)
            .wrap(from_fn(web::headers::request_context))
            .wrap(web::headers::security(&gateway_origin))
            .wrap(from_fn(web::headers::sql_statements))
            .wrap(TracingLogger::<web::request_span::PathOnly>::new())
    })
    .listen(listener)?
    .run();
    Ok(server)
}
