use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_answers_while_the_process_runs() {
    let app = TestApp::spawn_empty().await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readiness_checks_the_database() {
    let app = TestApp::spawn_empty().await;
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["database"], "ok");
}
