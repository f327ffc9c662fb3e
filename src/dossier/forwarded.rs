//! A dossier filed on the national portal and forwarded to the ministry
//! (DESIGN: "dossiers submitted on the national portal forwarded to us"):
//! checked like an online submission, its documents fetched from the
//! national portal and checked by content like an upload, then submitted
//! with the national portal's code (one code across channels), on the
//! national-portal channel, into the procedure's workflow and the unit's
//! inbox. Taken once per national dossier id: a repeat answers the dossier
//! already taken and changes nothing. A refused one leaves nothing behind.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{account, dossier};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::applicant::Details;
use super::document_changes::{self, Change};
use super::draft::{self, NewDossier};
use super::status::{Channel, DossierStatus};
use super::{documents, form_data, submit};
use crate::audit::Actor;
use crate::context::Context;
use crate::documents::fetch::{self, FetchError};
use crate::documents::receive::ReceiveError;
use crate::error::{AppError, FieldError};

/// The account forwarded dossiers are created by: the national portal itself.
const ACCOUNT: &str = "cong-dvcqg";
const ACCOUNT_NAME: &str = "Cổng Dịch vụ công quốc gia";

pub struct Forwarded {
    /// The national portal's id of the dossier: a repeat is recognised by it.
    pub national_id: String,
    /// The dossier's code on the national portal, kept here.
    pub code: String,
    pub procedure: String,
    pub applicant: Details,
    pub form: BTreeMap<String, String>,
    pub documents: Vec<ForwardedDocument>,
}

pub struct ForwardedDocument {
    pub slot: i32,
    pub name: String,
    pub url: String,
}

pub enum Taken {
    Created(dossier::Model),
    /// Forwarded before: the dossier it became.
    Again(dossier::Model),
}

/// The national portal's account, created on first use.
pub async fn national_portal_account(db: &sea_orm::DatabaseConnection, now: DateTime<Utc>) -> Result<i32, AppError> {
    let find = || account::Entity::find().filter(account::Column::Username.eq(ACCOUNT)).one(db);
    if let Some(a) = find().await? {
        return Ok(a.id);
    }
    let created = account::ActiveModel {
        // Not a kind anyone signs in as: no password, no SSO subject, inactive.
        kind: Set("system".into()),
        username: Set(Some(ACCOUNT.into())),
        password_hash: Set(None),
        sso_subject: Set(None),
        account_type: Set(None),
        citizen_id: Set(None),
        tax_code: Set(None),
        full_name: Set(ACCOUNT_NAME.into()),
        email: Set(None),
        phone: Set(None),
        vneid_verified: Set(false),
        unit_id: Set(None),
        active: Set(false),
        session_epoch: Set(0),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(a) => Ok(a.id),
        // Another request created it first.
        Err(e) => find().await?.map(|a| a.id).ok_or_else(|| e.into()),
    }
}

fn refused(field: impl Into<String>, code: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

fn again_or_busy(d: dossier::Model) -> Result<Taken, AppError> {
    if d.status == DossierStatus::Draft {
        // The first delivery of it is still at work: the national portal tries again.
        return Err(AppError::Conflict("this dossier is being taken; try again".into()));
    }
    Ok(Taken::Again(d))
}

pub async fn take(cx: &std::sync::Arc<Context>, f: Forwarded, now: DateTime<Utc>) -> Result<Taken, AppError> {
    let owner = national_portal_account(&cx.db, now).await?;
    let key = format!("national:{}", f.national_id);
    if let Some(d) = draft::by_key(&cx.db, owner, &key).await? {
        return again_or_busy(d);
    }
    let p = match crate::catalogue::view::any(&cx.db, &f.procedure).await {
        Ok(p) => p,
        Err(AppError::NotFound) => return Err(refused("MaTTHC", "unknown_procedure")),
        Err(e) => return Err(e),
    };
    if !p.accepts_online_submission {
        return Err(refused("MaTTHC", "not_accepting"));
    }
    let mut errors = form_data::check(&submit::schema_of(&p)?, &f.form).err().unwrap_or_default();
    let slots = documents::slots(&p);
    for slot in slots.iter().filter(|s| s.required) {
        if !f.documents.iter().any(|d| d.slot == slot.position) {
            errors.push(FieldError::new(format!("TaiLieuNop.{}", slot.position), "required_document"));
        }
    }
    if f.documents.iter().any(|d| !slots.iter().any(|s| s.position == d.slot)) {
        errors.push(FieldError::new("TaiLieuNop", "unknown_slot"));
    }
    if f.documents.len() > cx.settings.dossier_max_files {
        errors.push(FieldError::new("TaiLieuNop", "too_many_files"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // The files, fetched before anything is written: a refused one leaves nothing.
    let tmp = cx.settings.data_dir.join("tmp");
    let mut files = Vec::with_capacity(f.documents.len());
    for (i, doc) in f.documents.iter().enumerate() {
        let field = format!("TaiLieuNop.{i}");
        match fetch::fetch(&cx.http, &doc.url, &doc.name, &tmp, cx.settings.upload_max_bytes).await {
            Ok(file) => files.push((doc.slot, file)),
            Err(FetchError::Received(ReceiveError::TooLarge)) => return Err(refused(field, "too_large")),
            Err(FetchError::Received(ReceiveError::UnsupportedType)) => return Err(refused(field, "unsupported_type")),
            Err(FetchError::Received(ReceiveError::Empty)) => return Err(refused(field, "empty_file")),
            Err(e) => {
                tracing::warn!(error = %e, url = %doc.url, "forwarded document not fetched");
                return Err(refused(field, "unreachable"));
            }
        }
    }
    let new = NewDossier {
        procedure: &p,
        created_by: owner,
        applicant_id: None,
        applicant: f.applicant,
        channel: Channel::National,
        code: Some(f.code.chars().take(64).collect()),
        form: f.form,
        idempotency_key: Some(key.chars().take(100).collect()),
        request_hash: None,
    };
    let (d, created) = draft::start(&cx.db, new, now).await?;
    if !created {
        return again_or_busy(d);
    }
    let change =
        Change { files: files.iter().map(|(slot, (r, _))| (Some(*slot), r)).collect(), reuse: &[], remove: &[] };
    let actor = Actor::system(ACCOUNT_NAME);
    let stored = match document_changes::apply(cx, &d, &slots, change, owner, 0, now).await {
        Ok(stored) => stored,
        Err(e) => {
            dossier::Entity::delete_by_id(d.id).exec(&cx.db).await?;
            return Err(e);
        }
    };
    match submit::submit(cx, d.id, &actor, submit::AlreadyRead::default(), now).await {
        Ok(s) => Ok(Taken::Created(s.dossier)),
        Err(e) => {
            dossier::Entity::delete_by_id(d.id).exec(&cx.db).await?;
            for file in &stored {
                crate::documents::store::discard(&cx.db, &cx.storage, file).await?;
            }
            Err(e)
        }
    }
}

/// How many dossiers came from the national portal.
pub async fn count(db: &impl sea_orm::ConnectionTrait) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(dossier::Entity::find().filter(dossier::Column::Channel.eq(Channel::National)).count(db).await?)
}
