//! The invitation to rate, mailed when a dossier is finished to an applicant
//! who gave an e-mail address: the dossier page for an account holder, the
//! one-time link for a counter applicant — unless their copy of form 01
//! already carries one, which a new link would void.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::ConnectionTrait;

use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::error::AppError;

pub async fn send(
    db: &impl ConnectionTrait,
    rules: &Rules,
    d: &dossier::Model,
    p: &ProcedureView,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if d.applicant_email.is_empty() || !super::is_finished(d) {
        return Ok(());
    }
    let public_url = &rules.settings.public_url;
    let (link, on_copy) = if d.applicant_id.is_some() {
        (format!("{public_url}/ho-so/{}#danh-gia", d.public_id), false)
    } else {
        match super::link::issue_first(db, d, now).await? {
            Some(token) => (super::link::url(public_url, &token), false),
            None => (String::new(), true),
        }
    };
    let extra = [("rating_url", link), ("on_copy", if on_copy { "1".into() } else { String::new() })];
    crate::notify::dossier::notify_applicant(db, rules, "dossier_rating", d, p, &extra, false, now).await
}
