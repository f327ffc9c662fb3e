//! Rendering pages: the `Ui` extractor gathers what every page needs (the
//! language, its texts, the session) and renders a Tera template with it.

use std::collections::HashMap;
use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use tera::{Context, Tera, Value};

use super::access::Viewer;
use super::headers::{LANG_COOKIE, query_lang};
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::principal::Principal;
use crate::auth::role::Role;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;

pub struct Ui {
    pub state: Data<AppState>,
    pub lang: Lang,
    pub session: Session,
    pub viewer: Option<Principal>,
    req: HttpRequest,
}

/// The client's address as the audit log and rate limits record it: the
/// peer of the connection (forwarding headers can be forged).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

/// The language of a request: `?lang=` first, then the cookie, else Vietnamese.
pub fn lang_of(req: &HttpRequest) -> Lang {
    query_lang(req.query_string())
        .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .unwrap_or_default()
}

impl FromRequest for Ui {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.app_data::<Data<AppState>>() {
            Some(state) => Ok(Ui {
                state: state.clone(),
                lang: lang_of(req),
                session: req.get_session(),
                viewer: req.extensions().get::<Viewer>().and_then(|v| v.0.clone()),
                req: req.clone(),
            }),
            None => Err(AppError::Internal(anyhow::anyhow!("no app state")).into()),
        })
    }
}

impl Ui {
    /// The portal's clock (see `crate::clock`).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock.now()
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.state.texts.get(self.lang, key)
    }

    /// A context holding what the layout needs.
    pub fn context(&self) -> Context {
        base_context(&self.state, self.lang, &self.req)
    }

    /// The signed-in person; routes that are not public always have one.
    pub fn principal(&self) -> Result<&Principal, AppError> {
        self.viewer.as_ref().ok_or(AppError::Unauthorized)
    }

    /// Who acts, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.viewer.as_ref().map(|p| p.id),
            label: self.viewer.as_ref().map_or_else(|| "anonymous".into(), Principal::label),
            ip: client_ip(&self.req),
            role: None,
        }
    }

    /// Whether the query string carries `key`.
    pub fn query_has(&self, key: &str) -> bool {
        self.req.query_string().split('&').any(|p| p == key || p.split_once('=').is_some_and(|(k, _)| k == key))
    }

    pub fn request(&self) -> &HttpRequest {
        &self.req
    }

    pub fn path(&self) -> &str {
        self.req.path()
    }

    pub fn ip(&self) -> String {
        client_ip(&self.req)
    }

    /// A context for a page with a form: also the CSRF token.
    pub fn form_context(&self) -> Context {
        let mut ctx = self.context();
        ctx.insert("csrf", &super::csrf::token(&self.session));
        ctx
    }

    /// Field errors as `field → message` in the user's language.
    pub fn field_messages(&self, errors: &[FieldError]) -> HashMap<String, String> {
        field_messages(&self.state, self.lang, errors)
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<HttpResponse, AppError> {
        self.render_status(StatusCode::OK, template, ctx)
    }

    /// A page with a form: its field errors as messages, 422 when there are any.
    pub fn render_form(
        &self,
        template: &str,
        ctx: &mut Context,
        errors: &[FieldError],
    ) -> Result<HttpResponse, AppError> {
        ctx.insert("errors", &self.field_messages(errors));
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        self.render_status(status, template, ctx)
    }

    pub fn render_status(&self, status: StatusCode, template: &str, ctx: &Context) -> Result<HttpResponse, AppError> {
        let html = render(&self.state.tera, template, ctx)?;
        Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
    }
}

pub fn base_context(state: &AppState, lang: Lang, req: &HttpRequest) -> Context {
    let mut ctx = Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert("tr", state.texts.all(lang));
    ctx.insert("path", req.path());
    ctx.insert("other_lang_url", &other_lang_url(req, lang));
    let viewer = req.extensions().get::<Viewer>().and_then(|v| v.0.clone());
    if let Some(who) = &viewer {
        ctx.insert("csrf", &super::csrf::token(&req.get_session()));
        ctx.insert("is_admin", &who.has_role(Role::Admin));
        ctx.insert("is_official", &!who.is_applicant());
    } else {
        ctx.insert("is_admin", &false);
        ctx.insert("is_official", &false);
    }
    ctx.insert("viewer", &viewer);
    ctx
}

pub fn field_messages(state: &AppState, lang: Lang, errors: &[FieldError]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in errors {
        let key = format!("field_error_{}", e.code);
        out.entry(e.field.clone()).or_insert_with(|| state.texts.get(lang, &key).to_owned());
    }
    out
}

/// The current URL with the language switched, other parameters kept.
fn other_lang_url(req: &HttpRequest, lang: Lang) -> String {
    let other = match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    let mut query: Vec<&str> =
        req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let switch = format!("lang={}", other.code());
    query.push(&switch);
    format!("{}?{}", req.path(), query.join("&"))
}

pub fn render(tera: &Tera, template: &str, ctx: &Context) -> Result<String, AppError> {
    tera.render(template, ctx).map_err(|e| AppError::Internal(anyhow::anyhow!("template {template}: {e:?}")))
}

/// Filters the pages use; Tera's optional built-ins are off to save build time.
pub fn register_filters(tera: &mut Tera) {
    tera.register_filter("vnd", |v: &Value, _: &HashMap<String, Value>| {
        let amount = v.as_i64().ok_or_else(|| tera::Error::msg("vnd: not an integer"))?;
        Ok(Value::String(crate::catalogue::model::Vnd(amount).to_string()))
    });
    // A count or a share as a Vietnamese reader writes it (1.234; 33,33).
    tera.register_filter("num", |v: &Value, _: &HashMap<String, Value>| match (v.as_i64(), v.as_f64()) {
        (Some(n), _) => Ok(Value::String(crate::values::number::grouped(n))),
        (None, Some(x)) => Ok(Value::String(crate::values::number::decimal(x))),
        _ => Err(tera::Error::msg("num: not a number")),
    });
    tera.register_filter("vn_time", |v: &Value, _: &HashMap<String, Value>| {
        let text = v.as_str().ok_or_else(|| tera::Error::msg("vn_time: not a string"))?;
        // An instant (RFC 3339) is shown in Hà Nội time; a time without zone already is one.
        let local = match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(at) => crate::sla::local_time::to_local(at.with_timezone(&chrono::Utc)),
            Err(e) => chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| tera::Error::msg(format!("vn_time: {e}")))?,
        };
        Ok(Value::String(local.format("%H:%M %d/%m/%Y").to_string()))
    });
    tera.register_filter("urlencode", |v: &Value, _: &HashMap<String, Value>| {
        let s = v.as_str().ok_or_else(|| tera::Error::msg("urlencode: not a string"))?;
        Ok(Value::String(urlencode(s)))
    });
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap_or_default().trim_start_matches('=').to_owned()
}

/// "See other": where a browser goes after a form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, location)).finish()
}
