//! What an operator of the national sync sees and does, against the mock
//! national portal as its own process: an event the national portal refuses
//! waits, dead, with the later ones of its dossier behind it, until it is
//! re-driven or set aside; the daily reconciliation sends again the dossiers
//! the national portal lacks, and only those.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::dossier_support::*;
use crate::helpers::TestApp;
use crate::national_sync::{assert_synced, drain, held, mock_of, queued};

/// A dossier of a fixture procedure (one e-form field, one document) submitted
/// over the API by the citizen signed in on `app.client`; its id.
pub async fn citizen_dossier(app: &TestApp, procedure: &str) -> String {
    use reqwest::multipart::{Form, Part};
    let csrf = app.csrf_of(&app.client).await;
    let form = Form::new()
        .text("procedure", procedure.to_owned())
        .text("form", json!({"ho_ten": "Nguyễn Văn An"}).to_string())
        .part("file.1", Part::bytes(pdf(2000, "don")).file_name("don.pdf"));
    let res =
        app.client.post(app.url("/api/v1/dossiers")).header("X-CSRF-Token", csrf).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_refused_event_waits_dead_with_its_dossier_behind_it_until_an_operator_redrives_it() {
    let app = TestApp::spawn_with_sso().await;
    let mock = mock_of(&app);
    // A procedure the national database does not list yet: its records are refused.
    let unit = "000.77.00.G12";
    crate::builders::ProcedureBuilder::new("9.770001", unit).create(&app).await;
    app.create_official("tn.77", &[motcua::auth::role::Role::Reception], Some(unit)).await;
    let reception = official(&app, "tn.77").await;
    app.sso_sign_in("nguyen-van-an").await;
    let unknown = citizen_dossier(&app, "9.770001").await;
    let (known, _) = paid_press_card(&app).await;
    let report = drain(&app).await;
    assert_eq!(report.dead, 1, "refused at once, not retried: {report:?}");
    let unknown_code = state_of(&app, &unknown).await.code.unwrap();
    let known_code = state_of(&app, &known).await.code.unwrap();
    assert_synced(&app, &mock, &known_code).await;
    let (record, history) = held(&mock, &unknown_code).await;
    assert!(record.is_null() && history.is_empty(), "nothing of the refused dossier was taken");

    // A later change of the refused dossier waits behind the dead event.
    let res = reception_action(&app, &reception, &unknown, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(drain(&app).await.delivered, 0, "held back");

    let counts = motcua::outbox::operator::counts(&app.db, "national_sync").await.unwrap();
    assert_eq!(
        (counts.dead, counts.retrying, counts.pending),
        (1, 0, 2),
        "the reception record and step wait: {counts:?}"
    );
    // The operator sees it, with the national portal's reason.
    app.sign_in_admin().await;
    let (status, page) = app.get_html("/quan-tri/dong-bo").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&unknown_code), "the dead event's dossier is shown");
    assert!(page.contains("MaTTHC"), "with the reason it was refused");

    // Once the national database lists the procedure, a re-drive sends both, in order.
    let res = reqwest::Client::new()
        .post(format!("{mock}/_test/national/procedures"))
        .json(&json!([{"MaTTHC": "9.770001", "TenTTHC": "Thủ tục thử nghiệm"}]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let csrf = app.csrf_of(&app.client).await;
    let res = app.post_form_with(&app.client, "/quan-tri/dong-bo/gui-lai", &[("_csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let report = drain(&app).await;
    assert_eq!((report.delivered, report.dead), (queued(&app, &unknown_code).await.len(), 0), "{report:?}");
    assert_synced(&app, &mock, &unknown_code).await;
}

#[tokio::test]
async fn the_reconciliation_sends_again_the_dossiers_the_national_portal_lacks_and_only_those() {
    let app = TestApp::spawn_with_sso().await;
    let mock = mock_of(&app);
    let reception = official(&app, "tiepnhan").await;
    // Three dossiers taken at the counter today: one synced, one whose events an operator
    // set aside (it never reached the national portal), one still waiting to be sent.
    let synced = crate::reception::counter_dossier(&app, &reception).await;
    drain(&app).await;
    let lost = crate::reception::counter_dossier(&app, &reception).await;
    let lost_code = state_of(&app, &lost).await.code.unwrap();
    use sea_orm::sea_query::Expr;
    entity::outbox::Entity::update_many()
        .col_expr(entity::outbox::Column::Status, Expr::value("discarded"))
        .filter(entity::outbox::Column::OrderingKey.eq(lost_code.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    let waiting = crate::reception::counter_dossier(&app, &reception).await;
    let waiting_code = state_of(&app, &waiting).await.code.unwrap();

    app.sign_in_admin().await;
    let (_, page) = app.get_html("/quan-tri/dong-bo").await;
    let today = motcua::sla::local_time::to_local(app.now()).date().to_string();
    assert!(page.contains(&today), "the period is filled in: {today}");
    let csrf = app.csrf_of(&app.client).await;
    let fields = [("_csrf", csrf.as_str()), ("from", today.as_str()), ("to", today.as_str())];
    let res = app.post_form_with(&app.client, "/quan-tri/dong-bo/doi-soat", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let target = crate::helpers::location(&res);
    assert!(target.ends_with("da_nhan=3&thieu=2&gui_lai=1"), "3 received, 2 missing, 1 queued again: {target}");
    let (_, page) = app.get_html(&target).await;
    assert!(page.contains("Cổng DVCQG chưa có"), "the result is shown");

    drain(&app).await;
    let (record, _) = held(&mock, &lost_code).await;
    assert_eq!(record["TrangThaiHoSo"], 2, "the lost dossier is on the national portal, as it stands");
    let (record, history) = held(&mock, &waiting_code).await;
    assert_eq!(record["TrangThaiHoSo"], 2);
    assert_eq!(history.len(), queued(&app, &waiting_code).await.len(), "the waiting one was not queued twice");
    let synced_code = state_of(&app, &synced).await.code.unwrap();
    assert_eq!(held(&mock, &synced_code).await.1.len(), queued(&app, &synced_code).await.len(), "nothing re-sent");
    // A period with bad dates changes nothing.
    let fields = [("_csrf", csrf.as_str()), ("from", today.as_str()), ("to", "2020-01-01")];
    let res = app.post_form_with(&app.client, "/quan-tri/dong-bo/doi-soat", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The id of the first dead sync event of dossier `code`.
async fn dead_event(app: &TestApp, code: &str) -> i64 {
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::OrderingKey.eq(code))
        .filter(entity::outbox::Column::Status.eq("dead"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a dead event")
        .id
}

#[tokio::test]
async fn an_operator_redrives_one_dead_event_or_discards_one_and_its_dossier_goes_on() {
    let app = TestApp::spawn_with_sso().await;
    let mock = mock_of(&app);
    let unit = "000.78.00.G12";
    crate::builders::ProcedureBuilder::new("9.780001", unit).create(&app).await;
    app.create_official("tn.78", &[motcua::auth::role::Role::Reception], Some(unit)).await;
    let reception = official(&app, "tn.78").await;
    app.sso_sign_in("nguyen-van-an").await;
    let (first, second) = (citizen_dossier(&app, "9.780001").await, citizen_dossier(&app, "9.780001").await);
    assert_eq!(drain(&app).await.dead, 2, "both refused: the national database lacks the procedure");
    let first_code = state_of(&app, &first).await.code.unwrap();
    let second_code = state_of(&app, &second).await.code.unwrap();
    for id in [&first, &second] {
        assert_eq!(reception_action(&app, &reception, id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    }
    let res = reqwest::Client::new()
        .post(format!("{mock}/_test/national/procedures"))
        .json(&json!([{"MaTTHC": "9.780001", "TenTTHC": "Thủ tục thử nghiệm"}]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    app.sign_in_admin().await;
    let csrf = app.csrf_of(&app.client).await;
    let form = [("_csrf", csrf.as_str())];

    // The first dossier's dead event is sent again; the second's is set aside.
    let redriven = dead_event(&app, &first_code).await;
    let res = app.post_form_with(&app.client, &format!("/quan-tri/dong-bo/{redriven}/gui-lai"), &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let discarded = dead_event(&app, &second_code).await;
    let res = app.post_form_with(&app.client, &format!("/quan-tri/dong-bo/{discarded}/bo-qua"), &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Only a dead event can be set aside, once.
    let res = app.post_form_with(&app.client, &format!("/quan-tri/dong-bo/{discarded}/bo-qua"), &form).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let report = drain(&app).await;
    assert_eq!(report.dead, 0, "{report:?}");
    assert_synced(&app, &mock, &first_code).await;
    // The second dossier's later changes went on without the discarded one.
    let (record, history) = held(&mock, &second_code).await;
    assert_eq!(record["TrangThaiHoSo"], 2, "received");
    let seqs: Vec<i64> = history.iter().map(|(_, n, _)| *n).collect();
    assert!(!seqs.contains(&1), "the discarded submission was never sent: {seqs:?}");
    let counts = motcua::outbox::operator::counts(&app.db, "national_sync").await.unwrap();
    assert_eq!((counts.dead, counts.discarded, counts.pending + counts.retrying), (0, 1, 0), "{counts:?}");
}
