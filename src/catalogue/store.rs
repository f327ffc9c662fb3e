//! Reading and writing procedures as records. Every write recomputes the
//! folded search columns, so search never sees stale text.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{agency, field, procedure, procedure_document, procedure_fee};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::model::{ApplicantType, CopyKind, FeeCollection, FeeKind, OnlineMode, ProcedureStatus, TimeLimit, TimeUnit};
use super::record::{DocumentRecord, FeeRecord, ProcedureRecord};
use crate::error::{AppError, FieldError};
use crate::text::fold;

/// Agencies and fields by code, to resolve a record's references.
pub struct Refs {
    pub agencies: HashMap<String, agency::Model>,
    pub fields: HashMap<String, field::Model>,
}

impl Refs {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Refs, AppError> {
        let agencies = agency::Entity::find().all(db).await?;
        let fields = field::Entity::find().all(db).await?;
        Ok(Refs {
            agencies: agencies.into_iter().map(|a| (a.code.clone(), a)).collect(),
            fields: fields.into_iter().map(|f| (f.code.clone(), f)).collect(),
        })
    }

    pub fn agency_by_id(&self, id: i32) -> Option<&agency::Model> {
        self.agencies.values().find(|a| a.id == id)
    }

    pub fn field_by_id(&self, id: i32) -> Option<&field::Model> {
        self.fields.values().find(|f| f.id == id)
    }

    /// Errors for references that do not exist.
    pub fn check(&self, record: &ProcedureRecord) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !record.agency_code.is_empty() && !self.agencies.contains_key(&record.agency_code) {
            errors.push(FieldError::new("agency_code", "unknown"));
        }
        if !record.field_code.is_empty() && !self.fields.contains_key(&record.field_code) {
            errors.push(FieldError::new("field_code", "unknown"));
        }
        // A per-item fee counts with a number field of the procedure's own e-form.
        let schema = super::eform::Schema::parse(&record.eform_schema, "eform_schema").ok();
        for (i, fee) in record.fees.iter().enumerate().filter(|(_, f)| !f.per_item.is_empty()) {
            let counts = schema.as_ref().is_some_and(|s| {
                s.fields.iter().any(|f| f.name == fee.per_item && f.kind == super::eform::FieldKind::Number)
            });
            if !counts {
                errors.push(FieldError::new(format!("fees.{i}.per_item"), "not_a_number_field"));
            }
        }
        errors
    }
}

