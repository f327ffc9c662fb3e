//! A dossier as its applicant and its officials read it: the record with
//! the procedure's names, the form data under its labels, the documents
//! and the history.

use chrono::{DateTime, Utc};
use entity::dossier_event::Kind;
use entity::{dossier, dossier_event};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::Value;

use super::documents::{self, Attached, Slot};
use super::status::DossierStatus;
use super::{draft, history, submit};
use crate::catalogue::eform::{FieldKind, FieldSpec, Schema};
use crate::catalogue::view::ProcedureView;
use crate::error::AppError;

#[derive(Debug, Serialize)]
pub struct Applicant {
    pub name: String,
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub value: String,
}

/// A history entry with the workflow's name for its action, when it is a workflow step.
#[derive(Debug, Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub event: dossier_event::Model,
    pub label: Option<String>,
    pub label_en: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DossierView {
    pub id: String,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub national_status: Option<u8>,
    pub channel: crate::values::Channel,
    pub result_delivery: crate::values::ResultDelivery,
    pub procedure_code: String,
    pub procedure_name: String,
    pub agency_name: String,
    pub applicant: Applicant,
    /// The checked form data; for a draft, the fields as typed.
    pub form_data: Value,
    pub rows: Vec<Row>,
    pub slots: Vec<Slot>,
    pub documents: Vec<Attached>,
    pub history: Vec<Event>,
    pub supplement_request: Option<String>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub withdrawable: bool,
    pub workflow_state: Option<String>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<i32>,
    /// A result document is there for the applicant.
    pub has_result: bool,
    /// `on_time`, `due_soon` or `overdue`.
    pub due_state: crate::values::DueState,
    /// The appointment before the apology moved it (once only).
    pub rescheduled_from: Option<DateTime<Utc>>,
    pub apology_at: Option<DateTime<Utc>>,
    pub apology_late: bool,
    /// Supplement requests since submission; a second one counts as late.
    pub supplement_count: i32,
    pub accept_due_at: Option<DateTime<Utc>>,
    pub accept_late: bool,
    pub version: i32,
    #[serde(skip)]
    pub procedure: ProcedureView,
}

pub async fn load(db: &impl ConnectionTrait, d: &dossier::Model) -> Result<DossierView, AppError> {
    let procedure = crate::catalogue::revisions::of_dossier(db, d).await?;
    let status = Some(d.status)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("dossier {} has status {:?}", d.id, d.status)))?;
    let schema = submit::schema_of(&procedure)?;
    let form_data = if status == DossierStatus::Draft {
        serde_json::to_value(draft::typed(d)).unwrap_or(Value::Null)
    } else {
        serde_json::from_str(&d.form_data).unwrap_or(Value::Null)
    };
    let rows = if status == DossierStatus::Draft { Vec::new() } else { rows(&schema, &form_data) };
    Ok(DossierView {
        id: d.public_id.clone(),
        code: d.code.clone(),
        status,
        national_status: status.national_code(),
        channel: d.channel,
        result_delivery: d.result_delivery,
        procedure_code: procedure.record.code.clone(),
        procedure_name: procedure.record.name.clone(),
        agency_name: procedure.agency_name.clone(),
        applicant: Applicant {
            name: d.applicant_name.clone(),
            id_number: d.applicant_id_number.clone(),
            address: d.applicant_address.clone(),
            phone: d.applicant_phone.clone(),
            email: d.applicant_email.clone(),
        },
        form_data,
        rows,
        slots: documents::slots(&procedure),
        documents: documents::list(db, d.id).await?,
        history: events(db, d).await?,
        supplement_request: d.supplement_request.clone(),
        created_at: d.created_at,
        submitted_at: d.submitted_at,
        received_at: d.received_at,
        due_at: d.due_at,
        closed_at: d.closed_at,
        withdrawable: status.withdrawable(),
        workflow_state: d.workflow_state.clone(),
        step_due_at: d.step_due_at,
        assignee_id: d.assignee_id,
        has_result: d.result_upload_id.is_some()
            && matches!(status, DossierStatus::ResultReady | DossierStatus::Returned),
        due_state: d.due_state,
        rescheduled_from: d.rescheduled_from,
        apology_at: d.apology_at,
        apology_late: d.apology_late,
        supplement_count: d.supplement_count,
        accept_due_at: d.accept_due_at,
        accept_late: d.accept_late,
        version: d.version,
        procedure,
    })
}

