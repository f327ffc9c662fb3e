//! Synthetic dossiers for benchmarks and demonstrations
//! (`motcua seed --dossiers N`): each one lived through the portal's own
//! transition plans ([`lifecycle::plan`]) — submitted, received, appraised,
//! asked for supplements, apologised for, approved, handed over, refused,
//! withdrawn or stopped — over the past year of the office calendar, with a
//! spread of on-time and late work, every channel, payments, documents,
//! ratings and the national record last delivered. Plans are pure, so the
//! histories are made in memory and written in batches of multi-row inserts,
//! one transaction per batch. The generator is seeded: the same N on the
//! same catalogue gives the same data. Files are not stored: the documents'
//! and results' rows point at nothing, so the seeded dossiers are for
//! figures, not for downloading.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use entity::dossier::{self, Channel, ResultDelivery};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, TransactionTrait,
};

use super::batch::{ROWS, Rows, catch_up_sequences, next_id, payment_row, upload_row};
use super::made_up::{FAMILY, GIVEN, MIDDLE, PLACES, Rng};
use crate::audit::Actor;
use crate::catalogue::view::{self, ProcedureView};
use crate::config::Settings;
use crate::dossier::lifecycle::{self, Appointment, Asked, Event, Pause, PauseChange, Step, Submission};
use crate::dossier::national_record::{self, DocumentFact, Facts};
use crate::dossier::status::{DossierStatus, DueState};
use crate::error::AppError;
use crate::sla::{calendar::Calendar, local_time, steps};
use crate::workflow::model::Workflow;
use crate::workflow_registry::Registry;

/// The workflow every seeded dossier runs on.
pub const WORKFLOW: &str = "mot-cua-3-buoc";
/// Dossiers per transaction.
const BATCH: usize = 500;

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub dossiers: usize,
    pub events: usize,
}

/// One procedure the seeded dossiers may be under.
struct Proc {
    view: ProcedureView,
    facts: Facts,
    fee_vnd: i64,
}

/// The shared context of a run.
struct Run<'a> {
    settings: &'a Settings,
    /// The settings' time rules: seeded dossiers lived under them.
    time: crate::sla::rules::TimeRules,
    cal: Calendar,
    wf: &'a Workflow,
    workflow_version_id: i64,
    now: DateTime<Utc>,
    applicants: Vec<i32>,
    next_dossier: i64,
    next_upload: i64,
    next_rating: i32,
    sequences: HashMap<(String, String), i32>,
    seeded: Seeded,
}

/// One dossier's life as it is being lived.
struct Life<'r, 'a> {
    run: &'r mut Run<'a>,
    rows: &'r mut Rows,
    d: dossier::Model,
    facts: Facts,
    /// The last national record of the dossier, as the last change froze it.
    last_record: Option<(i32, serde_json::Value)>,
}

fn officer(role: &str, label: &str) -> Actor {
    Actor { id: None, label: format!("{label} (dữ liệu mẫu)"), ip: String::new(), role: Some(role.to_owned()) }
}

impl Life<'_, '_> {
    /// Applies `event` at `at` through the portal's plan; false (and nothing
    /// changed) when `at` has not come yet or the lifecycle refuses it.
    fn apply(&mut self, event: Event, actor: &Actor, at: DateTime<Utc>) -> bool {
        // People act in office hours: a moment outside them waits for the next working one.
        let at = local_time::to_utc(self.run.cal.add_working_minutes(local_time::to_local(at), 0));
        if at > self.run.now {
            return false;
        }
        let Ok(plan) = lifecycle::plan(&self.d, event, actor, &self.facts, at) else { return false };
        self.rows.events.push(lifecycle::entry_row(self.d.id, &plan.entry, actor, at));
        if let Some(change) = &plan.round {
            lifecycle::apply_round(&mut self.facts.rounds, self.d.id, change, actor, at);
        }
        match plan.pause {
            Some(PauseChange::Start(reason)) => self.rows.pauses.push(entity::dossier_pause::ActiveModel {
                dossier_id: Set(self.d.id),
                reason: Set(reason),
                started_at: Set(at),
                ended_at: Set(None),
                ..Default::default()
            }),
            Some(PauseChange::End) => {
                if let Some(open) = self
                    .rows
                    .pauses
                    .iter_mut()
                    .rev()
                    .find(|p| p.dossier_id.as_ref() == &self.d.id && p.ended_at.as_ref().is_none())
                {
                    open.ended_at = Set(Some(at));
                }
            }
            None => {}
        }
        if let Some(message) = plan.sync.iter().find(|m| m.service == national_record::DOSSIER_SERVICE) {
            self.last_record = Some((plan.entry.seq, message.payload.clone()));
        }
        self.d = plan.after;
        self.run.seeded.events += 1;
        true
    }

