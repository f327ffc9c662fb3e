//! Turns every error response into what its caller understands: an HTML page
//! in the user's language for browsers, RFC 9457 problem+json under `/api/`.
//! Errors raised as `AppError`, by actix's extractors or by unknown routes all
//! pass through here, so no caller ever sees an empty or foreign error body.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde_json::json;

use crate::error::AppError;
use tracing_actix_web::RequestId;

use super::render::{base_context, field_messages, lang_of, render};
use crate::app::AppState;
use crate::error::ErrorReport;

pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static, BoxBody>>, actix_web::Error> {
    // Errors raised by middleware outside the router keep actix's own shape:
    // holding a clone of the request here would break routing.
    let res = next.call(req).await?;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res.map_into_left_body());
    }
    let known = res.response().extensions().get::<ErrorReport>().cloned();
    let report = match known {
        Some(report) => report,
        None => match res.response().error().map(|e| e.to_string()) {
            Some(e) => generic(status, &e),
            None if res.response().body().size().is_eof() => generic(status, ""),
            // A handler shaped this error answer itself (a form page with its messages).
            None => return Ok(res.map_into_left_body()),
        },
    };
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut shaped = shape(&req, status, &report);
    // A 405 says which methods the address takes (RFC 9110 §15.5.6).
    if let Some(allow) = allow {
        shaped.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ServiceResponse::new(req, shaped).map_into_right_body())
}

fn generic(status: StatusCode, detail: &str) -> ErrorReport {
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let detail = (status.is_client_error() && !detail.is_empty()).then(|| detail.to_owned());
    ErrorReport { code, detail, fields: Vec::new() }
}

fn shape(req: &HttpRequest, status: StatusCode, report: &ErrorReport) -> HttpResponse {
    let Some(state) = req.app_data::<Data<AppState>>() else {
        return HttpResponse::build(status).body(report.code);
    };
    let lang = lang_of(req);
    let title = state.texts.get(lang, &format!("error_{}", report.code)).to_owned();
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default();
    if req.path().starts_with("/api/") {
        let messages = field_messages(state, lang, &report.fields);
        let errors: Vec<_> = report
            .fields
            .iter()
            .map(|f| json!({"field": f.field, "code": f.code, "detail": messages.get(&f.field)}))
            .collect();
        let mut body = json!({
            "type": format!("urn:motcua:problem:{}", report.code),
            "title": title,
            "status": status.as_u16(),
            "code": report.code,
            "instance": req.path(),
            "request_id": request_id,
        });
        if let Some(detail) = &report.detail {
            body["detail"] = json!(detail);
        }
        if !errors.is_empty() {
            body["errors"] = json!(errors);
        }
        return HttpResponse::build(status).content_type("application/problem+json").body(body.to_string());
    }
    if status == StatusCode::UNAUTHORIZED {
        let target = super::access::sign_in_target(super::access::Access::Public, req.method(), req.path());
        let mut res = HttpResponse::SeeOther().finish();
        if let Ok(v) = HeaderValue::from_str(&target) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    let mut ctx = base_context(state, lang, req);
    ctx.insert("status", &status.as_u16());
    ctx.insert("title", &title);
    ctx.insert("explanation", state.texts.get(lang, &format!("error_{}_help", report.code)));
    ctx.insert("detail", &report.detail);
    ctx.insert("fields", &field_messages(state, lang, &report.fields));
    ctx.insert("request_id", &request_id);
    match render(&state.tera, "errors/error.html", &ctx) {
        Ok(html) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(title)
        }
    }
}

/// The HTTP status of each error; the response body is shaped by `render_errors`.
impl actix_web::ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = HttpResponse::new(self.status_code());
        response.extensions_mut().insert(self.report());
        response
    }
}
