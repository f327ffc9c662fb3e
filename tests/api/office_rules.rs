//! The back office's rules, on fixtures built for each test: the inbox at
//! the size of a real unit (exact counts and pages with hundreds of open
//! dossiers, each official seeing the steps their roles work), assignment by
//! the work due soonest, a fee collected at the result holding the
//! hand-over, and late steps swept and told once.

use reqwest::StatusCode;

use crate::builders::{DossierBuilder, ProcedureBuilder, official_with};
use crate::dossier_support::official;
use crate::helpers::{TestApp, get_html_with};
use motcua::auth::role::Role;

fn listed(html: &str) -> Vec<String> {
    html.split("href=\"/can-bo/ho-so/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.starts_with("fixture-"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn counts_and_pages_are_exact_with_hundreds_of_open_dossiers() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.31.H99";
    let p = ProcedureBuilder::new("9.900001", unit).create(&app).await;
    let specialist = official_with(&app, "cv.thu", &[Role::Specialist], unit).await;
    official_with(&app, "tn.thu", &[Role::Reception], unit).await;
    let mut n = 0;
    for _ in 0..230 {
        n += 1;
        DossierBuilder::in_step(&p, "tham_dinh", "in_progress").held_by(specialist).insert(&app, n).await;
    }
    for _ in 0..210 {
        n += 1;
        DossierBuilder::in_step(&p, "tham_dinh", "in_progress").insert(&app, n).await;
    }
    // Reception's step: not the specialist's work.
    for _ in 0..7 {
        n += 1;
        DossierBuilder::in_step(&p, "tiep_nhan", "received").insert(&app, n).await;
    }
    let cv = official(&app, "cv.thu").await;
    let (status, page1) = get_html_with(&cv, &app.url("/can-bo/hop-thu")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page1.contains("(230)") && page1.contains("(210)"), "exact counts on both tabs");
    let (_, page2) = get_html_with(&cv, &app.url("/can-bo/hop-thu?page=2")).await;
    let (first, second) = (listed(&page1), listed(&page2));
    assert_eq!((first.len(), second.len()), (200, 30));
    let mut all: Vec<String> = first.into_iter().chain(second).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 230, "every dossier once across the pages");
    assert!(page1.contains("rel=\"next\"") && page2.contains("rel=\"prev\""), "the pages link each other");
    let (_, pool2) = get_html_with(&cv, &app.url("/can-bo/hop-thu?tab=pool&page=2")).await;
    assert_eq!(listed(&pool2).len(), 10);
    let (status, _) = get_html_with(&cv, &app.url("/can-bo/hop-thu?page=0")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Reception sees its own step's pool only.
    let tn = official(&app, "tn.thu").await;
    let (_, reception) = get_html_with(&tn, &app.url("/can-bo/hop-thu?tab=pool")).await;
    assert_eq!(listed(&reception).len(), 7);
    assert!(reception.contains("(7)") && reception.contains("(0)"));
}

#[tokio::test]
async fn appraisal_goes_to_the_specialist_with_the_least_work_due_soon() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.32.H99";
    let p = ProcedureBuilder::new("9.900002", unit).create(&app).await;
    official_with(&app, "tn.tai", &[Role::Reception], unit).await;
    let (a, b, c) = (
        official_with(&app, "cv.a", &[Role::Specialist], unit).await,
        official_with(&app, "cv.b", &[Role::Specialist], unit).await,
        official_with(&app, "cv.c", &[Role::Specialist], unit).await,
    );
    let now = app.now();
    let mut n = 0;
    // A holds one dossier due tomorrow; B four due in a month; C two due tomorrow.
    for (who, count, due) in [(a, 1, 1), (b, 4, 30), (c, 2, 1)] {
        for _ in 0..count {
            n += 1;
            let at = now + chrono::Duration::days(due);
            DossierBuilder::in_step(&p, "tham_dinh", "in_progress").held_by(who).step_due(at).insert(&app, n).await;
        }
    }
    let fresh = DossierBuilder::in_step(&p, "tiep_nhan", "received").insert_complete(&app, 99).await;
    let tn = official(&app, "tn.tai").await;
    let res = crate::dossier_support::act(&app, &tn, &fresh.public_id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = crate::dossier_support::state_of(&app, &fresh.public_id).await;
    assert_eq!(d.assignee_id, Some(b), "B has the most dossiers but none due soon");
}

#[tokio::test]
async fn a_fee_collected_at_the_result_holds_the_hand_over_until_it_is_paid() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.33.H99";
    let p = ProcedureBuilder::new("9.900003", unit)
        .fee("Lệ phí cấp giấy chứng nhận", 50_000, "at_result")
        .fee("Phí thẩm định", 30_000, "exempt")
        .create(&app)
        .await;
    let leader = official_with(&app, "ld.thu", &[Role::Leader], unit).await;
    official_with(&app, "tn.thu3", &[Role::Reception], unit).await;
    let d = DossierBuilder::in_step(&p, "phe_duyet", "in_progress").held_by(leader).insert_complete(&app, 1).await;
    let (ld, tn) = (official(&app, "ld.thu").await, official(&app, "tn.thu3").await);
    let id = d.public_id.clone();
    use crate::dossier_support::{act, pdf, state_of};
    // The result may be issued: this fee is collected when it is handed over.
    let res = act(&app, &ld, &id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "giay chung nhan"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = act(&app, &tn, &id, "xac_nhan_tra_ket_qua", &[], None).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "not handed over while the fee is unpaid");
    assert_eq!(state_of(&app, &id).await.status.as_str(), "result_ready");
    let (_, page) = get_html_with(&tn, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(crate::helpers::decode_entities(&page).contains("50.000 đ"), "owed: the exempt fee is not");
    let res = app.post_form_with(&tn, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "BL-0042")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = act(&app, &tn, &id, "xac_nhan_tra_ket_qua", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, &id).await.status.as_str(), "returned");
}

