//! The QĐ 766 index over a data set built for it: every rule has a dossier
//! that exercises it, and the test works the right answers out from the
//! set's own description, not from the portal's SQL.

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::Value;

use crate::builders::{Built, DossierBuilder, ProcedureBuilder};
use crate::helpers::TestApp;

/// One dossier of the set, as the test describes it.
#[derive(Clone)]
pub struct Spec {
    pub fee: bool,
    pub child: bool,
    pub channel: &'static str,
    pub status: &'static str,
    /// Days into November 2026 (local noon) it was received; negative: before the period.
    pub received: i64,
    /// Days after reception of the appointment, of its end, of the date before an apology.
    pub due: i64,
    pub finished: Option<i64>,
    pub apology_from: Option<i64>,
    pub supplements: i32,
    pub pause_days: i64,
    pub e_result: bool,
    pub documents: bool,
    pub reused: bool,
    pub paid_online: bool,
    pub synced: bool,
    pub disliked: bool,
    /// The rating's answers, one level per criterion, if it was rated (a dislike rates it too).
    pub answers: &'static [&'static str],
}

pub const BASE: Spec = Spec {
    fee: false,
    child: false,
    channel: "online",
    status: "returned",
    received: 3,
    due: 10,
    finished: Some(6),
    apology_from: None,
    supplements: 0,
    pause_days: 0,
    e_result: true,
    documents: true,
    reused: false,
    paid_online: false,
    synced: true,
    disliked: false,
    answers: &[],
};

fn set() -> Vec<Spec> {
    vec![
        // Early, online, synced, with an electronic result.
        BASE.clone(),
        // Late.
        Spec { finished: Some(12), ..BASE.clone() },
        // Late, with an apology that moved the date: still late.
        Spec { due: 15, apology_from: Some(8), finished: Some(12), ..BASE.clone() },
        // On time by the date, but asked twice for a supplement: late.
        Spec { supplements: 2, pause_days: 2, ..BASE.clone() },
        // One supplement, its pause taken out of the time.
        Spec { supplements: 1, pause_days: 3, finished: Some(9), ..BASE.clone() },
        // At the counter, paper result, fee paid at the desk, digitised papers.
        Spec { channel: "counter", fee: true, e_result: false, ..BASE.clone() },
        // Online, fee paid online, a reused document.
        Spec { fee: true, paid_online: true, reused: true, ..BASE.clone() },
        // Still open, not yet due at the period's end: on time.
        Spec { status: "in_progress", finished: None, due: 60, ..BASE.clone() },
        // Still open and past its appointment at the period's end: late.
        Spec { status: "in_progress", received: 1, due: 5, finished: None, ..BASE.clone() },
        // Refused after reception, on time; not synced; no documents.
        Spec { status: "refused", synced: false, documents: false, e_result: false, ..BASE.clone() },
        // Rated with a dislike.
        Spec { disliked: true, child: true, ..BASE.clone() },
        // Forwarded by the national portal, in the child agency.
        Spec { channel: "national", child: true, ..BASE.clone() },
        // Received before the period: not counted.
        Spec { received: -5, ..BASE.clone() },
    ]
}

pub fn at(day: i64) -> DateTime<Utc> {
    // Noon in Hà Nội on 1 November 2026, plus `day` days.
    Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap() + Duration::days(day)
}

