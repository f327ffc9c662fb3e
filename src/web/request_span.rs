//! The span every request runs in, and its one log line. Only the path is
//! recorded, never the query string: sign-in callbacks carry codes and states
//! there, and search queries can carry personal data.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

pub struct PathOnly;

impl RootSpanBuilder for PathOnly {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.path(),
            request_id = %request_id,
            sql_statements = tracing::field::Empty,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(res) = outcome {
            let status = res.status().as_u16();
            span.in_scope(|| {
                if status >= 500 {
                    tracing::error!(status, "request failed");
                } else {
                    tracing::info!(status, "request");
                }
            });
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
