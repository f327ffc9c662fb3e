//! The catalogue read from the national database of procedures through the
//! mock national portal (`LayDanhSachTTHC`, `LayThuTuc`): a new procedure
//! becomes a draft, a changed one a proposal an admin reads and applies (a
//! new version) or dismisses; nothing is published on its own.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, location};

/// The demo catalogue, whose procedures the mock's national database holds too.
async fn spawn() -> TestApp {
    TestApp::spawn_with(Options { demo_catalogue: true, press_office: false, sso: true, ..Options::default() }).await
}

async fn publish_nationally(app: &TestApp, records: Value) {
    let mock = &app.mock.as_ref().unwrap().address;
    let res =
        reqwest::Client::new().post(format!("{mock}/_test/national/procedures")).json(&records).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

async fn fetch(app: &TestApp) -> String {
    let csrf = app.csrf_of(&app.client).await;
    let res = app.post_form_with(&app.client, "/quan-tri/danh-muc-quoc-gia/lay", &[("_csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

/// The id in the first proposal's "apply" form.
fn proposal_id(page: &str) -> String {
    page.split("/ap-dung").next().unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn procedure_name(app: &TestApp, code: &str) -> (StatusCode, Value) {
    app.get_json(&format!("/api/v1/procedures/{code}")).await
}

#[tokio::test]
async fn new_national_procedures_arrive_as_drafts_and_changes_as_proposals_an_admin_applies() {
    let app = spawn().await;
    publish_nationally(
        &app,
        json!([
            {"MaTTHC": "1.004227", "TenTTHC": "Cấp thẻ nhà báo (theo Luật Báo chí sửa đổi)"},
            {"MaTTHC": "9.880001", "TenTTHC": "Thủ tục mới của Cục Báo chí", "COQUANTHUCHIEN": "000.01.00.G12",
             "LINHVUCTHUCHIEN": [{"MALINHVUC": "BAOCHI", "TENLINHVUC": "Báo chí"}],
             "TRINHTUTHUCHIEN": "Bước 1: nộp hồ sơ.", "CANCUPHAPLY": "Luật Báo chí 2016", "KETQUATHUCHIEN": "Văn bản chấp thuận"},
            {"MaTTHC": "9.880002", "TenTTHC": "Thủ tục của một cơ quan khác", "COQUANTHUCHIEN": "999.99.99.X99",
             "LINHVUCTHUCHIEN": [{"MALINHVUC": "BAOCHI"}]},
        ]),
    )
    .await;
    app.sign_in_admin().await;
    let target = fetch(&app).await;
    assert!(target.contains("moi=1&thay_doi=1&giu_nguyen=47&bo_qua=1"), "{target}");

    // The new one is a draft nobody outside sees; the changed one is not changed yet.
    let draft = motcua::catalogue::view::any(&app.db, "9.880001").await.unwrap();
    assert_eq!(draft.record.status.as_str(), "draft");
    assert_eq!(draft.record.legal_basis, "Luật Báo chí 2016");
    assert_eq!(procedure_name(&app, "9.880001").await.0, StatusCode::NOT_FOUND);
    let (_, before) = procedure_name(&app, "1.004227").await;
    assert_eq!(before["name"], "Cấp thẻ nhà báo");

    // The admin reads what changed, then applies it: a new version.
    let (status, page) = app.get_html(&target).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cấp thẻ nhà báo (theo Luật Báo chí sửa đổi)") && page.contains("Tên thủ tục"), "{page}");
    let version = motcua::catalogue::view::any(&app.db, "1.004227").await.unwrap().version;
    let id = proposal_id(&page);
    let csrf = app.csrf_of(&app.client).await;
    let res = app
        .post_form_with(&app.client, &format!("/quan-tri/danh-muc-quoc-gia/{id}/ap-dung"), &[("_csrf", csrf.as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, after) = procedure_name(&app, "1.004227").await;
    assert_eq!(after["name"], "Cấp thẻ nhà báo (theo Luật Báo chí sửa đổi)");
    assert_eq!(motcua::catalogue::view::any(&app.db, "1.004227").await.unwrap().version, version + 1);
    // Applied once: a second click changes nothing.
    let res = app
        .post_form_with(&app.client, &format!("/quan-tri/danh-muc-quoc-gia/{id}/ap-dung"), &[("_csrf", csrf.as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(motcua::catalogue::view::any(&app.db, "1.004227").await.unwrap().version, version + 1);

    // Read again: nothing new, nothing changed.
    let again = fetch(&app).await;
    assert!(again.contains("moi=0&thay_doi=0&giu_nguyen=49&bo_qua=1"), "{again}");
}

#[tokio::test]
async fn a_dismissed_proposal_changes_nothing() {
    let app = spawn().await;
    publish_nationally(&app, json!([{"MaTTHC": "1.004236", "TenTTHC": "Tên mới do cơ sở dữ liệu quốc gia đổi"}])).await;
    app.sign_in_admin().await;
    let before = motcua::catalogue::view::any(&app.db, "1.004236").await.unwrap();
    let (_, page) = app.get_html(&fetch(&app).await).await;
    let id = proposal_id(&page);
    let csrf = app.csrf_of(&app.client).await;
    let res = app
        .post_form_with(&app.client, &format!("/quan-tri/danh-muc-quoc-gia/{id}/bo-qua"), &[("_csrf", csrf.as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = motcua::catalogue::view::any(&app.db, "1.004236").await.unwrap();
    assert_eq!((after.record.name, after.version), (before.record.name, before.version));
    let (_, page) = app.get_html("/quan-tri/danh-muc-quoc-gia").await;
    assert!(page.contains("Không có thay đổi nào chờ áp dụng"));
    // Read again, the same national record is not proposed again; a further change is.
    assert!(fetch(&app).await.contains("thay_doi=0"), "dismissed stays dismissed");
    publish_nationally(&app, json!([{"MaTTHC": "1.004236", "TenTTHC": "Một tên khác nữa"}])).await;
    assert!(fetch(&app).await.contains("thay_doi=1"), "a new change is proposed");
}
