//! Who may call a route. Every route in `routes.rs` declares its `Access`,
//! and this middleware enforces it before the handler runs, so a route
//! cannot exist without a rule. Handlers learn who is asking from `Viewer`.

use std::future::{Ready, ready};

use actix_session::SessionExt;
use actix_web::body::BoxBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};

use super::render::urlencode;
use super::session;
use crate::app::AppState;
use crate::auth::principal::Principal;
use crate::auth::role::Role;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A citizen or business signed in through the national SSO.
    Applicant,
    /// Any official, whatever their roles.
    Official,
    /// An official holding at least one of these roles.
    Staff(&'static [Role]),
}

pub const ADMIN: Access = Access::Staff(&[Role::Admin]);
pub const RECEPTION: Access = Access::Staff(&[Role::Reception]);
pub const LEADER: Access = Access::Staff(&[Role::Leader]);

/// Where someone who is not signed in goes for this access, and back to
/// where they were afterwards — only to a page, never to repeat a form post.
pub fn sign_in_target(access: Access, method: &actix_web::http::Method, path: &str) -> String {
    let page = match access {
        Access::Applicant | Access::Public => "/dang-nhap",
        _ => "/can-bo/dang-nhap",
    };
    let back = if method == actix_web::http::Method::GET { path } else { "/" };
    format!("{page}?next={}", urlencode(back))
}

impl Access {
    pub fn allows(self, who: &Principal) -> bool {
        match self {
            Access::Public => true,
            Access::Applicant => who.is_applicant(),
            Access::Official => !who.is_applicant(),
            Access::Staff(roles) => !who.is_applicant() && who.has_any(roles),
        }
    }
}

/// The person asking, if signed in; set by the access middleware.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<Principal>);

impl Viewer {
    /// The signed-in person; routes that are not public always have one.
    pub fn principal(&self) -> Result<&Principal, AppError> {
        self.0.as_ref().ok_or(AppError::Unauthorized)
    }
}

impl FromRequest for Viewer {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req.extensions().get::<Viewer>().cloned().unwrap_or(Viewer(None))))
    }
}

pub async fn enforce(
    access: Access,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<Data<AppState>>().cloned() else {
        return Ok(req.error_response(AppError::Internal(anyhow::anyhow!("no app state"))));
    };
    let who = match session::current(&req.get_session(), &state.db, state.clock.now()).await {
        Ok(who) => who,
        Err(e) => return Ok(req.error_response(e)),
    };
    let verdict = match &who {
        _ if access == Access::Public => Ok(()),
        Some(p) if access.allows(p) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthorized),
    };
    // A signed-in call of the JSON API that changes something carries the
    // session's CSRF token in its header, whatever the route: the browser
    // would send the session cookie with a forged cross-site request too.
    let verdict = match verdict {
        Ok(()) if needs_csrf_header(access, &req) && !super::csrf::verify_header(req.request()) => {
            Err(AppError::Forbidden)
        }
        other => other,
    };
    match verdict {
        Ok(()) => {
            req.extensions_mut().insert(Viewer(who));
            next.call(req).await
        }
        Err(AppError::Unauthorized) if !req.path().starts_with("/api/") => {
            let target = sign_in_target(access, req.method(), req.path());
            Ok(req.into_response(HttpResponse::SeeOther().insert_header((header::LOCATION, target)).finish()))
        }
        Err(e) => Ok(req.error_response(e)),
    }
}

/// JSON API routes for signed-in callers that change state (forms carry
/// their token in a field, checked by the form extractor).
fn needs_csrf_header(access: Access, req: &ServiceRequest) -> bool {
    access != Access::Public && req.path().starts_with("/api/") && !req.method().is_safe()
}
