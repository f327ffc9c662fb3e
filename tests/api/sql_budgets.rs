//! How many SQL statements the busiest requests send (issue 21): a workflow
//! step and an online submission. A stable figure beside wall-clock time —
//! a change that adds statements to these paths fails here, and says where:
//! `MOTCUA_LOG=motcua::sql=trace cargo test --test api sql_budgets -- --nocapture`
//! lists each statement.

use reqwest::StatusCode;

use crate::dossier_support::*;
use crate::helpers::{Options, TestApp};

/// The statements behind a response, as `Server-Timing` tells them.
pub fn statements(res: &reqwest::Response) -> u32 {
    let header = res.headers().get("server-timing").expect("Server-Timing").to_str().unwrap();
    header.split("desc=\"").nth(1).and_then(|d| d.split(' ').next()).and_then(|n| n.parse().ok()).expect(header)
}

async fn spawn() -> TestApp {
    if std::env::var_os("MOTCUA_LOG").is_some() {
        motcua::telemetry::init(false);
    }
    TestApp::spawn_with(Options { sso: true, env: &[("MOTCUA_SERVER_TIMING", "on")], ..Options::default() }).await
}

/// The workflow load of `tests/bench/workflow_actions.py`: a received
/// dossier sent to appraisal, submitted for approval, sent back, and again.
#[tokio::test]
async fn a_workflow_step_sends_a_bounded_number_of_statements() {
    let app = spawn().await;
    app.sso_sign_in("nguyen-van-an").await;
    let files = vec![("file.1", "to-khai.pdf", pdf(5000, "a")), ("file.2", "xac-nhan.pdf", pdf(5000, "b"))];
    let id = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    let (reception, specialist, leader) =
        (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    let paid = app.post_form_with(&reception, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "BL-1")]).await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let mut counts = Vec::new();
    let steps = [
        (&reception, "chuyen_tham_dinh", vec![]),
        (&specialist, "trinh_phe_duyet", vec![("note", "Đủ điều kiện")]),
        (&leader, "tra_lai_tham_dinh", vec![("reason", "Xem lại hồ sơ")]),
        (&specialist, "trinh_phe_duyet", vec![("note", "Đủ điều kiện")]),
        (&leader, "tra_lai_tham_dinh", vec![("reason", "Xem lại hồ sơ")]),
    ];
    for (who, action, fields) in steps {
        let res = act(&app, who, &id, action, &fields, None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{action}");
        counts.push(statements(&res));
    }
    eprintln!("SQL statements per workflow step: {counts:?}");
    let most = counts.iter().copied().max().unwrap();
    assert!(most <= BUDGET_STEP, "a workflow step sent {most} statements, over {BUDGET_STEP}: {counts:?}");
}

/// Statements a workflow step may send: 34 before issue 21; 20 once the
/// step passed on what it read and kept procedures and workflow versions in
/// memory; 14 since the session is checked in one statement (not three), the
/// office calendar read in one (not three), what was paid in one (not two)
/// and the procedure's own step budgets come with its view (none); 11 since
/// a dossier never asked for papers reads no supplement rounds, a change's
/// national records go in one insert and the office calendar is kept under
/// the catalogue counter; 10 since the least-loaded choice gives the
/// official's row, which the notice and the mail then use. The first step of
/// a process also reads the procedure, the workflow version and the
/// calendar: 17.
const BUDGET_STEP: u32 = 17;

/// The submission load of `tests/bench/submissions.py`: one multipart
/// request with the e-form and two files, through the API.
#[tokio::test]
async fn an_online_submission_sends_a_bounded_number_of_statements() {
    let app = spawn().await;
    app.sso_sign_in("nguyen-van-an").await;
    let mut counts = Vec::new();
    for n in 0..3 {
        let csrf = app.csrf_of(&app.client).await;
        let form: serde_json::Map<String, serde_json::Value> =
            press_card_fields().into_iter().map(|(k, v)| (k.to_owned(), serde_json::Value::from(v))).collect();
        let mut multipart = reqwest::multipart::Form::new()
            .text("procedure", PRESS_CARD_REISSUE)
            .text("form", serde_json::Value::Object(form).to_string());
        for slot in 1..=2 {
            let file = reqwest::multipart::Part::bytes(pdf(20_000, &format!("{n} {slot}"))).file_name("tep.pdf");
            multipart = multipart.part(format!("file.{slot}"), file);
        }
        let res = app.client.post(app.url("/api/v1/dossiers")).header("X-CSRF-Token", csrf).multipart(multipart);
        let res = res.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        counts.push(statements(&res));
        let code = res.json::<serde_json::Value>().await.unwrap()["code"].as_str().unwrap().to_owned();
        assert_messages_in_order(&app, &code).await;
    }
    eprintln!("SQL statements per submission: {counts:?}");
    let most = counts.iter().copied().max().unwrap();
    assert!(most <= BUDGET_SUBMISSION, "a submission sent {most} statements, over {BUDGET_SUBMISSION}: {counts:?}");
    // Every later one, with the procedure and its rules held in memory, as under load.
    let later = counts[1..].iter().copied().max().unwrap();
    assert!(
        later <= BUDGET_SUBMISSION_LATER,
        "a later submission sent {later} statements, over {BUDGET_SUBMISSION_LATER}: {counts:?}"
    );
}

/// The messages a submission leaves, written in one insert at its end: the
/// national records in the order of the history (submitted, then received on
/// the spot), and a mail for each.
async fn assert_messages_in_order(app: &TestApp, code: &str) {
    use sea_orm::{EntityTrait, QueryOrder};
    let rows = entity::outbox::Entity::find().order_by_asc(entity::outbox::Column::Id).all(&app.db).await.unwrap();
    let national: Vec<i64> = rows
        .iter()
        .filter(|r| r.ordering_key.as_deref() == Some(code))
        .map(|r| serde_json::from_str::<serde_json::Value>(&r.payload).unwrap()["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(national, [1, 2], "{code}: the submission's record, then the reception's");
    let mails = rows.iter().filter(|r| r.topic == "email" && r.payload.contains(code)).count();
    assert_eq!(mails, 2, "{code}: submitted, received");
}

/// Statements a submission may send: 63 before issue 21; 37 once it read
/// the procedure from memory and passed on what it read; 32 since the
/// session, the calendar and what was paid take one statement each (what
/// was paid read once for submitting and receiving) and the step budgets
/// come with the procedure; 27 with no supplement rounds read, one insert for
/// a change's national records and the time-rule versions, the agency chain
/// and the calendar kept under the catalogue counter; 24 since the four
/// messages of a submission (two national records, two mails) go in one
/// insert (`outbox::batched`); 19 since the submission and its reception
/// on the spot are one update of the dossier and one insert of their two
/// history entries (`lifecycle::held`), the draft is inserted without looking
/// its key up first, the documents of a post are read once in its
/// transaction, and the submission takes the catalogue version and the
/// account's VNeID mark the request read; 18 since a draft whose count says
/// it holds no documents is not asked for them before its post's
/// transaction. The first submission of a process also reads the procedure
/// and those: 29.
const BUDGET_SUBMISSION: u32 = 29;
const BUDGET_SUBMISSION_LATER: u32 = 18;