/// The index's counts worked out from the specs, by the rules as REGULATIONS §5.2 words them.
fn expected(specs: &[Spec], child_only: bool) -> Value {
    let period_end = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap(); // 1 December, 00:00 in Hà Nội
    let inside: Vec<&Spec> =
        specs.iter().filter(|s| s.received >= 0 && s.received < 30 && (!child_only || s.child)).collect();
    let n = |f: &dyn Fn(&Spec) -> bool| inside.iter().filter(|s| f(s)).count() as i64;
    let received = inside.len() as i64;
    let on_time = n(&|s| {
        let due = at(s.received + s.apology_from.unwrap_or(s.due));
        s.supplements <= 1
            && match s.finished {
                Some(f) => at(s.received + f) <= due,
                None => due >= period_end,
            }
    });
    let resolved: Vec<&&Spec> = inside.iter().filter(|s| matches!(s.status, "returned" | "result_ready")).collect();
    // 2.2 reads the results ready in the period, whenever the dossier was received.
    let ready: Vec<&Spec> = specs
        .iter()
        .filter(|s| matches!(s.status, "returned" | "result_ready") && (!child_only || s.child))
        .filter(|s| s.finished.is_some_and(|f| (0..30).contains(&(s.received + f))))
        .collect();
    let days: f64 = ready.iter().map(|s| (s.finished.unwrap() - s.pause_days) as f64).sum();
    serde_json::json!({
        "received": received,
        "synced": n(&|s| s.synced),
        "on_time": on_time,
        "online_synced": n(&|s| matches!(s.channel, "online" | "national") && s.synced),
        "with_fee": n(&|s| s.fee),
        "paid_online": n(&|s| s.fee && s.paid_online),
        "with_result": resolved.len(),
        "e_result": resolved.iter().filter(|s| s.e_result).count(),
        "digitised": n(&|s| s.documents && (!matches!(s.status, "returned" | "result_ready") || s.e_result)),
        "reused": n(&|s| s.reused),
        "disliked": n(&|s| s.disliked),
        "resolved_days": days,
        "ready": ready.len(),
    })
}

