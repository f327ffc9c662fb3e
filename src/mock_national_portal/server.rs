//! Building and running the mock national portal's HTTP server.

use std::net::SocketAddr;
use std::path::PathBuf;

use actix_web::dev::Server;
use actix_web::web::{self, Data};
use actix_web::{App, HttpServer};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use tera::Tera;

use super::{forward, index766, payment, sso, sso_keys, store, sync, sync_pages};
use crate::config::Settings;

#[derive(Debug, Clone)]
pub struct MockSettings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    pub code_ttl_secs: i64,
    /// The merchant the gateway stub serves: code, secret, and where its IPN goes.
    pub vnpay_tmn_code: String,
    pub vnpay_secret: String,
    pub vnpay_ipn_url: String,
    /// The ministry's sync client (client-credentials grant).
    pub sync_client_id: String,
    pub sync_client_secret: String,
    /// The service ratings are synced under (the same setting the portal reads).
    pub rating_service: String,
    /// Where dossiers filed here are forwarded (the ministry's inbound API), and as whom.
    pub forward_url: String,
    pub forward_client_id: String,
    pub forward_client_secret: String,
}

impl From<&Settings> for MockSettings {
    fn from(s: &Settings) -> Self {
        MockSettings {
            listen: s.mock_national_portal_listen,
            data_dir: s.data_dir.clone(),
            client_id: s.sso_client_id.clone(),
            client_secret: s.sso_client_secret.clone(),
            redirect_uris: s.mock_redirect_uris.clone(),
            code_ttl_secs: s.mock_code_ttl_secs,
            vnpay_tmn_code: s.payment.tmn_code.clone(),
            vnpay_secret: s.payment.hash_secret.clone(),
            vnpay_ipn_url: s.payment.mock_ipn_url.clone(),
            sync_client_id: s.national_sync.client_id.clone(),
            sync_client_secret: s.national_sync.client_secret.clone(),
            rating_service: s.ratings.national_service.clone(),
            forward_url: s.mock_forward_url.clone(),
            forward_client_id: s.mock_forward_client_id.clone(),
            forward_client_secret: s.mock_forward_client_secret.clone(),
        }
    }
}

pub struct MockState {
    pub db: DatabaseConnection,
    pub tera: Tera,
    /// `http://` and the address actually bound (port 0 picks one).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    pub code_ttl_secs: i64,
    pub vnpay_tmn_code: String,
    pub vnpay_secret: String,
    pub vnpay_ipn_url: String,
    /// For the IPN to the merchant.
    pub http: reqwest::Client,
    pub sync: sync::SyncSide,
    pub sso_keys: sso_keys::SigningKeys,
    pub forward_url: String,
    pub forward_client_id: String,
    pub forward_client_secret: String,
}

pub struct MockPortal {
    pub server: Server,
    pub address: SocketAddr,
}

impl MockPortal {
    pub async fn build(settings: MockSettings) -> anyhow::Result<MockPortal> {
        std::fs::create_dir_all(&settings.data_dir)?;
        let url = format!("sqlite://{}?mode=rwc", settings.data_dir.join("mock-national-portal.db").display());
        let mut options = ConnectOptions::new(url);
        options.max_connections(4).sqlx_logging(false);
        let db = Database::connect(options).await?;
        store::init(&db).await?;
        sync::seed_procedures(&db).await?;
        let tera = crate::app::load_templates(&crate::app::assets_dir())?;
        let listener = crate::app::bind(settings.listen)?;
        let address = listener.local_addr()?;
        let state = Data::new(MockState {
            db,
            tera,
            issuer: format!("http://{address}"),
            client_id: settings.client_id,
            client_secret: settings.client_secret,
            redirect_uris: settings.redirect_uris,
            code_ttl_secs: settings.code_ttl_secs,
            vnpay_tmn_code: settings.vnpay_tmn_code,
            vnpay_secret: settings.vnpay_secret,
            vnpay_ipn_url: settings.vnpay_ipn_url,
            http: reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?,
            sso_keys: sso_keys::SigningKeys::demo()?,
            forward_url: settings.forward_url,
            forward_client_id: settings.forward_client_id,
            forward_client_secret: settings.forward_client_secret,
            sync: sync::SyncSide {
                client_id: settings.sync_client_id,
                client_secret: settings.sync_client_secret,
                rating_service: settings.rating_service,
                faults: Default::default(),
                write: Default::default(),
            },
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/.well-known/openid-configuration", web::get().to(sso::discovery))
                .route("/oauth2/authorize", web::get().to(sso::authorize))
                .route("/authenticationendpoint/login", web::post().to(sso::login))
                .route("/oauth2/token", web::post().to(sso::token))
                .route("/oauth2/userinfo", web::get().to(sso::userinfo))
                .route("/oauth2/jwks", web::get().to(sso_keys::jwks))
                .route("/_test/sso/rotate", web::post().to(sso_keys::rotate))
                .route("/paymentv2/vpcpay.html", web::get().to(payment::pay_page))
                .route("/paymentv2/pay", web::post().to(payment::pay))
                .route("/merchant_webapi/api/transaction", web::post().to(payment::transaction))
                .route("/_test/vnpay/faults", web::post().to(payment::set_fault))
                .service(
                    web::resource("/api/v1/sync")
                        .app_data(web::PayloadConfig::new(32 * 1024 * 1024))
                        .route(web::post().to(sync::api)),
                )
                .route("/ho-so-dong-bo", web::get().to(sync_pages::list))
                .route("/chi-so-766", web::get().to(index766::page_766))
                .route("/api/v1/statistics/766", web::get().to(index766::json))
                .route("/tep/{id}", web::get().to(forward::file))
                .route("/chuyen-ho-so", web::get().to(forward::form_page))
                .route("/chuyen-ho-so", web::post().to(forward::form_submit))
                .service(
                    web::resource("/_test/forward")
                        .app_data(web::JsonConfig::default().limit(32 * 1024 * 1024))
                        .route(web::post().to(forward::forward)),
                )
                .route("/ho-so-dong-bo/{code}", web::get().to(sync_pages::show))
                .route("/_test/sync/faults", web::post().to(sync::set_faults))
                .service(
                    web::resource("/_test/national/procedures")
                        .app_data(web::JsonConfig::default().limit(4 * 1024 * 1024))
                        .route(web::post().to(sync::put_procedures)),
                )
        })
        .workers(2)
        .listen(listener)?
        .run();
        Ok(MockPortal { server, address })
    }
}
