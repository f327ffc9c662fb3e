//! The e-mails a dossier's applicant gets, queued in the transaction of the
//! change they tell about.

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::ConnectionTrait;

use super::email::{self, Attachment, Email};
use crate::catalogue::view::ProcedureView;
use crate::context::Rules;
use crate::dossier::lookup::lookup_url;
use crate::error::AppError;

/// Queues the mail `template` about `d` to its applicant, if they gave an address.
#[allow(clippy::too_many_arguments)]
pub async fn notify_applicant(
    db: &impl ConnectionTrait,
    rules: &Rules,
    template: &str,
    d: &dossier::Model,
    p: &ProcedureView,
    extra: &[(&str, String)],
    with_receipt: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if d.applicant_email.is_empty() {
        return Ok(());
    }
    let public_url = &rules.settings.public_url;
    let code = d.code.clone().unwrap_or_default();
    let mut ctx = tera::Context::new();
    ctx.insert("code", &code);
    ctx.insert("name", &d.applicant_name);
    ctx.insert("procedure", &p.record.name);
    ctx.insert("agency", &p.agency_name);
    ctx.insert("dossier_url", &format!("{public_url}/ho-so/{}", d.public_id));
    ctx.insert("lookup_url", &lookup_url(public_url, &code));
    for (key, value) in extra {
        ctx.insert(*key, value);
    }
    let mut mail = Email::compose(&rules.mail.0, template, &d.applicant_email, &ctx)?;
    if with_receipt {
        mail.attachments.push(Attachment::Receipt { dossier_id: d.id, lookup_url: lookup_url(public_url, &code) });
    }
    email::enqueue(db, &mail, now).await?;
    Ok(())
}

/// Queues the mail telling `holder` that dossier `d` waits for them at step `step`.
#[allow(clippy::too_many_arguments)]
pub async fn notify_holder(
    db: &impl ConnectionTrait,
    rules: &Rules,
    holder: &entity::account::Model,
    address: &str,
    d: &dossier::Model,
    p: &ProcedureView,
    step: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut ctx = tera::Context::new();
    ctx.insert("name", &holder.full_name);
    ctx.insert("code", &d.code.clone().unwrap_or_default());
    ctx.insert("procedure", &p.record.name);
    ctx.insert("step", step);
    ctx.insert("note", note);
    ctx.insert("step_due", &d.step_due_at.map(crate::dossier::receipt::moment_vi));
    ctx.insert("dossier_url", &format!("{}/can-bo/ho-so/{}", rules.settings.public_url, d.public_id));
    email::enqueue(db, &Email::compose(&rules.mail.0, "dossier_assigned", address, &ctx)?, now).await?;
    Ok(())
}