/// Locks the procedure's row if it is still at `version`, so that of two
/// concurrent edits from the same version exactly one goes through: the other
/// waits for the lock, then finds the version moved on.
pub async fn lock_version(db: &impl ConnectionTrait, id: i32, version: i32) -> Result<bool, AppError> {
    let result = procedure::Entity::update_many()
        .col_expr(procedure::Column::Version, Expr::col(procedure::Column::Version))
        .filter(procedure::Column::Id.eq(id))
        .filter(procedure::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn find(db: &impl ConnectionTrait, code: &str) -> Result<Option<procedure::Model>, AppError> {
    Ok(procedure::Entity::find().filter(procedure::Column::Code.eq(code)).one(db).await?)
}

/// The full record of a stored procedure.
pub async fn record(db: &impl ConnectionTrait, p: &procedure::Model, refs: &Refs) -> Result<ProcedureRecord, AppError> {
    let documents = procedure_document::Entity::find()
        .filter(procedure_document::Column::ProcedureId.eq(p.id))
        .order_by_asc(procedure_document::Column::Position)
        .all(db)
        .await?;
    let fees = procedure_fee::Entity::find()
        .filter(procedure_fee::Column::ProcedureId.eq(p.id))
        .order_by_asc(procedure_fee::Column::Position)
        .all(db)
        .await?;
    to_record(p, refs, documents, fees)
}

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::Internal(anyhow::anyhow!("stored procedure has an invalid {what}: {value:?}"))
}

fn to_record(
    p: &procedure::Model,
    refs: &Refs,
    documents: Vec<procedure_document::Model>,
    fees: Vec<procedure_fee::Model>,
) -> Result<ProcedureRecord, AppError> {
    let applicant_types = ApplicantType::from_flags(p.for_citizen, p.for_business);
    let documents = documents
        .into_iter()
        .map(|d| {
            Ok(DocumentRecord {
                copy_kind: CopyKind::parse(&d.copy_kind).ok_or_else(|| corrupt("copy kind", &d.copy_kind))?,
                name: d.name,
                required: d.required,
                quantity: d.quantity,
                template_file: d.template_file,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let fees = fees
        .into_iter()
        .map(|f| {
            Ok(FeeRecord {
                kind: FeeKind::parse(&f.kind).ok_or_else(|| corrupt("fee kind", &f.kind))?,
                name: f.name,
                amount_vnd: f.amount_vnd,
                note: f.note,
                collected: FeeCollection::parse(&f.collected).ok_or_else(|| corrupt("fee collection", &f.collected))?,
                per_item: f.per_item,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(ProcedureRecord {
        code: p.code.clone(),
        name: p.name.clone(),
        agency_code: refs.agency_by_id(p.agency_id).map(|a| a.code.clone()).unwrap_or_default(),
        field_code: refs.field_by_id(p.field_id).map(|f| f.code.clone()).unwrap_or_default(),
        online_mode: OnlineMode::parse(&p.online_mode).ok_or_else(|| corrupt("online mode", &p.online_mode))?,
        applicant_types,
        description: p.description.clone(),
        steps: p.steps.clone(),
        time_limit: TimeLimit {
            hours: p.time_limit_hours,
            unit: TimeUnit::parse(&p.time_limit_unit).ok_or_else(|| corrupt("time unit", &p.time_limit_unit))?,
        },
        legal_basis: p.legal_basis.clone(),
        result: p.result.clone(),
        presence_required: p.presence_required,
        status: ProcedureStatus::parse(&p.status).ok_or_else(|| corrupt("status", &p.status))?,
        eform_schema: serde_json::from_str(&p.eform_schema).map_err(|_| corrupt("e-form schema", &p.code))?,
        workflow_key: p.workflow_key.clone(),
        auto_receive: p.auto_receive,
        fee_refundable: p.fee_refundable,
        clock_waits_for_fee: p.clock_waits_for_fee,
        correction_restarts_clock: p.correction_restarts_clock,
        documents,
        fees,
    })
}

/// Inserts the record, or replaces the procedure with the same code (its
/// documents and fees too), bumping its version. The record must be checked.
pub async fn upsert(
    db: &impl ConnectionTrait,
    record: &ProcedureRecord,
    refs: &Refs,
    now: DateTime<Utc>,
) -> Result<procedure::Model, AppError> {
    let agency = refs.agencies.get(&record.agency_code).ok_or(AppError::NotFound)?;
    let field = refs.fields.get(&record.field_code).ok_or(AppError::NotFound)?;
    let existing = find(db, &record.code).await?;
    let search_text = fold(&format!(
        "{} {} {} {} {}",
        record.code, record.name, record.description, record.result, record.legal_basis
    ));
    let mut model = procedure::ActiveModel {
        code: Set(record.code.clone()),
        name: Set(record.name.clone()),
        agency_id: Set(agency.id),
        field_id: Set(field.id),
        online_mode: Set(record.online_mode.as_str().into()),
        for_citizen: Set(record.applicant_types.contains(&ApplicantType::Citizen)),
        for_business: Set(record.applicant_types.contains(&ApplicantType::Business)),
        description: Set(record.description.clone()),
        steps: Set(record.steps.clone()),
        time_limit_hours: Set(record.time_limit.hours),
        time_limit_unit: Set(record.time_limit.unit.as_str().into()),
        legal_basis: Set(record.legal_basis.clone()),
        result: Set(record.result.clone()),
        presence_required: Set(record.presence_required),
        status: Set(record.status.as_str().into()),
        eform_schema: Set(serde_json::to_string(&record.eform_schema).map_err(anyhow::Error::from)?),
        workflow_key: Set(record.workflow_key.clone()),
        auto_receive: Set(record.auto_receive),
        fee_refundable: Set(record.fee_refundable),
        clock_waits_for_fee: Set(record.clock_waits_for_fee),
        correction_restarts_clock: Set(record.correction_restarts_clock),
        search_text: Set(search_text),
        name_search: Set(fold(&format!("{} {}", record.code, record.name))),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = match existing {
        Some(old) => {
            model.id = Set(old.id);
            model.version = Set(old.version + 1);
            model.created_at = Set(old.created_at);
            procedure_document::Entity::delete_many()
                .filter(procedure_document::Column::ProcedureId.eq(old.id))
                .exec(db)
                .await?;
            procedure_fee::Entity::delete_many().filter(procedure_fee::Column::ProcedureId.eq(old.id)).exec(db).await?;
            model.update(db).await?
        }
        None => {
            model.version = Set(1);
            model.created_at = Set(now);
            model.insert(db).await?
        }
    };
    insert_children(db, saved.id, record).await?;
    super::revisions::keep(db, saved.id, saved.version, record, now).await?;
    // Every process's copy of the published catalogue is stale from this commit on.
    crate::change_counter::bump(db, crate::change_counter::CATALOGUE).await?;
    Ok(saved)
}

async fn insert_children(
    db: &impl ConnectionTrait,
    procedure_id: i32,
    record: &ProcedureRecord,
) -> Result<(), AppError> {
    let documents: Vec<_> = record
        .documents
        .iter()
        .zip(1..)
        .map(|(d, position)| procedure_document::ActiveModel {
            procedure_id: Set(procedure_id),
            position: Set(position),
            name: Set(d.name.clone()),
            required: Set(d.required),
            copy_kind: Set(d.copy_kind.as_str().into()),
            quantity: Set(d.quantity),
            template_file: Set(d.template_file.clone()),
            ..Default::default()
        })
        .collect();
    if !documents.is_empty() {
        procedure_document::Entity::insert_many(documents).exec(db).await?;
    }
    let fees: Vec<_> = record
        .fees
        .iter()
        .zip(1..)
        .map(|(f, position)| procedure_fee::ActiveModel {
            procedure_id: Set(procedure_id),
            position: Set(position),
            kind: Set(f.kind.as_str().into()),
            name: Set(f.name.clone()),
            amount_vnd: Set(f.amount_vnd),
            note: Set(f.note.clone()),
            per_item: Set(f.per_item.clone()),
            collected: Set(f.collected.as_str().into()),
            ..Default::default()
        })
        .collect();
    if !fees.is_empty() {
        procedure_fee::Entity::insert_many(fees).exec(db).await?;
    }
    Ok(())
}
