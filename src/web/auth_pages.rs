//! Signing in and out: applicants through the national SSO, officials with
//! a password; an official's own page, password change and "sign out
//! everywhere"; an applicant's account page.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Query;
use serde::Deserialize;
use serde_json::json;

use super::form::FormData;
use super::render::{Ui, see_other};
use super::session;
use crate::audit::{self, Actor};
use crate::auth::accounts::{self, SignInError};
use crate::auth::oidc::{self, PendingSignIn, SsoError};
use crate::auth::sso_identity::mask_id;
use crate::error::AppError;
use crate::ratelimit::{self, Limit};

const PENDING_KEY: &str = "sso_pending";
/// Password attempts per client address, whatever the names.
const SIGN_IN_LIMIT: Limit = Limit { max: 20, window_secs: 300 };
/// Wrong passwords for one name from one address before that address must
/// wait: five in fifteen minutes.
const FAILURE_LIMIT: Limit = Limit { max: 5, window_secs: 900 };
/// SSO round trips started per client address.
const SSO_LIMIT: Limit = Limit { max: 30, window_secs: 300 };

/// Only paths on this site: `/x`, never `//evil.example` or `https://…`.
pub fn safe_next<'a>(next: Option<&'a str>, fallback: &'a str) -> &'a str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => fallback,
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn rate_limited(ui: &Ui, scope: &str, limit: Limit) -> Result<bool, AppError> {
    Ok(!ratelimit::allow(&ui.state.db, &format!("{scope}:{}", ui.ip()), limit, ui.now()).await?)
}

pub async fn sign_in_choice(ui: Ui, query: Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.context();
    ctx.insert("next", safe_next(query.next.as_deref(), "/tai-khoan"));
    ui.render("auth/sign_in.html", &ctx)
}

/// Sends the browser to the national SSO with a fresh state, nonce and PKCE challenge.
pub async fn sso_start(ui: Ui, query: Query<NextQuery>) -> Result<HttpResponse, AppError> {
    if rate_limited(&ui, "sso", SSO_LIMIT).await? {
        return Err(AppError::TooManyRequests);
    }
    let discovery = ui.state.discovery().await.map_err(|e| AppError::Unavailable(e.to_string()))?;
    let next = safe_next(query.next.as_deref(), "/tai-khoan");
    let (url, pending) = oidc::start(&ui.state.sso, discovery, next).map_err(|e| AppError::Internal(e.into()))?;
    ui.session.insert(PENDING_KEY, pending).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(see_other(&url))
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn sign_in_problem(ui: &Ui, status: StatusCode, reason: &str) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.context();
    ctx.insert("reason", ui.t(reason));
    ui.render_status(status, "auth/sso_failed.html", &ctx)
}

/// The national SSO sends the browser back here. The pending sign-in is
/// taken out of the session first, so a state and a code serve once.
pub async fn sso_callback(ui: Ui, query: Query<Callback>) -> Result<HttpResponse, AppError> {
    let pending: Option<PendingSignIn> = ui.session.remove_as(PENDING_KEY).and_then(Result::ok);
    let Some(pending) = pending.filter(|p| query.state.as_deref() == Some(p.state.as_str())) else {
        tracing::warn!("SSO callback with an unknown or replayed state");
        return sign_in_problem(&ui, StatusCode::BAD_REQUEST, "sso_bad_state");
    };
    if query.error.is_some() {
        return sign_in_problem(&ui, StatusCode::BAD_REQUEST, "sso_denied");
    }
    let Some(code) = query.code.as_deref() else {
        return sign_in_problem(&ui, StatusCode::BAD_REQUEST, "sso_bad_code");
    };
    let discovery = ui.state.discovery().await.map_err(|e| AppError::Unavailable(e.to_string()))?;
    let now = ui.now();
    // The ID token's expiry is the identity provider's clock: compare with the system's.
    let wall = chrono::Utc::now().timestamp();
    let identity =
        match oidc::finish(&ui.state.http, &ui.state.sso, discovery, &ui.state.sso_keys, code, &pending, wall).await {
            Ok(identity) => identity,
            Err(SsoError::Unreachable(e)) => return Err(AppError::Unavailable(e)),
            Err(e) => {
                tracing::warn!(error = %e, "SSO sign-in refused");
                return sign_in_problem(&ui, StatusCode::BAD_REQUEST, "sso_bad_code");
            }
        };
    let who = accounts::sign_in_applicant(&ui.state.db, &identity, now).await?;
    session::begin(&ui.session, &who, now)?;
    let actor = Actor { id: Some(who.id), label: who.label(), ip: ui.ip(), role: None };
    audit::record(&ui.state.db, &actor, "sign_in", "sso", json!({"kind": who.kind.as_str()}), now).await?;
    Ok(see_other(&pending.next))
}

pub async fn official_sign_in_page(ui: Ui, query: Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.form_context();
    ctx.insert("next", safe_next(query.next.as_deref(), "/can-bo"));
    ctx.insert("username", "");
    ui.render("auth/official_sign_in.html", &ctx)
}

