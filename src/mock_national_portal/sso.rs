//! The mock's OpenID Connect endpoints, on the national SSO's paths.
//! Errors follow RFC 6749: an unknown client or redirect URI gets a page
//! (never a redirect), other authorization errors go back to the client,
//! token errors are JSON (`invalid_grant`, `invalid_client`, …).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{Data, Form, Query};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::identities;
use super::server::MockState;
use super::store::{self, AuthRequest};
use crate::digest::constant_time_eq;

const TOKEN_TTL_SECS: i64 = 300;

fn random() -> Result<String, actix_web::Error> {
    crate::random::token().map_err(actix_web::error::ErrorInternalServerError)
}

fn db_error(e: sea_orm::DbErr) -> actix_web::Error {
    actix_web::error::ErrorInternalServerError(e)
}

pub async fn discovery(state: Data<MockState>) -> HttpResponse {
    let issuer = &state.issuer;
    HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
        "token_endpoint": format!("{issuer}/oauth2/token"),
        "userinfo_endpoint": format!("{issuer}/oauth2/userinfo"),
        "jwks_uri": format!("{issuer}/oauth2/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid"],
        "acr_values_supported": ["LoA1", "LoA2"],
        "claims_supported": ["sub", "LoaiTaiKhoan", "SoDinhDanh", "HoVaTen", "ThuDienTu", "SoDienThoai", "MaSoThue", "TenDoanhNghiep"],
    }))
}

#[derive(Deserialize)]
pub struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    acr_values: Option<String>,
}

pub(super) fn page(state: &MockState, status: StatusCode, template: &str, ctx: &tera::Context) -> HttpResponse {
    match state.tera.render(template, ctx) {
        Ok(html) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html),
        Err(e) => HttpResponse::InternalServerError().body(format!("template: {e}")),
    }
}

pub(super) fn error_page(state: &MockState, message: &str) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("message", message);
    page(state, StatusCode::BAD_REQUEST, "mock/error.html", &ctx)
}

fn back_to_client(redirect_uri: &str, params: &[(&str, &str)]) -> HttpResponse {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    HttpResponse::Found().insert_header((header::LOCATION, format!("{redirect_uri}{separator}{query}"))).finish()
}

pub async fn authorize(state: Data<MockState>, q: Query<AuthorizeQuery>) -> Result<HttpResponse, actix_web::Error> {
    if q.client_id.as_deref() != Some(state.client_id.as_str()) {
        return Ok(error_page(&state, "Ứng dụng không được đăng ký (client_id không hợp lệ)."));
    }
    let Some(redirect_uri) = q.redirect_uri.as_deref().filter(|r| state.redirect_uris.iter().any(|u| u == r)) else {
        return Ok(error_page(&state, "Địa chỉ chuyển hướng (redirect_uri) không được đăng ký."));
    };
    let client_state = q.state.clone().unwrap_or_default();
    let refuse = |error: &str, description: &str| {
        back_to_client(redirect_uri, &[("error", error), ("error_description", description), ("state", &client_state)])
    };
    if q.response_type.as_deref() != Some("code") {
        return Ok(refuse("unsupported_response_type", "only code is supported"));
    }
    if !q.scope.as_deref().unwrap_or_default().split(' ').any(|s| s == "openid") {
        return Ok(refuse("invalid_scope", "scope must include openid"));
    }
    let challenge = q.code_challenge.clone().filter(|c| (43..=128).contains(&c.len()));
    if challenge.is_none() || q.code_challenge_method.as_deref() != Some("S256") {
        return Ok(refuse("invalid_request", "PKCE with S256 is required"));
    }
    let request = AuthRequest {
        id: random()?,
        client_id: state.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        state: client_state.clone(),
        nonce: q.nonce.clone().unwrap_or_default(),
        code_challenge: challenge.unwrap_or_default(),
        acr: q.acr_values.clone().unwrap_or_else(|| "LoA1".into()),
        created_at: Utc::now().timestamp(),
    };
    store::save_request(&state.db, &request).await.map_err(db_error)?;
    let mut ctx = tera::Context::new();
    ctx.insert("request_id", &request.id);
    ctx.insert("identities", &identities::DEMO.iter().map(|d| (d.key, d.label)).collect::<Vec<_>>());
    Ok(page(&state, StatusCode::OK, "mock/login.html", &ctx))
}

