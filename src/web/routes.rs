//! Every route of the portal in one table, so that nothing is served that is
//! not listed here.

use std::path::Path;

use actix_web::HttpResponse;
use actix_web::web::{self, ServiceConfig};

use super::{admin, api, health, public};
use crate::error::AppError;

pub fn routes(cfg: &mut ServiceConfig, static_dir: &Path) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/", web::get().to(public::home))
        .route("/thu-tuc", web::get().to(public::catalogue))
        .route("/thu-tuc/{code}", web::get().to(public::procedure))
        .route("/thu-tuc/{code}/nop-ho-so", web::get().to(public::start_dossier))
        .route("/api/v1/openapi.json", web::get().to(api::openapi))
        .route("/api/v1/procedures", web::get().to(api::procedures))
        .route("/api/v1/procedures/{code}", web::get().to(api::procedure))
        .route("/api/v1/agencies", web::get().to(api::agencies))
        .route("/api/v1/fields", web::get().to(api::fields))
        .route("/api/v1/admin/catalogue", web::get().to(api::export_catalogue))
        .route("/api/v1/admin/catalogue", web::put().to(api::import_catalogue))
        .route("/quan-tri", web::get().to(admin::index))
        .route("/quan-tri/dang-nhap", web::get().to(admin::sign_in_page))
        .route("/quan-tri/dang-nhap", web::post().to(admin::sign_in))
        .route("/quan-tri/dang-xuat", web::post().to(admin::sign_out))
        .route("/quan-tri/thu-tuc", web::get().to(admin::procedures))
        .route("/quan-tri/thu-tuc", web::post().to(admin::create))
        .route("/quan-tri/thu-tuc/moi", web::get().to(admin::new_form))
        .route("/quan-tri/thu-tuc/{code}/sua", web::get().to(admin::edit_form))
        .route("/quan-tri/thu-tuc/{code}/sua", web::post().to(admin::update))
        .route("/quan-tri/thu-tuc/{code}/cong-bo", web::post().to(admin::publish))
        .route("/quan-tri/thu-tuc/{code}/bai-bo", web::post().to(admin::abolish))
        .route("/quan-tri/danh-muc.json", web::get().to(admin::export))
        .service(actix_files::Files::new("/static", static_dir).use_etag(true).use_last_modified(true))
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