#[tokio::test]
async fn a_late_step_is_told_to_its_holder_and_the_leader_once() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.34.H99";
    let p = ProcedureBuilder::new("9.900004", unit).create(&app).await;
    let specialist = official_with(&app, "cv.tre", &[Role::Specialist], unit).await;
    let leader = official_with(&app, "ld.tre", &[Role::Leader], unit).await;
    let bystander = official_with(&app, "tn.tre", &[Role::Reception], unit).await;
    let yesterday = app.now() - chrono::Duration::days(1);
    let late = DossierBuilder::in_step(&p, "tham_dinh", "in_progress")
        .held_by(specialist)
        .step_due(yesterday)
        .insert_complete(&app, 1)
        .await;
    let on_time = DossierBuilder::in_step(&p, "tham_dinh", "in_progress")
        .held_by(specialist)
        .step_due(app.now() + chrono::Duration::days(3))
        .insert(&app, 2)
        .await;
    let report = motcua::deadlines::sweep(&app.db, app.now()).await.unwrap();
    assert_eq!(report.late_steps, 1);
    let again = motcua::deadlines::sweep(&app.db, app.now()).await.unwrap();
    assert_eq!(again.late_steps, 0, "told once");
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let notices =
        entity::notice::Entity::find().filter(entity::notice::Column::Kind.eq("step_late")).all(&app.db).await.unwrap();
    let mut told: Vec<i32> = notices.iter().map(|n| n.account_id).collect();
    told.sort_unstable();
    assert_eq!(told, [specialist, leader], "the holder and the leader, not the bystander {bystander}");
    assert!(notices.iter().all(|n| n.dossier_id == Some(late.id) && n.text.contains("Thẩm định hồ sơ")));
    assert!(!crate::dossier_support::state_of(&app, &on_time.public_id).await.step_late);
    // The next step starts with a clean slate.
    let cv = official(&app, "cv.tre").await;
    let res = crate::dossier_support::act(&app, &cv, &late.public_id, "trinh_phe_duyet", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(!crate::dossier_support::state_of(&app, &late.public_id).await.step_late);
}

