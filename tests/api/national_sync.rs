//! The dossier sync with the national portal, against the mock national
//! portal as its own process over HTTP: every change of dossiers taken
//! through the workflows arrives once, in order, compared with the portal's
//! own record through `TraCuuHoSo`; an unreliable, then absent, national
//! portal loses and doubles nothing; a refused event waits, dead, with the
//! later ones of its dossier behind it, until an operator re-drives it.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::dossier_support::*;
use crate::helpers::{Options, SYNC_SECRET, TestApp};
use motcua::national_sync::client::SyncClient;
use motcua::national_sync::worker::{self, Report};

/// A call to the mock's adapter as any sync client makes it.
pub async fn national(mock: &str, service: &str, data: Value) -> Value {
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{mock}/oauth2/token"))
        .basic_auth("motcua-sync-demo", Some(SYNC_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = http
        .post(format!("{mock}/api/v1/sync"))
        .bearer_auth(token["access_token"].as_str().expect("a token"))
        .json(&json!({"service": service, "isUpdating": false, "data": data}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

pub async fn faults(mock: &str, switches: Value) {
    let res = reqwest::Client::new().post(format!("{mock}/_test/sync/faults")).json(&switches).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

pub fn mock_of(app: &TestApp) -> String {
    app.mock.as_ref().expect("the mock national portal").address.clone()
}

/// Passes of the delivery worker, as the portal's background loop runs them,
/// until nothing is due; the totals.
pub async fn drain(app: &TestApp) -> Report {
    let settings = &app.state.settings.national_sync;
    let client = SyncClient::new(settings).unwrap();
    let mut total = Report::default();
    for _ in 0..2000 {
        let r = worker::run_once(&app.db, &client, settings, "test-worker", app.now()).await.unwrap();
        if r == Report::default() {
            return total;
        }
        total.delivered += r.delivered;
        total.failed += r.failed;
        total.dead += r.dead;
    }
    panic!("the sync backlog did not drain: {total:?}");
}

/// (service, number) of every sync event the portal queued for dossier `code`, in order.
pub async fn queued(app: &TestApp, code: &str) -> Vec<(String, i64)> {
    sync_messages(app, code)
        .await
        .iter()
        .map(|p| (p["service"].as_str().unwrap().to_owned(), p["seq"].as_i64().unwrap()))
        .collect()
}

/// What the national portal holds of dossier `code`: its latest record and
/// (service, number, times sent again) of everything it took, in order of arrival.
pub async fn held(mock: &str, code: &str) -> (Value, Vec<(String, i64, i64)>) {
    let answer = national(mock, "TraCuuHoSo", json!([{"MaHoSo": code}])).await;
    let found = &answer["result"][0];
    let history = found["LichSu"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["DichVu"].as_str().unwrap().to_owned(),
                a["SoThuTuCapNhat"].as_i64().unwrap(),
                a["SoLanNhanLai"].as_i64().unwrap(),
            )
        })
        .collect();
    (found["HoSo"].clone(), history)
}

/// Asserts the national portal took every event of `code` once, in the portal's order.
pub async fn assert_synced(app: &TestApp, mock: &str, code: &str) -> i64 {
    let ours = queued(app, code).await;
    let (record, theirs) = held(mock, code).await;
    let arrived: Vec<(String, i64)> = theirs.iter().map(|(s, n, _)| (s.clone(), *n)).collect();
    assert_eq!(arrived, ours, "{code}: everything, once, in order");
    let d = entity::dossier::Entity::find()
        .filter(entity::dossier::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record["TrangThaiHoSo"].as_i64(), d.status.national_code().map(i64::from), "{code}: the status now");
    let last = ours.iter().rfind(|(service, _)| service == "DongBoHoSoMC").map(|(_, n)| *n);
    assert_eq!(record["SoThuTuCapNhat"].as_i64(), last, "{code}: the latest record is the one held");
    theirs.iter().map(|(_, _, again)| again).sum()
}

pub async fn undelivered(app: &TestApp) -> u64 {
    use sea_orm::PaginatorTrait;
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("national_sync"))
        .filter(entity::outbox::Column::Status.ne("done"))
        .count(&app.db)
        .await
        .unwrap()
}

/// The publishing office (`offices::publishing`) and its officials.
async fn publication_officials(app: &TestApp) -> (reqwest::Client, reqwest::Client, reqwest::Client) {
    crate::offices::publishing(app).await;
    use motcua::auth::role::Role;
    for (name, role) in [("tn.xb", Role::Reception), ("cv.xb", Role::Specialist), ("ld.xb", Role::Leader)] {
        app.create_official(name, &[role], Some("000.02.00.G12")).await;
    }
    (official(app, "tn.xb").await, official(app, "cv.xb").await, official(app, "ld.xb").await)
}

/// Dossiers taken through the five workflows (three-step with a supplement,
/// inter-agency, field inspection, fee after appraisal, fee at submission),
/// one refused and one withdrawn; their codes.
async fn dossiers_through_the_workflows(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    // Three steps, with a supplement in processing, as a citizen.
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(app).await;
    let (reception, specialist, leader) =
        (official(app, "tiepnhan").await, official(app, "chuyenvien").await, official(app, "lanhdao").await);
    assert_eq!(reception_action(app, &reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, &reception, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    let asked = [("documents", "Bản sao hợp đồng lao động"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(act(app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let files = [("file.2", "hop-dong.pdf", pdf(3000, "hd"))];
    assert_eq!(answer_supplement(app, &id, "Đã bổ sung", &files).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, &specialist, &id, "trinh_phe_duyet", &[], None).await.status(), StatusCode::SEE_OTHER);
    let res = act(app, &leader, &id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "kq"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
    ids.push(id);
    // Refused at the desk, and withdrawn by the applicant.
    let (refused, _) = paid_press_card(app).await;
    let res = reception_action(app, &reception, &refused, "tu-choi", "Thủ tục không thuộc thẩm quyền").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    ids.push(refused);
    let (withdrawn, _) = paid_press_card(app).await;
    let csrf = app.csrf_of(&app.client).await;
    let fields = [("_csrf", csrf.as_str()), ("reason", "Nộp nhầm thủ tục")];
    let res = app.post_form_with(&app.client, &format!("/ho-so/{withdrawn}/rut"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "withdrawn");
    ids.push(withdrawn);
    // Inter-agency, field inspection and the fee after appraisal, as a business.
    let (reception, specialist, leader) = publication_officials(app).await;
    type Step<'a> = (&'a str, &'a [(&'a str, &'a str)]);
    let paths: [(&str, &[Step]); 4] = [
        (
            "1.003725",
            &[
                ("chuyen_tham_dinh", &[]),
                ("chuyen_lien_thong", &[("agency", "000.03.00.G12"), ("note", "Xin ý kiến")]),
                ("nhan_ket_qua_lien_thong", &[]),
            ],
        ),
        (
            "1.003733",
            &[("chuyen_tham_dinh", &[]), ("lap_doan_kiem_tra", &[("note", "Kiểm tra")]), ("trinh_phe_duyet", &[])],
        ),
        ("1.003729", &[("chuyen_tham_dinh", &[]), ("yeu_cau_nop_phi", &[("note", "Phí thẩm định")])]),
        // The fee at submission: paid before reception, then the three steps.
        ("1.003727", &[("chuyen_tham_dinh", &[]), ("trinh_phe_duyet", &[])]),
    ];
    for (procedure, steps) in paths {
        let documents = if matches!(procedure, "1.003729" | "1.003727") { 2 } else { 3 };
        let id = crate::processing::business_dossier(app, procedure, documents).await;
        if procedure == "1.003727" {
            crate::payments::pay_in_full(app, &id).await;
        }
        assert_eq!(reception_action(app, &reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
        for (action, fields) in steps {
            let who = if *action == "chuyen_tham_dinh" { &reception } else { &specialist };
            let result =
                (*action == "nhan_ket_qua_lien_thong" || *action == "trinh_phe_duyet").then(|| pdf(2000, action));
            assert_eq!(act(app, who, &id, action, fields, result).await.status(), StatusCode::SEE_OTHER, "{action}");
        }
        crate::payments::pay_in_full(app, &id).await;
        if procedure == "1.003729" {
            assert_eq!(state_of(app, &id).await.workflow_state.as_deref(), Some("phe_duyet"), "the fee moved it");
        }
        let res = act(app, &leader, &id, "phe_duyet_ket_qua", &[], Some(pdf(3000, procedure))).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{procedure}");
        assert_eq!(act(app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
        ids.push(id);
    }
    let mut codes = Vec::new();
    for id in ids {
        codes.push(state_of(app, &id).await.code.expect("a code"));
    }
    codes
}

#[tokio::test]
async fn every_change_of_dossiers_through_the_workflows_reaches_the_national_portal_once_in_order() {
    let app = TestApp::spawn_with_sso().await;
    let mock = mock_of(&app);
    let codes = dossiers_through_the_workflows(&app).await;
    let report = drain(&app).await;
    assert_eq!((report.failed, report.dead), (0, 0), "{report:?}");
    assert_eq!(undelivered(&app).await, 0);
    let mut events = 0;
    for code in &codes {
        let again = assert_synced(&app, &mock, code).await;
        assert_eq!(again, 0, "{code}: nothing was sent twice");
        events += queued(&app, code).await.len();
    }
    assert_eq!(report.delivered, events, "each event was delivered once");
    // Nothing new: a further pass sends nothing.
    assert_eq!(drain(&app).await, Report::default());

    // On the national portal's pages, a citizen looks the first dossier up by its code.
    let browser = TestApp::new_client();
    let res = browser.get(format!("{mock}/ho-so-dong-bo?ma={}", codes[0])).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, page) =
        crate::helpers::get_html_with(&browser, &format!("{mock}{}", crate::helpers::location(&res))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cấp thẻ nhà báo") && page.contains("Đã trả kết quả"), "{page}");
    assert!(page.contains("Yêu cầu bổ sung giấy tờ") && page.contains("Bước xử lý"), "the history, steps included");
    let (listed, list) = crate::helpers::get_html_with(&browser, &format!("{mock}/ho-so-dong-bo")).await;
    assert_eq!(listed, StatusCode::OK);
    assert!(codes.iter().all(|c| list.contains(c.as_str())), "every synced dossier is listed");
    let (missing, _) = crate::helpers::get_html_with(&browser, &format!("{mock}/ho-so-dong-bo/KHONG-CO")).await;
    assert_eq!(missing, StatusCode::NOT_FOUND);
}

const PATIENT: Options = Options {
    sso: true,
    env: &[("MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS", "100"), ("MOTCUA_NATIONAL_SYNC_TIMEOUT_MS", "500")],
    ..crate::helpers::DEFAULT_OPTIONS
};

#[tokio::test]
async fn an_unreliable_then_absent_national_portal_gets_every_event_once_in_order_when_it_is_back() {
    let mut app = TestApp::spawn_with(PATIENT).await;
    let mock = mock_of(&app);
    let mut codes = dossiers_through_the_workflows(&app).await;
    // Half the calls fail, a fifth of the others are taken but their answer is lost, some answers come too late.
    faults(&mock, json!({"fail_percent": 50, "lose_answer_percent": 20})).await;
    let settings = app.state.settings.national_sync.clone();
    let client = SyncClient::new(&settings).unwrap();
    let mut partial = Report::default();
    for _ in 0..6 {
        let r = worker::run_once(&app.db, &client, &settings, "w", app.now()).await.unwrap();
        partial.delivered += r.delivered;
        partial.failed += r.failed;
    }
    assert!(partial.failed > 0, "calls failed: {partial:?}");
    // Then it is gone altogether, while the desk goes on taking dossiers.
    app.mock.as_mut().unwrap().kill().await;
    let id = crate::reception::counter_dossier(&app, &official(&app, "tiepnhan").await).await;
    codes.push(state_of(&app, &id).await.code.unwrap());
    let r = worker::run_once(&app.db, &client, &settings, "w", app.now()).await.unwrap();
    assert_eq!(r.delivered, 0);
    assert!(r.failed > 0, "every call fails while it is down: {r:?}");
    let waiting = undelivered(&app).await;
    assert!(waiting > 0, "events wait for it");
    let failing = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("national_sync"))
        .filter(entity::outbox::Column::Attempts.gt(0))
        .filter(entity::outbox::Column::Status.eq("pending"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a failing event");
    assert!(failing.last_error.as_deref().unwrap_or_default().contains("unreachable"), "{:?}", failing.last_error);
    // Back, unreliable still for a while, then well.
    app.mock.as_mut().unwrap().restart().await;
    faults(&mock, json!({"fail_percent": 30, "lose_answer_percent": 20, "delay_ms": 0})).await;
    for _ in 0..4 {
        worker::run_once(&app.db, &client, &settings, "w", app.now()).await.unwrap();
    }
    faults(&mock, json!({})).await;
    let report = drain(&app).await;
    assert_eq!(report.dead, 0, "{report:?}");
    let left = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("national_sync"))
        .filter(entity::outbox::Column::Status.ne("done"))
        .all(&app.db)
        .await
        .unwrap();
    let left: Vec<_> = left.iter().map(|r| (r.id, r.status, r.attempts, r.last_error.clone())).collect();
    assert!(left.is_empty(), "all delivered, none dead: {left:?}");
    for code in &codes {
        assert_synced(&app, &mock, code).await;
    }
}

#[tokio::test]
async fn the_mock_refuses_what_the_real_adapter_would() {
    let app = TestApp::spawn_with_sso().await;
    let mock = mock_of(&app);
    let good = json!({
        "MaHoSo": "G12-TEST-0001", "MaTTHC": "1.004227", "TenTTHC": "Cấp thẻ nhà báo", "KenhThucHien": 2,
        "ChuHoSo": "Nguyễn Văn An", "TrangThaiHoSo": 1, "NgayNopHoSo": "20261202090000", "SoThuTuCapNhat": 2,
    });
    let mut stale = good.clone();
    stale["SoThuTuCapNhat"] = json!(1);
    let mut bad = good.clone();
    bad["MaHoSo"] = json!("G12-TEST-0002");
    bad["TrangThaiHoSo"] = json!(12);
    let mut after_bad = bad.clone();
    after_bad["TrangThaiHoSo"] = json!(2);
    after_bad["SoThuTuCapNhat"] = json!(3);
    let answer = national(&mock, "DongBoHoSoMC", json!([good, good, stale, bad, after_bad])).await;
    let codes: Vec<i64> =
        answer["ket_qua"].as_array().unwrap().iter().map(|r| r["error_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [0, 1, 3, 2, 4], "taken, repeat, older, invalid, held back behind the invalid one");
    assert_eq!(answer["error_code"], 1);
    assert!(answer["ket_qua"][3]["chi_tiet"][0].as_str().unwrap().starts_with("TrangThaiHoSo"));
    let step =
        json!({"MaHoSo": "G12-TEST-0003", "ThoiDiemXuLy": "20261202090000", "TrangThai": 2, "SoThuTuCapNhat": 1});
    let answer = national(&mock, "CapNhatTienDoHoSoMC", json!([step])).await;
    assert_eq!(answer["ket_qua"][0]["error_code"], 5, "a step of a dossier it does not hold");
    // By date of reception: the dossier above was not received yet.
    let answer =
        national(&mock, "TraCuuHoSo", json!([{"TuNgay": "20261201000000", "DenNgay": "20261231000000"}])).await;
    assert_eq!(answer["result"], json!([]));
    // Tokens: none, a made-up one, and the wrong secret.
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{mock}/api/v1/sync"))
        .json(&json!({"service": "TraCuuHoSo", "data": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = http.post(format!("{mock}/api/v1/sync")).bearer_auth("made-up").json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = http
        .post(format!("{mock}/oauth2/token"))
        .basic_auth("motcua-sync-demo", Some("wrong-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refused_tokens_an_outage_answer_and_answers_past_the_timeout_are_retried_until_they_pass() {
    let app = TestApp::spawn_with(PATIENT).await;
    let mock = mock_of(&app);
    let id = crate::reception::counter_dossier(&app, &official(&app, "tiepnhan").await).await;
    let code = state_of(&app, &id).await.code.unwrap();
    let settings = app.state.settings.national_sync.clone();
    let client = SyncClient::new(&settings).unwrap();
    let last_error = || async {
        entity::outbox::Entity::find()
            .filter(entity::outbox::Column::OrderingKey.eq(code.as_str()))
            .order_by_asc(entity::outbox::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .last_error
            .unwrap_or_default()
    };
    for (switches, error) in [
        (json!({"refuse_tokens": true}), "HTTP 401"),
        (json!({"down": true}), "HTTP 503"),
        (json!({"delay_ms": 1500}), "no answer within 500 ms"),
    ] {
        faults(&mock, switches).await;
        let r = worker::run_once(&app.db, &client, &settings, "w", app.now()).await.unwrap();
        assert_eq!((r.delivered, r.failed), (0, 1), "{error}: {r:?}");
        assert!(last_error().await.contains(error), "{error}: {}", last_error().await);
    }
    faults(&mock, json!({})).await;
    // The slow answer may have been taken after all: it is then a repeat, and nothing is doubled.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let report = drain(&app).await;
    assert_eq!(report.dead, 0);
    assert_eq!(undelivered(&app).await, 0);
    assert_synced(&app, &mock, &code).await;
}
