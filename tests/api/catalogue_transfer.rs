use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn a_catalogue_round_trips_exactly_between_portals() {
    let source = TestApp::spawn().await;
    crate::offices::publishing(&source).await;
    let exported = source.export().await;
    assert_eq!(exported["procedures"].as_array().unwrap().len(), 6);

    let target = TestApp::spawn_empty().await;
    let res = target.import(&exported).await;
    assert_eq!(res.status(), StatusCode::OK);
    let summary: Value = res.json().await.unwrap();
    assert_eq!(summary["procedures"], 6);
    assert_eq!(target.export().await, exported);

    // Importing the same file again changes nothing visible.
    assert_eq!(target.import(&exported).await.status(), StatusCode::OK);
    assert_eq!(target.export().await, exported);
}

#[tokio::test]
async fn an_import_with_one_bad_procedure_imports_nothing() {
    let source = TestApp::spawn().await;
    crate::offices::publishing(&source).await;
    let mut catalogue = source.export().await;
    catalogue["procedures"][1]["code"] = json!("not a code");
    catalogue["procedures"][3]["fees"] = json!([{"kind": "phi", "name": "Phí", "amount_vnd": -5, "note": ""}]);
    catalogue["procedures"][5]["agency_code"] = json!("000.99.99.G99");
    let target = TestApp::spawn_empty().await;
    let res = target.import(&catalogue).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    let fields: Vec<_> =
        body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
    assert!(fields.contains(&"procedures.1.code".to_owned()), "{fields:?}");
    assert!(fields.contains(&"procedures.3.fees.0.amount_vnd".to_owned()), "{fields:?}");
    assert!(fields.contains(&"procedures.5.agency_code".to_owned()), "{fields:?}");
    let after = target.export().await;
    assert_eq!(after["procedures"], json!([]));
    assert_eq!(after["agencies"], json!([]));
}

#[tokio::test]
async fn an_import_without_the_csrf_header_or_with_a_wrong_one_is_refused_and_changes_nothing() {
    let source = TestApp::spawn().await;
    let exported = source.export().await;
    let target = TestApp::spawn_empty().await;
    let admin = target.admin().await;
    let put = || admin.put(target.url("/api/v1/admin/catalogue")).json(&exported);
    assert_eq!(put().send().await.unwrap().status(), StatusCode::FORBIDDEN, "no header");
    let forged = put().header("X-CSRF-Token", "forged").send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a wrong token");
    assert_eq!(target.export().await["procedures"], json!([]), "nothing imported");
}

#[tokio::test]
async fn a_large_catalogue_is_read_whole() {
    let app = TestApp::spawn_empty().await;
    // Two megabytes, as a ministry's catalogue of hundreds of procedures is: here of JSON whitespace.
    let padding = " ".repeat(2 * 1024 * 1024);
    let body = format!(
        r#"{{"format": "motcua-catalogue", "version": 1,{padding}"agencies": [], "fields": [], "procedures": []}}"#
    );
    let token = app.csrf_of(app.admin().await).await;
    let put = app.admin().await.put(app.url("/api/v1/admin/catalogue")).header("X-CSRF-Token", token);
    let res = put.header("content-type", "application/json").body(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_import_refuses_unknown_shapes() {
    let app = TestApp::spawn_empty().await;
    let res = app.import(&json!({"format": "motcua-catalogue", "version": 1, "agencies": [], "fields": [], "procedures": [], "extra": 1})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res =
        app.import(&json!({"format": "other", "version": 9, "agencies": [], "fields": [], "procedures": []})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_admin_page_exports_a_downloadable_file() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let res = app.get("/quan-tri/danh-muc.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("danh-muc-thu-tuc.json"));
    let file: Value = res.json().await.unwrap();
    assert_eq!(file, app.export().await);
}