#[tokio::test]
async fn an_online_dossier_is_received_once_its_fee_is_paid_and_its_limit_runs_from_then() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.35.H99";
    let waits = ProcedureBuilder::new("9.900005", unit).fee("Lệ phí", 80_000, "submission").create(&app).await;
    official_with(&app, "tn.phi", &[Role::Reception], unit).await;
    let d = DossierBuilder::submitted(&waits).insert_complete(&app, 1).await;
    let tn = official(&app, "tn.phi").await;
    use crate::dossier_support::{reception_action, state_of};
    let res = reception_action(&app, &tn, &d.public_id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let waiting = state_of(&app, &d.public_id).await;
    assert_eq!(waiting.status.as_str(), "awaiting_payment", "complete, waiting for the fee");
    assert_eq!((waiting.received_at, waiting.due_at), (None, None), "no appointment and no clock yet");
    // Paid two days later (recorded at the counter): received then, the limit counted from then.
    app.state.clock.advance(chrono::Duration::days(2));
    let tn = official(&app, "tn.phi").await;
    let res = app.post_form_with(&tn, &format!("/can-bo/ho-so/{}/thu-phi", d.public_id), &[("receipt_no", "7")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let received = state_of(&app, &d.public_id).await;
    assert_eq!(received.status.as_str(), "received");
    let at = received.received_at.expect("received when paid");
    assert!(at >= waiting.updated_at + chrono::Duration::days(2), "received at the payment, not at the check");
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let p = motcua::catalogue::view::by_id(&app.db, waits.procedure_id).await.unwrap();
    assert_eq!(received.due_at, Some(motcua::dossier::receive::appointment(&cal, &p, at)));
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let history = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(d.id))
        .all(&app.db)
        .await
        .unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(kinds, ["await_fee", "payment_paid", "receive"]);

    // A procedure whose policy lets the limit run before the fee is received at once.
    let runs = ProcedureBuilder::new("9.900006", unit)
        .fee("Lệ phí", 80_000, "submission")
        .clock_runs_before_the_fee()
        .create(&app)
        .await;
    let other = DossierBuilder::submitted(&runs).insert_complete(&app, 2).await;
    let res = reception_action(&app, &tn, &other.public_id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at_once = state_of(&app, &other.public_id).await;
    assert_eq!(at_once.status.as_str(), "received");
    assert!(at_once.due_at.is_some());
}

#[tokio::test]
async fn no_result_is_issued_while_the_fee_taken_with_the_dossier_is_unpaid() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.36.H99";
    let p = ProcedureBuilder::new("9.900007", unit).fee("Lệ phí", 120_000, "submission").create(&app).await;
    let leader = official_with(&app, "ld.kq", &[Role::Leader], unit).await;
    official_with(&app, "tn.kq", &[Role::Reception], unit).await;
    // Taken at the counter; the officer has not recorded the fee yet.
    let d = DossierBuilder::in_step(&p, "phe_duyet", "in_progress").held_by(leader).at_counter().insert(&app, 1).await;
    let (ld, tn) = (official(&app, "ld.kq").await, official(&app, "tn.kq").await);
    use crate::dossier_support::{act, pdf, state_of};
    let res = act(&app, &ld, &d.public_id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "kq"))).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "the fee collected with the dossier comes first");
    let unchanged = state_of(&app, &d.public_id).await;
    assert_eq!((unchanged.version, unchanged.result_upload_id), (d.version, None), "nothing changed");
    let res = app.post_form_with(&tn, &format!("/can-bo/ho-so/{}/thu-phi", d.public_id), &[("receipt_no", "8")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = act(&app, &ld, &d.public_id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "kq"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, &d.public_id).await.status.as_str(), "result_ready");
}