#[derive(Deserialize)]
pub struct LoginForm {
    request_id: String,
    identity: Option<String>,
    cancel: Option<String>,
    kind: Option<String>,
    number: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// The person chose an identity (or cancelled): back to the client with a code.
pub async fn login(state: Data<MockState>, form: Form<LoginForm>) -> Result<HttpResponse, actix_web::Error> {
    let Some(request) = store::request(&state.db, &form.request_id).await.map_err(db_error)? else {
        return Ok(error_page(&state, "Yêu cầu đăng nhập không tồn tại hoặc đã hết hạn."));
    };
    if form.cancel.is_some() {
        return Ok(back_to_client(&request.redirect_uri, &[("error", "access_denied"), ("state", &request.state)]));
    }
    let claims = match form.identity.as_deref().filter(|k| !k.is_empty()) {
        Some(key) => identities::find(key),
        None => identities::custom(
            form.kind.as_deref().unwrap_or_default(),
            form.number.as_deref().unwrap_or_default().trim(),
            form.name.as_deref().unwrap_or_default(),
            form.email.as_deref().unwrap_or_default().trim(),
            form.phone.as_deref().unwrap_or_default().trim(),
        ),
    };
    let Some(claims) = claims else {
        return Ok(error_page(
            &state,
            "Thông tin định danh không hợp lệ: số định danh cá nhân gồm 12 chữ số, mã số thuế 10 hoặc 13 chữ số.",
        ));
    };
    let code = random()?;
    store::save_code(&state.db, &code, &request.id, &claims.to_string(), Utc::now()).await.map_err(db_error)?;
    Ok(back_to_client(&request.redirect_uri, &[("code", &code), ("state", &request.state)]))
}

#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        res.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"mock-national-portal\""));
    }
    res.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"error": error, "error_description": description}))
}

/// Client id and secret from HTTP Basic (percent-decoded per RFC 6749 §2.3.1) or the form.
fn client_credentials(req: &HttpRequest, form: &TokenForm) -> Option<(String, String)> {
    let basic =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    if let Some(encoded) = basic {
        let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape = |s: &str| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("x={s}")).ok()?.pop().map(|(_, v)| v)
        };
        return Some((unescape(id)?, unescape(secret)?));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

pub async fn token(
    state: Data<MockState>,
    req: HttpRequest,
    form: Form<TokenForm>,
) -> Result<HttpResponse, actix_web::Error> {
    match form.grant_type.as_deref() {
        Some("authorization_code") => {}
        Some("client_credentials") => {
            return Ok(super::sync::issue_token(&state, client_credentials(&req, &form)).await);
        }
        _ => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "authorization_code or client_credentials",
            ));
        }
    }
    let authenticated = client_credentials(&req, &form).is_some_and(|(id, secret)| {
        id == state.client_id && constant_time_eq(secret.as_bytes(), state.client_secret.as_bytes())
    });
    if !authenticated {
        return Ok(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed"));
    }
    let invalid_grant = |why: &str| Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why));
    let Some(code) = form.code.as_deref() else { return invalid_grant("code missing") };
    let Some(issued) = store::redeem_code(&state.db, code).await.map_err(db_error)? else {
        return invalid_grant("unknown or already used code");
    };
    let now = Utc::now();
    if now.timestamp() - issued.created_at >= state.code_ttl_secs {
        return invalid_grant("code expired");
    }
    let Some(request) = store::request(&state.db, &issued.request_id).await.map_err(db_error)? else {
        return invalid_grant("unknown request");
    };
    if form.redirect_uri.as_deref() != Some(request.redirect_uri.as_str()) {
        return invalid_grant("redirect_uri does not match the authorization request");
    }
    let verifier = form.code_verifier.as_deref().unwrap_or_default();
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if verifier.len() < 43 || !constant_time_eq(computed.as_bytes(), request.code_challenge.as_bytes()) {
        return invalid_grant("PKCE verification failed");
    }
    let claims: Value = serde_json::from_str(&issued.claims).map_err(actix_web::error::ErrorInternalServerError)?;
    let access_token = random()?;
    store::save_token(&state.db, &access_token, code, &issued.claims, now.timestamp() + TOKEN_TTL_SECS)
        .await
        .map_err(db_error)?;
    let id_token = state
        .sso_keys
        .sign(&json!({
            "iss": state.issuer, "sub": claims["sub"], "aud": state.client_id,
            "iat": now.timestamp(), "exp": now.timestamp() + TOKEN_TTL_SECS,
            "nonce": request.nonce, "acr": request.acr,
        }))
        .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(json!({
        "access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_TTL_SECS,
        "scope": "openid", "id_token": id_token,
    })))
}

pub async fn userinfo(state: Data<MockState>, req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    let token =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let claims = match token {
        Some(t) => store::token_claims(&state.db, t.trim(), Utc::now()).await.map_err(db_error)?,
        None => None,
    };
    Ok(match claims {
        Some(claims) => HttpResponse::Ok().content_type("application/json").body(claims),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
            .json(json!({"error": "invalid_token"})),
    })
}
