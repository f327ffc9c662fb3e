//! Fixtures a test builds for itself (STYLE.md, Tests): an agency with its
//! procedure (fees, workflow, time limit), officials with roles, and
//! dossiers in a given state, written straight to the database so that a
//! test needing hundreds of them does not spend minutes on the way there.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::TestApp;
use motcua::auth::role::Role;

/// A procedure of its own agency, under `workflow`.
pub struct ProcedureBuilder {
    pub code: String,
    pub agency: String,
    pub workflow: String,
    pub days: i32,
    pub fees: Vec<(String, i64, String)>,
    pub clock_waits_for_fee: bool,
    pub online_mode: String,
    pub name: Option<String>,
    pub eform_fields: serde_json::Value,
    pub applicant_types: Vec<&'static str>,
    pub status: &'static str,
}

pub struct Built {
    pub procedure_id: i32,
    pub agency_id: i32,
    pub agency_code: String,
    pub workflow_version_id: i64,
}

impl ProcedureBuilder {
    pub fn new(code: &str, agency: &str) -> ProcedureBuilder {
        ProcedureBuilder {
            code: code.into(),
            agency: agency.into(),
            workflow: "mot-cua-3-buoc".into(),
            days: 10,
            fees: Vec::new(),
            clock_waits_for_fee: true,
            online_mode: "full_online".into(),
            name: None,
            eform_fields: json!([{"name": "ho_ten", "label": "Họ và tên", "label_en": "Full name",
                                  "type": "text", "required": true, "max_length": 100}]),
            applicant_types: vec!["citizen"],
            status: "published",
        }
    }

    /// The procedure's name (else "Thủ tục thử nghiệm <code>").
    pub fn named(mut self, name: &str) -> Self {
        self.name = Some(name.into());
        self
    }

    /// An e-form asking what a person's application usually does: name, date
    /// of birth, permanent address, phone.
    pub fn person_form(mut self) -> Self {
        self.eform_fields = json!([
            {"name": "ho_ten", "label": "Họ và tên", "label_en": "Full name", "type": "text", "required": true, "max_length": 100},
            {"name": "ngay_sinh", "label": "Ngày sinh", "label_en": "Date of birth", "type": "date", "required": true},
            {"name": "dia_chi", "label": "Địa chỉ thường trú", "label_en": "Permanent address", "type": "address", "required": true},
            {"name": "dien_thoai", "label": "Số điện thoại", "label_en": "Phone", "type": "phone", "required": true},
        ]);
        self
    }

    /// An e-form of these fields.
    pub fn form(mut self, fields: serde_json::Value) -> Self {
        self.eform_fields = fields;
        self
    }

    /// For businesses rather than citizens.
    pub fn for_business(mut self) -> Self {
        self.applicant_types = vec!["business"];
        self
    }

    /// Abolished: readable, taking no dossier.
    pub fn abolished(mut self) -> Self {
        self.status = "abolished";
        self
    }

    /// A fee of `amount_vnd` collected at `collected` (`submission`, `before_result`, `at_result`, `exempt`).
    pub fn fee(mut self, name: &str, amount_vnd: i64, collected: &str) -> Self {
        self.fees.push((name.into(), amount_vnd, collected.into()));
        self
    }

    /// How far the procedure is offered online (`full_online`, `partial_online`, `information`).
    pub fn mode(mut self, online_mode: &str) -> Self {
        self.online_mode = online_mode.into();
        self
    }

    /// The procedure's policy: the limit runs from reception even if the fee is unpaid.
    pub fn clock_runs_before_the_fee(mut self) -> Self {
        self.clock_waits_for_fee = false;
        self
    }

    pub async fn create(self, app: &TestApp) -> Built {
        let catalogue = json!({
            "format": "motcua-catalogue",
            "version": 1,
            "agencies": [{"code": self.agency, "name": format!("Sở thử nghiệm {}", self.agency), "level": "provincial"}],
            "fields": [{"code": "THU", "name": "Lĩnh vực thử nghiệm"}],
            "procedures": [{
                "code": self.code, "name": self.name.clone().unwrap_or_else(|| format!("Thủ tục thử nghiệm {}", self.code)),
                "agency_code": self.agency,
                "field_code": "THU", "online_mode": self.online_mode, "applicant_types": self.applicant_types,
                "description": "Thủ tục dựng cho kiểm thử.", "steps": "Nộp, tiếp nhận, thẩm định, phê duyệt.",
                "time_limit": {"hours": self.days * 8, "unit": "working_days"},
                "legal_basis": "Nghị định số 118/2025/NĐ-CP", "result": "Giấy chứng nhận",
                "presence_required": false, "status": self.status,
                "eform_schema": {"fields": self.eform_fields},
                "workflow_key": self.workflow,
                "clock_waits_for_fee": self.clock_waits_for_fee,
                "documents": [{"name": "Đơn đề nghị", "required": true, "copy_kind": "copy", "quantity": 1}],
                "fees": self.fees.iter().map(|(name, amount, collected)|
                    json!({"kind": "le_phi", "name": name, "amount_vnd": amount, "note": "", "collected": collected}))
                    .collect::<Vec<_>>(),
            }],
        });
        let catalogue = serde_json::from_value(catalogue).expect("a valid catalogue");
        let actor = motcua::audit::Actor::system("test fixture");
        motcua::catalogue::transfer::import(&app.db, catalogue, &actor, app.now()).await.expect("imported");
        let p = motcua::catalogue::view::any(&app.db, &self.code).await.expect("the procedure");
        let (workflow_version_id, _) = app.state.workflows.get(&self.workflow).expect("a known workflow");
        Built { procedure_id: p.id, agency_id: p.agency_id, agency_code: self.agency, workflow_version_id }
    }
}

