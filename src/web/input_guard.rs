//! Input no field can hold is refused at the door, on every route and both
//! database engines alike: a NUL (PostgreSQL text cannot store it; SQLite
//! can, so the engines would disagree) or another control character in the
//! path, the query string, or a JSON string escape gets 400 before any
//! handler runs. Form fields are checked by the form extractor (422, with
//! the field), multipart text fields by the multipart reader.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use futures_util::StreamExt;

use crate::error::AppError;

/// Whether a percent-encoded `part` decodes to a forbidden control byte
/// (any C0 byte but tab and line breaks, and DEL; in a path, these too).
fn encoded_control(part: &str, allow_breaks: bool) -> bool {
    let forbidden = |b: u8| (b < 0x20 || b == 0x7f) && !(allow_breaks && matches!(b, b'\t' | b'\n' | b'\r'));
    let bytes = part.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(b) if forbidden(b) => return true,
            Some(_) => i += 3,
            None if forbidden(bytes[i]) => return true,
            None => i += 1,
        }
    }
    false
}

/// Whether a JSON text holds a `\u00XX` escape of a forbidden control
/// character (raw control bytes are invalid JSON and refused by the parser).
pub fn json_control_escape(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' {
            if body.get(i + 1) == Some(&b'u')
                && let Some(hex) = body.get(i + 2..i + 6)
                && let Some(code) = std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok())
                && char::from_u32(code).is_some_and(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                return true;
            }
            i += 2; // the escaped character, whatever it is (so `\\u0000` is text)
        } else {
            i += 1;
        }
    }
    false
}

fn refused(what: &str) -> AppError {
    AppError::BadRequest(format!("the {what} holds a NUL or control character"))
}

pub async fn refuse_unstorable(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.uri().path().to_owned();
    if path.bytes().any(|b| b < 0x20 || b == 0x7f) || encoded_control(&path, false) {
        return Ok(req.error_response(refused("address")));
    }
    if encoded_control(req.query_string(), true) {
        return Ok(req.error_response(refused("query")));
    }
    let json = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.contains("json"));
    if json {
        // Read the body up to the JSON extractors' own limit, check it, and put it back.
        let mut payload = req.parts_mut().1.take();
        let mut body = actix_web::web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if body.len() + chunk.len() > super::extract::JSON_LIMIT {
                return Ok(req.error_response(AppError::TooLarge));
            }
            body.extend_from_slice(&chunk);
        }
        let body: Bytes = body.freeze();
        if json_control_escape(&body) {
            return Ok(req.error_response(refused("JSON body")));
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_nul_and_controls_are_found_in_paths_and_queries() {
        assert!(encoded_control("/thu-tuc/x%00y", false));
        assert!(encoded_control("/x%0a", false), "a line break in a path");
        assert!(!encoded_control("q=a%0Ab", true), "a line break in a query value");
        assert!(encoded_control("q=a%1Fb", true));
        assert!(!encoded_control("q=gi%E1%BA%A5y+ph%C3%A9p&page=2", true));
        assert!(!encoded_control("q=100%", true), "a lone percent sign");
        assert!(!encoded_control("q=%zz", true));
    }

    #[test]
    fn json_control_escapes_are_found_but_escaped_backslashes_are_text() {
        assert!(json_control_escape(br#"{"a":"x\u0000y"}"#));
        assert!(json_control_escape(br#"{"a":"\u001B"}"#));
        assert!(!json_control_escape(br#"{"a":"\\u0000"}"#), "a backslash, then the letters u0000");
        assert!(!json_control_escape(br#"{"a":"d\u00f2ng\n\u0009"}"#));
        assert!(!json_control_escape(br#"{"a":"\u00"}"#));
    }
}
