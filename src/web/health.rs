//! Liveness and readiness for load balancers and orchestrators.

use actix_web::HttpResponse;
use actix_web::web::Data;

use crate::app::AppState;
use crate::db;
use crate::error::AppError;

/// The process is up and serving.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The process can do its work: the database answers.
pub async fn readyz(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    if db::ping(&state.db).await {
        Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready", "database": "ok"})))
    } else {
        Err(AppError::Unavailable("database unreachable".into()))
    }
}