#[tokio::test]
async fn a_dossier_keeps_the_procedure_as_it_was_when_submitted() {
    let app = TestApp::spawn_empty().await;
    let unit = "000.00.37.H99";
    let p = ProcedureBuilder::new("9.900008", unit).fee("Lệ phí", 80_000, "submission").create(&app).await;
    official_with(&app, "tn.ban", &[Role::Reception], unit).await;
    let submitted = DossierBuilder::submitted(&p).insert_complete(&app, 1).await;
    assert_eq!(submitted.procedure_version, 1);
    // The admin doubles the time limit and raises the fee.
    let mut edited = ProcedureBuilder::new("9.900008", unit).fee("Lệ phí", 200_000, "submission");
    edited.days = 20;
    edited.create(&app).await;
    let now_is = motcua::catalogue::view::by_id(&app.db, p.procedure_id).await.unwrap();
    assert_eq!((now_is.version, now_is.fee_total_vnd), (2, 200_000));
    // The dossier submitted before owes the old fee and gets the old limit.
    let tn = official(&app, "tn.ban").await;
    let (_, page) = get_html_with(&tn, &app.url(&format!("/can-bo/ho-so/{}", submitted.public_id))).await;
    let page = crate::helpers::decode_entities(&page);
    assert!(page.contains("80.000 đ") && !page.contains("200.000 đ"), "the fee as it was");
    let res = app
        .post_form_with(&tn, &format!("/can-bo/ho-so/{}/thu-phi", submitted.public_id), &[("receipt_no", "9")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let paid = motcua::payment::of_dossier(&app.db, submitted.id).await.unwrap();
    assert_eq!(paid[0].amount_vnd, 80_000);
    let res = crate::dossier_support::reception_action(&app, &tn, &submitted.public_id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let received = crate::dossier_support::state_of(&app, &submitted.public_id).await;
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let start = cal.clock_start(motcua::sla::local_time::to_local(received.received_at.unwrap()));
    let due = motcua::sla::local_time::to_local(received.due_at.unwrap());
    assert_eq!(cal.working_minutes_between(start, due), 10 * 8 * 60, "ten working days, as when it was submitted");
}

#[tokio::test]
async fn the_applicant_downloads_the_result_only_once_the_fee_at_the_result_is_paid() {
    let app =
        TestApp::spawn_with(crate::helpers::Options { press_office: false, sso: true, ..Default::default() }).await;
    let unit = "000.00.38.H99";
    let p = ProcedureBuilder::new("9.900009", unit).fee("Lệ phí cấp giấy", 40_000, "at_result").create(&app).await;
    let leader = official_with(&app, "ld.tai", &[Role::Leader], unit).await;
    official_with(&app, "tn.tai2", &[Role::Reception], unit).await;
    app.sso_sign_in("nguyen-van-an").await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let applicant = entity::account::Entity::find()
        .filter(entity::account::Column::FullName.eq("Nguyễn Văn An"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the applicant's account")
        .id;
    let d = DossierBuilder::in_step(&p, "phe_duyet", "in_progress")
        .held_by(leader)
        .of_applicant(applicant)
        .insert_complete(&app, 1)
        .await;
    let ld = official(&app, "ld.tai").await;
    use crate::dossier_support::{act, pdf};
    // Before the result is ready, the fee collected with it cannot be paid yet: the page says when.
    let (_, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{}", d.public_id))).await;
    assert!(page.contains("được thu ở bước sau") && !page.contains("/thanh-toan\""), "no payment yet: {page}");
    let res = crate::payments::start(&app, &d.public_id).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "nothing to pay yet");
    let none = entity::payment::Entity::find().filter(entity::payment::Column::DossierId.eq(d.id)).all(&app.db).await;
    assert!(none.unwrap().is_empty(), "no order was opened");
    let res = act(&app, &ld, &d.public_id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "giay"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Ready: now it may be paid online.
    let (_, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{}", d.public_id))).await;
    assert!(page.contains("/thanh-toan\""), "the pay button: {page}");
    let path = format!("/ho-so/{}/ket-qua", d.public_id);
    assert_eq!(app.get(&path).await.status(), StatusCode::CONFLICT, "not while the fee at the result is owed");
    let tn = official(&app, "tn.tai2").await;
    let res = app.post_form_with(&tn, &format!("/can-bo/ho-so/{}/thu-phi", d.public_id), &[("receipt_no", "11")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&path).await.status(), StatusCode::OK, "paid: the electronic result is handed over");
}
