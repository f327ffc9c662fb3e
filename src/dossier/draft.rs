//! Starting a dossier and keeping its unfinished e-form. A draft holds the
//! fields as typed, so the applicant finds them as they left them; the
//! checked, normalised data replaces them at submission.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::dossier;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::applicant::Details;
use super::status::{Channel, DossierStatus};
use crate::catalogue::view::ProcedureView;
use crate::error::AppError;
use entity::dossier::ResultDelivery;

pub struct NewDossier<'a> {
    pub procedure: &'a ProcedureView,
    pub created_by: i32,
    pub applicant_id: Option<i32>,
    pub applicant: Details,
    pub channel: Channel,
    /// The code the dossier already has (one forwarded by the national
    /// portal keeps the national code); otherwise one is allocated at submission.
    pub code: Option<String>,
    pub form: BTreeMap<String, String>,
    /// A client's key for this request: the same key gives the same dossier.
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
}

/// Creates the draft, or finds the one an earlier request with the same
/// idempotency key created (then `false`). The insert goes first, the key's
/// unique index telling a repeated request (one statement for a new draft,
/// not two): so call it outside a transaction, which a refused insert would
/// spoil on PostgreSQL.
pub async fn start(
    db: &DatabaseConnection,
    new: NewDossier<'_>,
    now: DateTime<Utc>,
) -> Result<(dossier::Model, bool), AppError> {
    let public_id = crate::random::token().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let details = new.applicant;
    let created = dossier::ActiveModel {
        public_id: Set(public_id),
        code: Set(new.code.clone()),
        procedure_id: Set(new.procedure.id),
        procedure_version: Set(new.procedure.version),
        agency_id: Set(new.procedure.agency_id),
        applicant_id: Set(new.applicant_id),
        created_by: Set(new.created_by),
        channel: Set(new.channel),
        status: Set(DossierStatus::Draft),
        resume_status: Set(None),
        form_data: Set(serde_json::to_string(&new.form).map_err(anyhow::Error::from)?),
        applicant_name: Set(clip(&details.name, 255)),
        applicant_id_number: Set(clip(&details.id_number, 32)),
        applicant_address: Set(clip(&details.address, 500)),
        applicant_phone: Set(clip(&details.phone, 32)),
        applicant_email: Set(clip(&details.email, 255)),
        idempotency_key: Set(new.idempotency_key.clone()),
        request_hash: Set(new.request_hash),
        supplement_request: Set(None),
        submitted_at: Set(None),
        received_at: Set(None),
        due_at: Set(None),
        closed_at: Set(None),
        workflow_version_id: Set(None),
        workflow_state: Set(None),
        assignee_id: Set(None),
        step_started_at: Set(None),
        step_due_at: Set(None),
        paused_at: Set(None),
        result_upload_id: Set(None),
        due_state: Set(crate::values::DueState::OnTime),
        due_soon_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(model) => Ok((model, true)),
        // An earlier or concurrent request with the same key holds the unique index.
        Err(e) => match &new.idempotency_key {
            Some(key) => by_key(db, new.created_by, key).await?.map(|d| (d, false)).ok_or_else(|| e.into()),
            None => Err(e.into()),
        },
    }
}

pub async fn by_key(db: &impl ConnectionTrait, created_by: i32, key: &str) -> Result<Option<dossier::Model>, AppError> {
    Ok(dossier::Entity::find()
        .filter(dossier::Column::CreatedBy.eq(created_by))
        .filter(dossier::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

fn clip(s: &str, max: usize) -> String {
    crate::text::nfc(s.trim()).chars().take(max).collect()
}

/// The draft's field for where the applicant asked to receive the result;
/// it sits beside the e-form's fields, which the e-form's check ignores.
pub const RESULT_DELIVERY: &str = "result_delivery";

/// Where the applicant of draft `d` asked to receive the result: unless
/// they chose, online where they filed online and at the desk otherwise; an
/// unknown choice is a field error.
pub fn result_delivery(d: &dossier::Model) -> Result<ResultDelivery, crate::error::FieldError> {
    match typed(d).get(RESULT_DELIVERY).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default_delivery(d.channel)),
        Some(v) => {
            ResultDelivery::parse(v).ok_or_else(|| crate::error::FieldError::new(RESULT_DELIVERY, "invalid_choice"))
        }
    }
}

pub fn default_delivery(channel: Channel) -> ResultDelivery {
    if channel.is_online() { ResultDelivery::Electronic } else { ResultDelivery::Counter }
}

/// The fields as typed, of a draft.
pub fn typed(d: &dossier::Model) -> BTreeMap<String, String> {
    serde_json::from_str(&d.form_data).unwrap_or_default()
}

/// Keeps what the applicant typed. Only a draft changes this way.
pub async fn save_form(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    form: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let saved = dossier::Entity::update_many()
        .col_expr(dossier::Column::FormData, Expr::value(serde_json::to_string(form).map_err(anyhow::Error::from)?))
        .col_expr(dossier::Column::UpdatedAt, Expr::value(now))
        .col_expr(dossier::Column::Version, Expr::col(dossier::Column::Version).add(1))
        .filter(dossier::Column::Id.eq(d.id))
        .filter(dossier::Column::Status.eq(DossierStatus::Draft))
        .exec(db)
        .await?;
    if saved.rows_affected == 1 { Ok(()) } else { Err(AppError::Conflict("dossier_not_draft".into())) }
}
