//! The JSON API under `/api/v1` for integrations; documented by the OpenAPI
//! document it serves. Errors come back as problem+json.

use actix_web::http::header::{self, ContentType};
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use super::access::Viewer;
use super::catalogue_query::CatalogueQuery;
use super::render::client_ip;
use crate::app::AppState;
use crate::audit::Actor;
use crate::catalogue::model::AgencyLevel;
use crate::catalogue::store::Refs;
use crate::catalogue::transfer::{self, Catalogue};
use crate::digest;
use crate::error::AppError;

const OPENAPI: &str = include_str!("openapi.json");

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(OPENAPI)
}

/// The public search, from the process's copy of the catalogue; its `ETag`
/// names the catalogue's version and the query, so that a browser or a cache
/// asking again gets `304 Not Modified` until the catalogue changes.
pub async fn procedures(
    state: Data<AppState>,
    request: HttpRequest,
    query: Query<CatalogueQuery>,
) -> Result<HttpResponse, AppError> {
    let parsed = query.parse()?;
    let published = state.catalogue.current(&state.db).await?;
    let etag = format!("\"c{}-{}\"", published.counter, &digest::sha256_hex(request.query_string().as_bytes())[..16]);
    if super::public_pages::matches_etag(&request, &etag) {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    // The answer is the query's and the catalogue's alone: made once per catalogue version.
    let key = format!("api|{}", request.query_string());
    let body = match state.pages.kept(published.counter, &key) {
        Some(body) => body,
        None => {
            let page = published.search(&parsed.filter, parsed.page, parsed.per_page);
            let body = Bytes::from(serde_json::to_vec(&page).map_err(|e| AppError::Internal(e.into()))?);
            state.pages.keep(published.counter, key, body.clone());
            body
        }
    };
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag)).content_type(ContentType::json()).body(body))
}

pub async fn procedure(state: Data<AppState>, code: Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(&*state.procedures.public(&state.db, &code).await?))
}

#[derive(Serialize)]
struct AgencyItem<'a> {
    code: &'a str,
    name: &'a str,
    parent_code: Option<&'a str>,
    level: AgencyLevel,
}

pub async fn agencies(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let refs = Refs::load(&state.db).await?;
    let mut items: Vec<_> = refs
        .agencies
        .values()
        .map(|a| AgencyItem {
            code: &a.code,
            name: &a.name,
            parent_code: a.parent_id.and_then(|id| refs.agency_by_id(id)).map(|p| p.code.as_str()),
            level: AgencyLevel::parse(&a.level).unwrap_or(AgencyLevel::Central),
        })
        .collect();
    items.sort_by(|a, b| a.code.cmp(b.code));
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "total": items.len() })))
}

pub async fn fields(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let refs = Refs::load(&state.db).await?;
    let mut items: Vec<_> = refs.fields.values().map(|f| serde_json::json!({"code": f.code, "name": f.name})).collect();
    items.sort_by(|a, b| a["code"].as_str().cmp(&b["code"].as_str()));
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "total": items.len() })))
}

pub async fn export_catalogue(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(transfer::export(&state.db).await?))
}

pub async fn import_catalogue(
    req: HttpRequest,
    viewer: Viewer,
    state: Data<AppState>,
    body: Json<Catalogue>,
) -> Result<HttpResponse, AppError> {
    let who = viewer.principal()?;
    let actor = Actor { id: Some(who.id), label: who.label(), ip: client_ip(&req), role: None };
    let summary = transfer::import(&state.db, body.into_inner(), &actor, state.clock.now()).await?;
    tracing::info!(procedures = summary.procedures, "catalogue imported");
    Ok(HttpResponse::Ok().json(summary))
}