pub async fn insert(app: &TestApp, spec: &Spec, p: &Built, n: usize, national: bool) {
    let d = DossierBuilder::in_step(p, "tham_dinh", spec.status).insert(app, n).await;
    let received = at(spec.received);
    let mut m: entity::dossier::ActiveModel = d.clone().into();
    m.channel = Set(motcua::dossier::Channel::parse(spec.channel).unwrap());
    m.submitted_at = Set(Some(received - Duration::hours(2)));
    m.received_at = Set(Some(received));
    m.due_at = Set(Some(at(spec.received + spec.due)));
    m.rescheduled_from = Set(spec.apology_from.map(|a| at(spec.received + a)));
    m.finished_at = Set(spec.finished.map(|f| at(spec.received + f)));
    m.supplement_count = Set(spec.supplements);
    // The first appointment, and the apology that moved it the day before (form 04).
    let first_due = at(spec.received + spec.apology_from.unwrap_or(spec.due));
    m.first_due_at = Set(Some(first_due));
    m.apology_at = Set(spec.apology_from.map(|_| first_due - Duration::days(1)));
    m.update(&app.db).await.unwrap();
    // The supplement rounds: the first one waited `pause_days`, any later one was answered at once.
    for round in 1..=spec.supplements {
        let asked = received + Duration::days(1);
        let answered = if round == 1 { asked + Duration::days(spec.pause_days) } else { asked };
        entity::supplement_round::ActiveModel {
            dossier_id: Set(d.id),
            round: Set(round),
            stage: Set(entity::supplement_round::Stage::Processing),
            requested_at: Set(asked),
            requested_by: Set("Chuyên viên".into()),
            content: Set("Bổ sung giấy tờ".into()),
            answered_at: Set(Some(answered)),
            received_by: Set(None),
            answer_note: Set(None),
            status: Set(entity::supplement_round::RoundStatus::Answered),
            due_before: Set(None),
            due_after: Set(Some(at(spec.received + spec.due))),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    if spec.pause_days > 0 {
        entity::dossier_pause::ActiveModel {
            dossier_id: Set(d.id),
            reason: Set(entity::dossier_pause::Reason::Supplement),
            started_at: Set(received + Duration::days(1)),
            ended_at: Set(Some(received + Duration::days(1 + spec.pause_days))),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let upload = |key: String| entity::upload::ActiveModel {
        public_id: Set(key.clone()),
        owner_id: Set(d.created_by),
        storage_key: Set(key),
        file_name: Set("tep.pdf".into()),
        kind: Set("application/pdf".into()),
        size_bytes: Set(1000),
        sha256: Set("0".repeat(64)),
        created_at: Set(received),
        ..Default::default()
    };
    if spec.documents {
        let file = upload(format!("stat-doc-{n}")).insert(&app.db).await.unwrap();
        entity::dossier_document::ActiveModel {
            dossier_id: Set(d.id),
            slot: Set(Some(1)),
            name: Set("Đơn đề nghị".into()),
            required: Set(true),
            upload_id: Set(file.id),
            round: Set(0),
            added_at: Set(received),
            origin: Set(if spec.reused {
                entity::dossier_document::Origin::Reused
            } else {
                entity::dossier_document::Origin::Uploaded
            }),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    if spec.e_result && matches!(spec.status, "returned" | "result_ready") {
        let file = upload(format!("stat-result-{n}")).insert(&app.db).await.unwrap();
        let mut m: entity::dossier::ActiveModel =
            entity::dossier::Entity::find_by_id(d.id).one(&app.db).await.unwrap().unwrap().into();
        m.result_upload_id = Set(Some(file.id));
        m.update(&app.db).await.unwrap();
    }
    if spec.paid_online {
        entity::payment::ActiveModel {
            dossier_id: Set(d.id),
            txn_ref: Set(format!("STAT{n:04}")),
            amount_vnd: Set(50_000),
            status: Set(entity::payment::PaymentStatus::Paid),
            order_info: Set("Thanh toan".into()),
            created_at: Set(received),
            expires_at: Set(received + Duration::minutes(15)),
            refund_status: Set(entity::payment::RefundStatus::None),
            refunded_vnd: Set(0),
            overpaid_vnd: Set(0),
            created_by: Set(None),
            method: Set(entity::payment::PaymentMethod::Gateway),
            version: Set(0),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    if spec.synced && !national {
        let mut row = motcua::outbox::pending("national_sync", d.code.clone(), "{}".into(), received);
        row.status = Set(entity::outbox::OutboxStatus::Done);
        row.delivered_at = Set(Some(received));
        row.insert(&app.db).await.unwrap();
    }
    if national {
        national_records(app, d.id, spec.disliked).await;
    } else if spec.disliked || !spec.answers.is_empty() {
        let r = entity::rating::ActiveModel {
            dossier_id: Set(d.id),
            procedure_id: Set(p.procedure_id),
            agency_id: Set(p.agency_id),
            via: Set("account".into()),
            comment: Set(String::new()),
            dislike: Set(spec.disliked || spec.answers.contains(&"khong_hai_long")),
            created_at: Set(received),
            updated_at: Set(received),
            editable_until: Set(received),
            version: Set(1),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        for (criterion, level) in ["overall", "online", "on_time", "attitude", "contacts"].iter().zip(spec.answers) {
            entity::rating_answer::ActiveModel {
                rating_id: Set(r.id),
                criterion: Set((*criterion).into()),
                level: Set((*level).into()),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
    }
    // The rows above were written as a bulk import writes them: the dossier's facts follow from them.
    motcua::dossier::facts::recompute(&app.db, d.id, d.id).await.unwrap();
}

/// The portal's own national records of dossier `id` as it stands, and of its rating, queued for the sync.
async fn national_records(app: &TestApp, id: i64, disliked: bool) {
    use sea_orm::TransactionTrait;
    let d = entity::dossier::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let at = d.received_at.unwrap();
    entity::dossier_event::ActiveModel {
        dossier_id: Set(d.id),
        seq: Set(1),
        kind: Set(entity::dossier_event::Kind::Receive),
        at: Set(at),
        actor_id: Set(None),
        actor_label: Set("Hệ thống: kiểm thử".into()),
        actor_role: Set(None),
        action: Set("receive".into()),
        step_action: Set(None),
        from_status: Set(None),
        to_status: Set(d.status.as_str().into()),
        from_state: Set(None),
        to_state: Set(None),
        note: Set(String::new()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut m: entity::dossier::ActiveModel = d.clone().into();
    m.event_seq = Set(1);
    let d = m.update(&app.db).await.unwrap();
    let txn = app.db.begin().await.unwrap();
    motcua::dossier::lifecycle::sync_now(&txn, &d, 1, &app.state.settings.public_url, at).await.unwrap();
    if disliked {
        let r = entity::rating::ActiveModel {
            dossier_id: Set(d.id),
            procedure_id: Set(d.procedure_id),
            agency_id: Set(d.agency_id),
            via: Set("account".into()),
            comment: Set(String::new()),
            dislike: Set(true),
            created_at: Set(at),
            updated_at: Set(at),
            editable_until: Set(at),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .unwrap();
        let answers = [("overall".to_owned(), motcua::rating::Level::Dissatisfied)];
        motcua::rating::record::enqueue(&txn, &app.state, &d, &r, &answers, at).await.unwrap();
    }
    txn.commit().await.unwrap();
}

fn indicator(body: &Value, id: &str) -> Value {
    body["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).cloned().unwrap_or(Value::Null)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn pct(a: i64, b: i64) -> f64 {
    if b == 0 { 0.0 } else { round2(a as f64 * 100.0 / b as f64) }
}

fn check(body: &Value, e: &Value) {
    let i = |k: &str| e[k].as_i64().unwrap();
    let pairs = [
        ("1.4", i("synced"), i("received")),
        ("2.1", i("on_time"), i("received")),
        ("3.3", i("online_synced"), i("received")),
        ("3.6", i("paid_online"), i("with_fee")),
        ("4.1", i("e_result"), i("with_result")),
        ("4.2", i("digitised"), i("received")),
        ("4.3", i("reused"), i("received")),
    ];
    for (id, num, den) in pairs {
        let got = indicator(body, id);
        assert_eq!((got["numerator"].as_i64(), got["denominator"].as_i64()), (Some(num), Some(den)), "{id}: {got}");
        assert_eq!(got["value"].as_f64(), Some(pct(num, den)), "{id}");
    }
    let late = 100.0 - pct(i("on_time"), i("received"));
    let satisfied = round2((100.0 - late - pct(i("disliked"), i("received"))).max(0.0));
    assert_eq!(indicator(body, "5.4")["value"].as_f64(), Some(satisfied), "5.4");
    let average = round2(e["resolved_days"].as_f64().unwrap() / i("ready") as f64);
    let got = indicator(body, "2.2")["value"].as_f64().unwrap();
    assert!((got - average).abs() < 0.02, "2.2: {got} days, expected {average}");
    let groups: f64 = body["groups"].as_array().unwrap().iter().map(|g| g["points"].as_f64().unwrap()).sum();
    assert!((body["total"].as_f64().unwrap() - round2(groups)).abs() < 1e-9);
    for g in body["groups"].as_array().unwrap() {
        assert!(g["points"].as_f64().unwrap() <= g["maximum"].as_f64().unwrap(), "{g}");
    }
}

#[tokio::test]
async fn the_766_index_of_an_agency_and_its_subtree_follows_the_national_rules() {
    let app = TestApp::spawn_empty().await;
    let parent = ProcedureBuilder::new("9.907661", "000.00.76.H99").create(&app).await;
    let parent_fee =
        ProcedureBuilder::new("9.907662", "000.00.76.H99").fee("Lệ phí", 50_000, "submission").create(&app).await;
    let child = ProcedureBuilder::new("9.907663", "000.01.76.H99").create(&app).await;
    let child_fee =
        ProcedureBuilder::new("9.907664", "000.01.76.H99").fee("Lệ phí", 50_000, "submission").create(&app).await;
    let mut agency: entity::agency::ActiveModel =
        entity::agency::Entity::find_by_id(child.agency_id).one(&app.db).await.unwrap().unwrap().into();
    agency.parent_id = Set(Some(parent.agency_id));
    agency.update(&app.db).await.unwrap();
    let specs = set();
    for (n, spec) in specs.iter().enumerate() {
        let p = match (spec.child, spec.fee) {
            (false, false) => &parent,
            (false, true) => &parent_fee,
            (true, false) => &child,
            (true, true) => &child_fee,
        };
        insert(&app, spec, p, n + 1, false).await;
    }
    let get = |query: &str| {
        let url = app.url(&format!("/api/v1/statistics/766?{query}"));
        async move { reqwest::get(url).await.unwrap() }
    };
    let res = get("agency=000.00.76.H99&from=2026-11-01&to=2026-11-30").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    check(&body, &expected(&specs, false));
    assert_eq!(indicator(&body, "2.1")["numerator"], 8, "four of the twelve are late: {body}");
    // The child agency alone.
    let body: Value = get("agency=000.01.76.H99&from=2026-11-01&to=2026-11-30").await.json().await.unwrap();
    check(&body, &expected(&specs, true));
    assert_eq!(indicator(&body, "1.4")["denominator"], 2);
    // 3.2: of the four online services, those with an online dossier submitted in the period
    // (the child's fee-paying procedure had none).
    let body: Value = get("agency=000.00.76.H99&from=2026-11-01&to=2026-11-30").await.json().await.unwrap();
    let services = indicator(&body, "3.2");
    assert_eq!((services["numerator"].as_i64(), services["denominator"].as_i64()), (Some(3), Some(4)));
    // Bad questions: a clear error.
    for bad in ["agency=khong-co", "from=2026-12-01&to=2026-11-01", "from=1/11/2026"] {
        assert_eq!(get(bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // An empty period: zeros, not errors.
    let body: Value = get("agency=000.00.76.H99&from=2025-01-01&to=2025-01-31").await.json().await.unwrap();
    assert_eq!(indicator(&body, "2.1")["denominator"], 0);
    assert_eq!(body["total"].as_f64(), Some(0.0));
}

#[tokio::test]
async fn the_mock_national_portal_computes_the_same_index_from_what_it_was_sent() {
    let app = TestApp::spawn_with_sso().await;
    let agency = "000.00.77.H99";
    let free = ProcedureBuilder::new("9.907771", agency).create(&app).await;
    let paying = ProcedureBuilder::new("9.907772", agency).fee("Lệ phí", 50_000, "submission").create(&app).await;
    let mock = crate::national_sync::mock_of(&app);
    let national: Vec<Value> = ["9.907771", "9.907772"]
        .iter()
        .map(|code| serde_json::json!({"MaTTHC": code, "TenTTHC": format!("Thủ tục thử nghiệm {code}")}))
        .collect();
    let res =
        reqwest::Client::new().post(format!("{mock}/_test/national/procedures")).json(&national).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // A few hundred dossiers: every rule of the set, twenty times over, every one synced.
    let mut n = 0;
    for _ in 0..20 {
        for spec in set() {
            n += 1;
            let spec = Spec { synced: true, child: false, ..spec };
            insert(&app, &spec, if spec.fee { &paying } else { &free }, n, true).await;
        }
    }
    let report = crate::national_sync::drain(&app).await;
    assert_eq!((report.failed, report.dead), (0, 0), "{report:?}");
    let query = format!("agency={agency}&from=2026-11-01&to=2026-11-30");
    let ours: Value =
        reqwest::get(app.url(&format!("/api/v1/statistics/766?{query}"))).await.unwrap().json().await.unwrap();
    let res = reqwest::get(format!("{mock}/api/v1/statistics/766?{query}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let theirs: Value = res.json().await.unwrap();
    let compared = theirs["indicators"].as_array().unwrap();
    assert_eq!(compared.len(), 9, "every indicator but 3.2, which needs the national service figures");
    for figure in compared {
        let id = figure["id"].as_str().unwrap();
        let mine = indicator(&ours, id);
        assert_eq!(
            (mine["numerator"].as_i64(), mine["denominator"].as_i64()),
            (figure["numerator"].as_i64(), figure["denominator"].as_i64()),
            "{id}: the portal {mine}, the national portal {figure}"
        );
        assert!(
            (mine["value"].as_f64().unwrap() - figure["value"].as_f64().unwrap()).abs() < 0.011,
            "{id}: {mine} {figure}"
        );
    }
    assert_eq!(indicator(&ours, "2.1")["denominator"], 240, "twelve of each twenty inside the period");
    let (status, page) =
        crate::helpers::get_html_with(&reqwest::Client::new(), &format!("{mock}/chi-so-766?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("QĐ 766/QĐ-TTg") && page.contains("2.1"), "{page}");
}

#[tokio::test]
async fn a_leader_sees_the_dossiers_that_cost_points_soonest_due_first() {
    let app = TestApp::spawn_empty().await;
    let agency = "000.00.78.H99";
    let free = ProcedureBuilder::new("9.907781", agency).create(&app).await;
    let paying = ProcedureBuilder::new("9.907782", agency).fee("Lệ phí", 50_000, "submission").create(&app).await;
    crate::builders::official_with(&app, "ld.766", &[motcua::auth::role::Role::Leader], agency).await;
    crate::builders::official_with(&app, "cv.766", &[motcua::auth::role::Role::Specialist], agency).await;
    let open = Spec { status: "in_progress", finished: None, ..BASE.clone() };
    let specs = [
        // 1: open and past its appointment.
        Spec { due: 8, ..open.clone() },
        // 2: open, due within three working days of now.
        Spec { due: 32, ..open.clone() },
        // 3: open, due far ahead, synced, digitised: costs nothing.
        Spec { due: 60, ..open.clone() },
        // 4: a second supplement request.
        Spec { supplements: 2, due: 10, ..BASE.clone() },
        // 5: no documents.
        Spec { documents: false, e_result: false, due: 11, ..BASE.clone() },
        // 6: a fee not paid online.
        Spec { fee: true, due: 12, ..BASE.clone() },
    ];
    for (n, spec) in specs.iter().enumerate() {
        insert(&app, spec, if spec.fee { &paying } else { &free }, n + 1, false).await;
    }
    assert!(app.now() > at(30), "the test's clock is in December");
    let leader = crate::dossier_support::official(&app, "ld.766").await;
    let path = "/can-bo/chi-so-766?from=2026-11-01&to=2026-11-30&ngay=3";
    let (status, page) = crate::helpers::get_html_with(&leader, &app.url(path)).await;
    assert_eq!(status, StatusCode::OK);
    let code = |n: usize| format!("{agency}-261201-{n:04}");
    let listed: Vec<usize> = (1..=6).filter(|n| page.contains(&code(*n))).collect();
    assert_eq!(listed, [1, 2, 4, 5, 6], "all but the one that costs nothing: {page}");
    let order: Vec<usize> = {
        let mut at: Vec<(usize, usize)> = listed.iter().map(|n| (page.find(&code(*n)).unwrap(), *n)).collect();
        at.sort_unstable();
        at.into_iter().map(|(_, n)| n).collect()
    };
    assert_eq!(order, [1, 4, 5, 6, 2], "soonest due first");
    for reason in [
        "Quá hạn",
        "Sắp đến hạn",
        "Yêu cầu bổ sung lần thứ hai",
        "Chưa có thành phần hồ sơ điện tử",
        "Phí, lệ phí chưa thanh toán trực tuyến",
    ] {
        assert!(page.contains(reason), "{reason}");
    }
    assert!(page.contains("Hồ sơ giải quyết trước hạn, đúng hạn"), "the indicators, named");
    let specialist = crate::dossier_support::official(&app, "cv.766").await;
    let (status, _) = crate::helpers::get_html_with(&specialist, &app.url(path)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = crate::helpers::get_html_with(&leader, &app.url("/can-bo/chi-so-766?ngay=99")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