impl DossierView {
    /// The view the applicant gets: without the officials' internal entries.
    pub fn for_applicant(mut self) -> Self {
        // Comments and reassignments stay among the agency's officials.
        self.history.retain(|e| !matches!(e.event.kind, Kind::Comment | Kind::Reassign));
        self
    }
}

async fn events(db: &impl ConnectionTrait, d: &dossier::Model) -> Result<Vec<Event>, AppError> {
    let wf = super::process::workflow_of(db, d).await?;
    Ok(history::of(db, d.id)
        .await?
        .into_iter()
        .map(|event| {
            let action = wf.as_ref().zip(event.step_action.as_deref()).and_then(|(wf, key)| wf.action(key));
            Event { label: action.map(|a| a.label.clone()), label_en: action.map(|a| a.label_en.clone()), event }
        })
        .collect())
}

/// The form data under its labels, groups as one line per row.
pub fn rows(schema: &Schema, data: &Value) -> Vec<Row> {
    schema
        .fields
        .iter()
        .map(|f| Row { label: f.label.clone(), value: show(f, data.get(&f.name).unwrap_or(&Value::Null)) })
        .collect()
}

fn show(field: &FieldSpec, value: &Value) -> String {
    match (field.kind, value) {
        (_, Value::Null) => String::new(),
        (FieldKind::Checkbox, Value::Bool(b)) => if *b { "Có" } else { "Không" }.into(),
        (FieldKind::Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or_else(|_| s.clone(), |d| d.format("%d/%m/%Y").to_string()),
        (FieldKind::Select, Value::String(s)) => {
            field.options.iter().find(|o| &o.value == s).map_or_else(|| s.clone(), |o| o.label.clone())
        }
        (FieldKind::Group, Value::Array(rows)) => {
            rows.iter().map(|r| show_row(field, r)).collect::<Vec<_>>().join("\n")
        }
        (FieldKind::Group, row) => show_row(field, row),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

fn show_row(group: &FieldSpec, row: &Value) -> String {
    group
        .fields
        .iter()
        .filter_map(|f| {
            let v = show(f, row.get(&f.name).unwrap_or(&Value::Null));
            (!v.is_empty()).then(|| format!("{}: {v}", f.label))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A line of a dossier list.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub id: String,
    pub code: Option<String>,
    pub status: DossierStatus,
    pub channel: crate::values::Channel,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub due_state: crate::values::DueState,
    pub asks_applicant: bool,
}

pub async fn summaries(db: &impl ConnectionTrait, rows: &[dossier::Model]) -> Result<Vec<Summary>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut ids: Vec<i32> = rows.iter().map(|d| d.procedure_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let procedures: std::collections::HashMap<i32, entity::procedure::Model> = entity::procedure::Entity::find()
        .filter(entity::procedure::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(rows
        .iter()
        .map(|d| {
            let p = procedures.get(&d.procedure_id);
            Summary {
                id: d.public_id.clone(),
                code: d.code.clone(),
                status: d.status,
                channel: d.channel,
                procedure_code: p.map(|p| p.code.clone()).unwrap_or_default(),
                procedure_name: p.map(|p| p.name.clone()).unwrap_or_default(),
                applicant_name: d.applicant_name.clone(),
                created_at: d.created_at,
                submitted_at: d.submitted_at,
                due_at: d.due_at,
                due_state: d.due_state,
                asks_applicant: d.status == DossierStatus::AwaitingSupplement,
            }
        })
        .collect())
}