    fn step(&mut self, action: &str, at: DateTime<Utc>, extra: impl FnOnce(&mut Step)) -> bool {
        let Some(a) = self.run.wf.action(action) else { return false };
        let (Some(from), Some(to)) = (self.d.workflow_state.clone(), self.run.wf.states.get(a.to)) else {
            return false;
        };
        let mut step = Step {
            action: action.to_owned(),
            from_state: from,
            to_state: to.key.clone(),
            to: to.status,
            due_at: self.d.due_at,
            due_soon_at: self.d.due_soon_at,
            restarted: false,
            pause: Pause::Keep,
            step_due_at: None,
            assignee: None,
            ends: to.outcome.is_some(),
            partner_agency_id: None,
            result_upload_id: None,
            asked: None,
            note: String::new(),
        };
        extra(&mut step);
        let role = a.roles.first().map_or("reception", |r| r.as_str()).to_owned();
        let actor = if role == "applicant" {
            Actor { id: self.d.applicant_id, label: self.d.applicant_name.clone(), ip: String::new(), role: None }
        } else {
            officer(&role, "Cán bộ")
        };
        self.apply(Event::Step(Box::new(step)), &actor, at)
    }
}

/// Adds `n` dossiers, reporting `(done, n)` after each batch.
pub async fn generate(
    db: &DatabaseConnection,
    settings: &Settings,
    registry: &Registry,
    n: usize,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Seeded, AppError> {
    let (workflow_version_id, wf) = registry
        .get(WORKFLOW)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the workflow {WORKFLOW} is not loaded")))?;
    let ids: Vec<i32> = entity::procedure::Entity::find()
        .select_only()
        .column(entity::procedure::Column::Id)
        .filter(entity::procedure::Column::Status.eq("published"))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Err(AppError::Conflict("the catalogue has no published procedure to file dossiers under".into()));
    }
    let mut procs = Vec::new();
    for id in ids.iter().take(500) {
        let v = view::by_id(db, *id).await?;
        let mut facts = national_record::procedure_facts(&v);
        facts.step_labels = wf.states.iter().map(|s| (s.key.clone(), s.label.clone())).collect();
        let fee_vnd = crate::catalogue::fees::due_for(&v.record.fees, "{}");
        procs.push(Proc { view: v, facts, fee_vnd });
    }
    let applicants = applicants(db, now).await?;
    let sequences = entity::dossier_sequence::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.agency_code, s.day), s.last))
        .collect();
    let mut run = Run {
        settings,
        time: crate::sla_rules::defaults(settings),
        cal: crate::work_calendar::load(db, &settings.office_hours).await?,
        wf,
        workflow_version_id,
        now,
        applicants,
        next_dossier: next_id(db, "dossier").await?,
        next_upload: next_id(db, "upload").await?,
        next_rating: i32::try_from(next_id(db, "rating").await?).unwrap_or(i32::MAX),
        sequences,
        seeded: Seeded::default(),
    };
    let mut rng = Rng(0x6D6F_7463_7561 ^ run.next_dossier as u64);
    let mut done = 0;
    while done < n {
        let batch = BATCH.min(n - done);
        let mut rows = Rows::default();
        let mut touched: HashMap<(String, String), i32> = HashMap::new();
        let first = run.next_dossier;
        for _ in 0..batch {
            let p = rng.pick(&procs);
            let key = one_dossier(&mut run, &mut rows, &mut rng, p);
            touched.insert(key.clone(), run.sequences[&key]);
        }
        let txn = db.begin().await?;
        rows.write(&txn).await?;
        crate::dossier::facts::recompute(&txn, first, run.next_dossier - 1).await?;
        let sequence_rows: Vec<entity::dossier_sequence::ActiveModel> = touched
            .into_iter()
            .map(|((agency_code, day), last)| entity::dossier_sequence::ActiveModel {
                agency_code: Set(agency_code),
                day: Set(day),
                last: Set(last),
            })
            .collect();
        for chunk in sequence_rows.chunks(ROWS) {
            entity::dossier_sequence::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        entity::dossier_sequence::Column::AgencyCode,
                        entity::dossier_sequence::Column::Day,
                    ])
                    .update_column(entity::dossier_sequence::Column::Last)
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        done += batch;
        // The batch's facts are read through indexes of tables that grow by the batch: on
        // PostgreSQL the planner needs to know they grew, or it scans them whole for each row.
        let batches = done / BATCH;
        if db.get_database_backend() == sea_orm::DbBackend::Postgres
            && (batches.is_power_of_two() || batches.is_multiple_of(100))
        {
            db.execute_unprepared("ANALYZE dossier, outbox, payment, dossier_document, dossier_pause, rating").await?;
        }
        run.seeded.dossiers = done;
        progress(done, n);
    }
    catch_up_sequences(db).await?;
    Ok(run.seeded)
}