pub async fn official_sign_in(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let next = safe_next(Some(form.get("next")), "/can-bo").to_owned();
    let username = form.get("username").trim().to_lowercase();
    let now = ui.now();
    let refuse = |message: &str, status: StatusCode| -> Result<HttpResponse, AppError> {
        let mut ctx = ui.form_context();
        ctx.insert("next", &next);
        ctx.insert("username", &username);
        ctx.insert("failure", ui.t(message));
        ui.render_status(status, "auth/official_sign_in.html", &ctx)
    };
    if rate_limited(&ui, "sign-in", SIGN_IN_LIMIT).await? {
        return refuse("sign_in_throttled", StatusCode::TOO_MANY_REQUESTS);
    }
    let attempt = Actor { id: None, label: username.clone(), ip: ui.ip(), role: None };
    // Failures are counted per typed name and address, whether the name
    // exists or not: the answer never tells, and a stranger elsewhere cannot
    // lock the official out (see README, "Sign-in and sessions").
    let failures = format!("sign-in-failed:{}:{}", ui.ip(), crate::digest::sha256_hex(username.as_bytes()));
    if ratelimit::exhausted(&ui.state.db, &failures, FAILURE_LIMIT, now).await? {
        audit::record(&ui.state.db, &attempt, "sign_in_throttled", &username, json!({}), now).await?;
        return refuse("sign_in_throttled", StatusCode::TOO_MANY_REQUESTS);
    }
    match accounts::sign_in_official(&ui.state.db, &username, form.get("password"), now).await? {
        Ok(who) => {
            ratelimit::clear(&ui.state.db, &failures).await?;
            session::begin(&ui.session, &who, now)?;
            let actor =
                Actor { id: Some(who.id), label: format!("{} ({username})", who.label()), ip: attempt.ip, role: None };
            audit::record(&ui.state.db, &actor, "sign_in", "password", json!({}), now).await?;
            Ok(see_other(&next))
        }
        Err(SignInError::Invalid) => {
            ratelimit::allow(&ui.state.db, &failures, FAILURE_LIMIT, now).await?;
            audit::record(&ui.state.db, &attempt, "sign_in_failed", &username, json!({}), now).await?;
            refuse("sign_in_invalid", StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub async fn sign_out(ui: Ui, _form: FormData) -> Result<HttpResponse, AppError> {
    if ui.viewer.is_some() {
        audit::record(&ui.state.db, &ui.actor(), "sign_out", "session", json!({}), ui.now()).await?;
    }
    session::end(&ui.session, &ui.state.db, ui.now()).await?;
    Ok(see_other("/"))
}

pub async fn applicant_home(ui: Ui) -> Result<HttpResponse, AppError> {
    let account = accounts::find(&ui.state.db, ui.principal()?.id).await?;
    let mut ctx = ui.context();
    ctx.insert("masked_id", &account.citizen_id.as_deref().map(mask_id));
    ctx.insert(
        "account",
        &json!({
            "tax_code": account.tax_code,
            "email": account.email,
            "phone": account.phone,
            "vneid_verified": account.vneid_verified,
            "account_type": account.account_type,
        }),
    );
    ui.render("auth/applicant_home.html", &ctx)
}

pub async fn official_home(ui: Ui) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.form_context();
    ctx.insert("roles", &ui.principal()?.roles);
    ctx.insert("notices", &crate::deadlines::notices_of(&ui.state.db, ui.principal()?.id, 20).await?);
    ui.render("auth/official_home.html", &ctx)
}

pub async fn password_page(ui: Ui) -> Result<HttpResponse, AppError> {
    ui.render_form("auth/password.html", &mut ui.form_context(), &[])
}

pub async fn change_password(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?.clone();
    let now = ui.now();
    let errors = if form.get("new_password") != form.get("confirm_password") {
        vec![crate::error::FieldError::new("confirm_password", "password_mismatch")]
    } else {
        match accounts::set_password(
            &ui.state.db,
            who.id,
            Some(form.get("current_password")),
            form.get("new_password"),
            now,
        )
        .await
        {
            Ok(()) => Vec::new(),
            Err(AppError::Validation(errors)) => errors,
            Err(e) => return Err(e),
        }
    };
    if !errors.is_empty() {
        return ui.render_form("auth/password.html", &mut ui.form_context(), &errors);
    }
    // Other sessions end with the old password; this one carries on.
    let fresh = crate::auth::principal::load(&ui.state.db, who.id).await?.ok_or(AppError::Unauthorized)?;
    session::adopt_epoch(&ui.session, fresh.session_epoch)?;
    audit::record(&ui.state.db, &ui.actor(), "password_changed", &who.label(), json!({}), now).await?;
    Ok(see_other("/can-bo?doi-mat-khau=1"))
}

pub async fn sign_out_everywhere(ui: Ui, _form: FormData) -> Result<HttpResponse, AppError> {
    let who = ui.principal()?;
    accounts::sign_out_everywhere(&ui.state.db, who.id).await?;
    audit::record(&ui.state.db, &ui.actor(), "sign_out_everywhere", &who.label(), json!({}), ui.now()).await?;
    session::end(&ui.session, &ui.state.db, ui.now()).await?;
    Ok(see_other("/can-bo/dang-nhap"))
}
