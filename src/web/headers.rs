//! Response headers every answer carries: security headers, the request id,
//! and the language cookie when the user switches language.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use tracing_actix_web::RequestId;

use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "lang";

/// The Content-Security-Policy of every page: no inline scripts or styles,
/// nothing from other origins, no framing. Forms post to the portal itself,
/// and to the payment gateway's origin alone: the pay form's answer
/// redirects the browser there, and browsers hold a redirect after a form
/// post to `form-action` too.
pub fn content_security_policy(gateway_origin: &str) -> String {
    format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         form-action 'self' {gateway_origin}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

pub fn security(gateway_origin: &str) -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", content_security_policy(gateway_origin)))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
}

/// The language asked for in the query (`?lang=en`), if any.
pub fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

/// Counts the SQL statements behind each request: recorded on its log line,
/// and told in a `Server-Timing` header when `MOTCUA_SERVER_TIMING` is on.
pub async fn sql_statements(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let tell = req.app_data::<actix_web::web::Data<crate::app::AppState>>().is_some_and(|s| s.settings.server_timing);
    let (res, statements) = crate::db::counting(next.call(req)).await;
    let mut res = res?;
    tracing::Span::current().record("sql_statements", statements);
    if tell && let Ok(value) = HeaderValue::from_str(&format!("sql;desc=\"{statements} SQL statements\"")) {
        res.headers_mut().insert(HeaderName::from_static("server-timing"), value);
    }
    Ok(res)
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let switch = query_lang(req.query_string());
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), id);
    }
    if let Some(lang) = switch {
        let cookie = Cookie::build(LANG_COOKIE, lang.code())
            .path("/")
            .same_site(SameSite::Lax)
            .max_age(Duration::days(365))
            .finish();
        // A response that cannot take the cookie still shows the chosen language.
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}