/// A few hundred made-up citizens to file the online dossiers, made once.
async fn applicants(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<i32>, AppError> {
    let subject = |i: usize| format!("seed-citizen-{i:03}");
    let mut rng = Rng(7);
    let fresh: Vec<entity::account::ActiveModel> = (0..200)
        .map(|i| entity::account::ActiveModel {
            kind: Set("citizen".into()),
            sso_subject: Set(Some(subject(i))),
            account_type: Set(Some(1)),
            citizen_id: Set(Some(format!("0{:011}", rng.below(100_000_000_000)))),
            full_name: Set(format!("{} {} {}", rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN))),
            vneid_verified: Set(rng.chance(0.8)),
            active: Set(true),
            session_epoch: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in fresh.chunks(ROWS) {
        entity::account::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::column(entity::account::Column::SsoSubject).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(entity::account::Entity::find()
        .select_only()
        .column(entity::account::Column::Id)
        .filter(entity::account::Column::SsoSubject.like("seed-citizen-%"))
        .into_tuple()
        .all(db)
        .await?)
}

/// A moment during office hours `days_ago` working days... roughly: that
/// calendar day at 8:00–16:30 local time, moved to the next working moment.
fn office_moment(cal: &Calendar, rng: &mut Rng, now: DateTime<Utc>, days_ago: i64) -> DateTime<Utc> {
    let day = local_time::to_local(now).date() - Duration::days(days_ago);
    let minutes = rng.below(510) as i64;
    let local = day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)) + Duration::minutes(minutes);
    local_time::to_utc(cal.add_working_minutes(local, 0))
}

/// Lives one dossier of procedure `p`; returns its code's (agency, day) key.
fn one_dossier(run: &mut Run<'_>, rows: &mut Rows, rng: &mut Rng, p: &Proc) -> (String, String) {
    let now = run.now;
    let channel = match rng.below(100) {
        0..55 => Channel::Online,
        55..85 => Channel::Counter,
        85..90 => Channel::Post,
        _ => Channel::National,
    };
    // Never today: today's codes are the portal's to give.
    let days_ago = 1 + rng.below(365) as i64;
    let submitted = office_moment(&run.cal, rng, now, days_ago);
    let day = local_time::to_local(submitted).date();
    let key = (p.view.record.agency_code.clone(), day.format("%Y-%m-%d").to_string());
    let sequence = run.sequences.entry(key.clone()).or_insert(0);
    *sequence += 1;
    let code = crate::dossier::code::DossierCode::new(&p.view.record.agency_code, day, *sequence as u32);
    let id = run.next_dossier;
    run.next_dossier += 1;
    let applicant = *rng.pick(&run.applicants);
    let name = format!("{} {} {}", rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN));
    let online = channel.is_online();
    let draft = dossier::Model {
        id,
        public_id: format!("seed{:016x}{:012x}", rng.next(), id),
        code: None,
        procedure_id: p.view.id,
        procedure_version: 1,
        agency_id: p.view.agency_id,
        applicant_id: online.then_some(applicant),
        created_by: applicant,
        channel,
        status: DossierStatus::Draft,
        resume_status: None,
        form_data: "{}".into(),
        applicant_name: name.clone(),
        applicant_id_number: format!("0{:011}", rng.below(100_000_000_000)),
        applicant_address: String::new(),
        applicant_phone: format!("09{:08}", rng.below(100_000_000)),
        applicant_email: String::new(),
        idempotency_key: None,
        request_hash: None,
        supplement_request: None,
        submitted_at: None,
        received_at: None,
        due_at: None,
        closed_at: None,
        workflow_version_id: None,
        workflow_state: None,
        assignee_id: None,
        step_started_at: None,
        step_due_at: None,
        paused_at: None,
        due_state: DueState::OnTime,
        due_soon_at: None,
        result_upload_id: None,
        accept_due_at: None,
        accept_late: false,
        supplement_count: 0,
        supplement_due_at: None,
        rescheduled_from: None,
        apology_at: None,
        apology_late: false,
        partner_agency_id: None,
        first_due_at: None,
        late_at: None,
        finished_at: None,
        vneid_verified: online && rng.chance(0.8),
        step_late: false,
        result_delivery: if online { ResultDelivery::Electronic } else { ResultDelivery::Counter },
        // Set from the rows written with it, once the batch is in (`dossier::facts::recompute`).
        synced_at: None,
        paid_online: false,
        documents: 0,
        reused_documents: 0,
        rating_dislike: None,
        rating_answers: None,
        supplement_seconds: 0,
        sla_rules: None,
        event_seq: 0,
        version: 1,
        created_at: submitted,
        updated_at: submitted,
    };
    let mut facts = p.facts.clone();
    // The documents filed with it: most dossiers have them, some reused from the store.
    if rng.chance(0.92) {
        let upload = run.next_upload;
        run.next_upload += 1;
        rows.uploads.push(upload_row(upload, applicant, &format!("seed/{id}/don.pdf"), submitted));
        let reused = rng.chance(0.15);
        let origin =
            if reused { entity::dossier_document::Origin::Reused } else { entity::dossier_document::Origin::Uploaded };
        rows.documents.push(entity::dossier_document::ActiveModel {
            dossier_id: Set(id),
            slot: Set(Some(1)),
            name: Set("Đơn đề nghị".into()),
            required: Set(true),
            upload_id: Set(upload),
            round: Set(0),
            added_at: Set(submitted),
            origin: Set(origin),
            ..Default::default()
        });
        facts.documents.push(DocumentFact {
            id: upload.to_string(),
            name: "Đơn đề nghị".into(),
            file_name: "don.pdf".into(),
            slot: Some(1),
            origin,
            url: format!("{}/ho-so/{}/tep/{upload}", run.settings.public_url, draft.public_id),
            round: 0,
        });
    }
    // The fee, paid with the dossier: online through the gateway mostly, at the desk otherwise.
    if p.fee_vnd > 0 && rng.chance(0.97) {
        let gateway = online && rng.chance(0.85);
        rows.payments.push(payment_row(id, p.fee_vnd, gateway, submitted + Duration::minutes(5)));
        facts.paid_online = gateway;
        facts.fees_paid = true;
    }
    let mut life = Life { run, rows, d: draft, facts, last_record: None };
    live(&mut life, rng, p, code.to_string(), submitted);
    let Life { run, rows, d, last_record, facts } = life;
    rows.rounds.extend(
        facts.rounds.into_iter().map(|r| entity::supplement_round::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            ..r.into_active_model()
        }),
    );
    // The national portal has the last record of nearly every dossier.
    if let Some((seq, record)) = last_record
        && rng.chance(0.97)
    {
        let payload = serde_json::json!({"service": national_record::DOSSIER_SERVICE, "seq": seq, "data": [record]});
        let at = d.updated_at + Duration::minutes(1);
        let mut row = crate::outbox::pending(national_record::TOPIC, d.code.clone(), payload.to_string(), at);
        row.status = Set(entity::outbox::OutboxStatus::Done);
        row.attempts = Set(1);
        row.delivered_at = Set(Some(at));
        rows.outbox.push(row);
    }
    rate(run, rows, rng, &d);
    rows.dossiers.push(d.into_active_model());
    key
}