/// An official of `unit` with `roles`; returns their account id.
pub async fn official_with(app: &TestApp, username: &str, roles: &[Role], unit: &str) -> i32 {
    app.create_official(username, roles, Some(unit)).await
}

/// A received dossier of `p` at workflow step `state` (status `status`),
/// held by `assignee` (none: in the unit's pool), its step due at `step_due`.
pub struct DossierBuilder<'a> {
    pub p: &'a Built,
    pub state: &'a str,
    pub status: &'a str,
    pub assignee: Option<i32>,
    pub step_due: Option<DateTime<Utc>>,
    pub due: Option<DateTime<Utc>>,
    pub channel: &'a str,
    pub applicant: Option<i32>,
}

impl<'a> DossierBuilder<'a> {
    pub fn in_step(p: &'a Built, state: &'a str, status: &'a str) -> Self {
        DossierBuilder {
            p,
            state,
            status,
            assignee: None,
            step_due: None,
            due: None,
            channel: "online",
            applicant: None,
        }
    }

    /// Submitted online and not yet received: at the workflow's first step, without an appointment.
    pub fn submitted(p: &'a Built) -> Self {
        DossierBuilder::in_step(p, "tiep_nhan", "submitted")
    }

    /// Submitted by the applicant account `id` (who may then read it).
    pub fn of_applicant(mut self, id: i32) -> Self {
        self.applicant = Some(id);
        self
    }

    /// Taken at the counter rather than online.
    pub fn at_counter(mut self) -> Self {
        self.channel = "counter";
        self
    }

    pub fn held_by(mut self, official: i32) -> Self {
        self.assignee = Some(official);
        self
    }

    pub fn step_due(mut self, at: DateTime<Utc>) -> Self {
        self.step_due = Some(at);
        self
    }

    pub async fn insert(&self, app: &TestApp, n: usize) -> entity::dossier::Model {
        let now = app.now();
        let applicant = entity::account::Entity::find()
            .filter(entity::account::Column::Username.eq("admin-test"))
            .one(&app.db)
            .await
            .unwrap()
            .map_or(1, |a| a.id);
        entity::dossier::ActiveModel {
            public_id: Set(format!("fixture-{}-{n:05}", self.p.agency_code)),
            code: Set(Some(format!("{}-261201-{n:04}", self.p.agency_code))),
            procedure_id: Set(self.p.procedure_id),
            procedure_version: Set(1),
            agency_id: Set(self.p.agency_id),
            applicant_id: Set(self.applicant),
            created_by: Set(self.applicant.unwrap_or(applicant)),
            channel: Set(motcua::dossier::Channel::parse(self.channel).expect("a channel")),
            status: Set(motcua::dossier::DossierStatus::parse(self.status).expect("a status")),
            form_data: Set("{\"ho_ten\":\"Nguyễn Văn Thử\"}".into()),
            applicant_name: Set("Nguyễn Văn Thử".into()),
            applicant_id_number: Set("001090012345".into()),
            applicant_address: Set("Hà Nội".into()),
            applicant_phone: Set("0912345678".into()),
            applicant_email: Set(String::new()),
            submitted_at: Set(Some(now)),
            received_at: Set((self.status != "submitted").then_some(now)),
            due_at: Set(if self.status == "submitted" {
                None
            } else {
                self.due.or(Some(now + chrono::Duration::days(14)))
            }),
            workflow_version_id: Set(Some(self.p.workflow_version_id)),
            workflow_state: Set(Some(self.state.into())),
            assignee_id: Set(self.assignee),
            step_started_at: Set((self.status != "submitted").then_some(now)),
            step_due_at: Set(self.step_due),
            due_state: Set(motcua::values::DueState::OnTime),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("fixture dossier")
    }

    /// As `insert`, with the procedure's one required document attached
    /// (a record only: no file behind it, for the checks that count papers).
    pub async fn insert_complete(&self, app: &TestApp, n: usize) -> entity::dossier::Model {
        let d = self.insert(app, n).await;
        let upload = entity::upload::ActiveModel {
            public_id: Set(format!("fixture-upload-{n:05}")),
            owner_id: Set(d.created_by),
            storage_key: Set(format!("fixture/{n}")),
            file_name: Set("don-de-nghi.pdf".into()),
            kind: Set("application/pdf".into()),
            size_bytes: Set(1000),
            sha256: Set("0".repeat(64)),
            created_at: Set(d.created_at),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        entity::dossier_document::ActiveModel {
            dossier_id: Set(d.id),
            slot: Set(Some(1)),
            name: Set("Đơn đề nghị".into()),
            required: Set(true),
            upload_id: Set(upload.id),
            round: Set(0),
            added_at: Set(d.created_at),
            origin: Set(entity::dossier_document::Origin::Uploaded),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        d
    }
}
