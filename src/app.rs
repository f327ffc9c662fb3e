//! The application state and the HTTP server. The server binds to a listener
//! it is given, so tests can run it on port 0.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::web::Data;
use actix_web::{App, HttpServer};
use sea_orm::DatabaseConnection;
use tera::Tera;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::i18n::Texts;
use crate::{db, seed, web};

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub tera: Tera,
    pub texts: Texts,
}

/// Where templates and static files are found: `MOTCUA_ASSETS_DIR`, else the
/// source tree the binary was built from.
pub fn assets_dir() -> PathBuf {
    std::env::var_os("MOTCUA_ASSETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

pub fn load_templates(assets: &Path) -> anyhow::Result<Tera> {
    let pattern = assets.join("templates/**/*.html");
    let mut tera = Tera::new(&pattern.to_string_lossy())?;
    web::render::register_filters(&mut tera);
    Ok(tera)
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
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = db::connect(&settings).await?;
        db::migrate(&db).await?;
        if settings.demo_data {
            seed::demo_if_empty(&db).await?;
        }
        let texts = Texts::load().map_err(anyhow::Error::msg)?;
        let tera = load_templates(&assets_dir())?;
        let listener = TcpListener::bind(settings.listen)?;
        let port = listener.local_addr()?.port();
        let server = run(AppState { db, settings, tera, texts }, listener)?;
        Ok(Application { server, port })
    }
}

fn run(state: AppState, listener: TcpListener) -> anyhow::Result<Server> {
    let key = session_key(&state.settings)?;
    let secure = state.settings.secure_cookies;
    let static_dir = assets_dir().join("static");
    let state = Data::new(state);
    let server = HttpServer::new(move || {
        let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("motcua_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(PersistentSession::default().session_ttl(CookieDuration::hours(8)))
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(web::extract::query_config())
            .app_data(web::extract::form_config())
            .app_data(web::extract::json_config())
            .configure(|cfg| web::routes(cfg, &static_dir))
            .wrap(from_fn(web::errors::render_errors))
            .wrap(sessions)
            .wrap(from_fn(web::headers::request_context))
            .wrap(web::headers::security())
            .wrap(TracingLogger::default())
    })
    .listen(listener)?
    .run();
    Ok(server)
}