/// The dossier's path through the three-step workflow, each change at its moment.
fn live(life: &mut Life<'_, '_>, rng: &mut Rng, p: &Proc, code: String, submitted: DateTime<Utc>) {
    let (cal, time) = (&life.run.cal, &life.run.time);
    let submission = Submission {
        code,
        form_data: "{}".into(),
        address: rng.pick(PLACES).to_string(),
        workflow_version_id: Some(life.run.workflow_version_id),
        workflow_state: Some(life.run.wf.states[life.run.wf.initial].key.clone()),
        accept_due_at: crate::dossier::policy::accept_due(cal, time, submitted),
        vneid_verified: life.d.vneid_verified,
        procedure_version: 1,
        result_delivery: life.d.result_delivery,
        time_rules: serde_json::to_string(time).unwrap_or_default(),
    };
    let applicant =
        Actor { id: life.d.applicant_id, label: life.d.applicant_name.clone(), ip: String::new(), role: None };
    let reception = officer("reception", "Cán bộ tiếp nhận");
    if !life.apply(Event::Submit(submission), &applicant, submitted) {
        return;
    }
    // A few are refused or withdrawn before reception.
    let fate = rng.below(1000);
    if fate < 30 {
        let at = submitted + Duration::hours(2);
        life.apply(Event::Refuse { reason: "Hồ sơ không thuộc thẩm quyền giải quyết".into() }, &reception, at);
        return;
    }
    let received =
        if life.d.channel.is_online() { submitted + Duration::minutes(30 + rng.below(300) as i64) } else { submitted };
    let cal = &life.run.cal;
    let due = crate::dossier::receive::appointment(cal, &p.view, received);
    let soon = crate::dossier::receive::due_soon(cal, &p.view, received, life.run.time.due_soon_share);
    let receive = Event::Receive {
        appointment: Appointment { due_at: due, due_soon_at: soon },
        first_step_due: None,
        note: String::new(),
    };
    if !life.apply(receive, &reception, received) {
        return;
    }
    let span = (due - received).num_seconds().max(3600) as f64;
    let at = |share: f64| received + Duration::seconds((span * share) as i64);
    if fate < 50 {
        life.apply(Event::Withdraw { reason: "Người nộp rút hồ sơ".into() }, &applicant, at(0.1));
        return;
    }
    // How long it takes: most within the limit, some late, a few very late.
    let end = match rng.below(100) {
        0..80 => rng.between(0.3, 0.97),
        80..95 => rng.between(1.02, 1.4),
        _ => rng.between(1.4, 2.2),
    };
    if !life.step("chuyen_tham_dinh", at(0.05 * end), |_| {}) {
        return;
    }
    // Supplements during appraisal: one for some, two for a few (which makes them late).
    let rounds = match rng.below(100) {
        0..12 => 1,
        12..15 => 2,
        _ => 0,
    };
    let mut shift = Duration::zero();
    for round in 0..rounds {
        let asked_at = at((0.2 + 0.1 * f64::from(round)) * end) + shift;
        let asked = Asked {
            what: "Bản sao giấy tờ còn thiếu theo quy định".into(),
            closes_at: crate::dossier::policy::supplement_due(&life.run.cal, &life.run.time, asked_at),
        };
        if !life.step("yeu_cau_bo_sung", asked_at, |s| {
            s.pause = Pause::Start;
            s.asked = Some(asked);
            s.note = "Đề nghị bổ sung giấy tờ".into();
        }) {
            return;
        }
        let answered = asked_at + Duration::hours(4 + rng.below(24 * 8) as i64);
        if rng.chance(0.03) {
            // Never answered: the dossier stops when the supplement window closes.
            let closes = life.d.supplement_due_at.unwrap_or(answered);
            let end_state = Some("dung_xu_ly".to_owned());
            let system = Actor::system("hết hạn bổ sung");
            life.apply(Event::SupplementTimeout { note: "Quá hạn bổ sung hồ sơ".into(), end_state }, &system, closes);
            return;
        }
        let paused = life.d.paused_at.unwrap_or(asked_at);
        let moved = life.d.due_at.map(|due| {
            local_time::to_utc(steps::after_pause(
                &life.run.cal,
                local_time::to_local(due),
                local_time::to_local(paused),
                local_time::to_local(answered),
            ))
        });
        shift += answered - paused;
        if !life.step("nop_bo_sung", answered, |s| {
            s.pause = Pause::End;
            s.due_at = moved;
        }) {
            return;
        }
    }
    // A leader who sees the date slip apologises for some (form 04): the date moves, the dossier stays late.
    if end > 1.0
        && rng.chance(0.4)
        && let Some(due) = life.d.due_at
    {
        let new_due = due + Duration::days(5);
        let leader = officer("leader", "Lãnh đạo");
        life.apply(
            Event::Apology { new_due, late: false, note: "Xin lỗi vì chậm trả kết quả".into() },
            &leader,
            at(0.9) + shift,
        );
    }
    if fate < 70 {
        life.step("dung_giai_quyet", at(0.6 * end) + shift, |s| s.note = "Dừng giải quyết theo đề nghị".into());
        return;
    }
    if !life.step("trinh_phe_duyet", at(0.7 * end) + shift, |_| {}) {
        return;
    }
    // The result: electronic for online dossiers and half of the others.
    let finish = at(end) + shift;
    let electronic = life.d.channel.is_online() || rng.chance(0.5);
    let result = electronic.then(|| {
        let upload = life.run.next_upload;
        life.run.next_upload += 1;
        life.rows.uploads.push(upload_row(
            upload,
            life.d.created_by,
            &format!("seed/{}/ket-qua.pdf", life.d.id),
            finish,
        ));
        upload
    });
    if !life.step("phe_duyet_ket_qua", finish, |s| s.result_upload_id = result) {
        return;
    }
    let handed = finish + Duration::hours(2 + rng.below(72) as i64);
    if rng.chance(0.9) {
        life.step("xac_nhan_tra_ket_qua", handed, |_| {});
    }
}

/// About a third of the finished dossiers are rated, mostly well.
fn rate(run: &mut Run<'_>, rows: &mut Rows, rng: &mut Rng, d: &dossier::Model) {
    let Some(finished) = d.finished_at else { return };
    if !crate::rating::is_finished(d) || !rng.chance(0.35) {
        return;
    }
    let at = finished + Duration::hours(6);
    if at > run.now {
        return;
    }
    let id = run.next_rating;
    run.next_rating += 1;
    let late = d.due_at.is_some_and(|due| finished > due);
    let mut dislike = false;
    for c in &run.settings.ratings.criteria {
        let roll = rng.below(100);
        let level = match (late, roll) {
            (false, 0..60) | (true, 0..25) => crate::rating::Level::VerySatisfied,
            (false, 60..99) | (true, 25..90) => crate::rating::Level::Satisfied,
            _ => crate::rating::Level::Dissatisfied,
        };
        dislike |= level == crate::rating::Level::Dissatisfied;
        rows.answers.push(entity::rating_answer::ActiveModel {
            rating_id: Set(id),
            criterion: Set(c.key.clone()),
            level: Set(level.as_str().into()),
            ..Default::default()
        });
    }
    let edit_days = run.settings.ratings.edit_days;
    rows.ratings.push(entity::rating::ActiveModel {
        id: Set(id),
        dossier_id: Set(d.id),
        procedure_id: Set(d.procedure_id),
        agency_id: Set(d.agency_id),
        via: Set(if d.applicant_id.is_some() { "account" } else { "link" }.into()),
        comment: Set(String::new()),
        dislike: Set(dislike),
        created_at: Set(at),
        updated_at: Set(at),
        editable_until: Set(at + Duration::days(edit_days)),
        version: Set(1),
    });
}
