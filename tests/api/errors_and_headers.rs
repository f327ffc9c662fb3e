use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_unknown_page_gets_a_page_in_the_users_language() {
    let app = TestApp::spawn_empty().await;
    let res = app.get("/khong-co-trang-nay").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Không tìm thấy trang") && html.contains("Về trang chủ"));
    let (_, en) = app.get_html("/khong-co-trang-nay?lang=en").await;
    assert!(en.contains("Page not found"));
}

#[tokio::test]
async fn api_errors_are_problem_details() {
    let app = TestApp::spawn_empty().await;
    let res = app.get("/api/v1/khong-co").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["type"], "urn:motcua:problem:not_found");
    assert!(body["title"].is_string() && body["request_id"].is_string());
}

#[tokio::test]
async fn a_malformed_json_body_is_a_problem_not_a_crash() {
    let app = TestApp::spawn_empty().await;
    let token = app.csrf_of(app.admin().await).await;
    let res = app
        .admin()
        .await
        .put(app.url("/api/v1/admin/catalogue"))
        .header("X-CSRF-Token", token)
        .header("content-type", "application/json")
        .body("{\"format\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert!(body["detail"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn a_wrong_method_is_answered_clearly() {
    let app = TestApp::spawn_empty().await;
    let res = app.client.delete(app.url("/api/v1/procedures")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "the path exists, not for this method");
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = app.client.request(reqwest::Method::TRACE, app.url("/thu-tuc")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.client.delete(app.url("/khong-co")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = TestApp::spawn_empty().await;
    for path in ["/", "/api/v1/procedures", "/khong-co", "/static/css/site.css"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}");
        // Forms go to the portal, and to the configured gateway alone (its pay form redirects there).
        let form_action = csp.split(';').map(str::trim).find(|d| d.starts_with("form-action")).unwrap();
        assert_eq!(form_action, "form-action 'self' http://127.0.0.1:9", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert!(!h["x-request-id"].to_str().unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn pages_load_nothing_from_other_sites() {
    let app = TestApp::spawn().await;
    for path in ["/", "/thu-tuc", "/thu-tuc/1.004227"] {
        let (_, html) = app.get_html(path).await;
        assert!(!html.contains("http://") && !html.contains("https://"), "{path} links out");
        assert!(html.contains("name=\"viewport\""), "{path} is not set up for phones");
        assert!(html.contains("class=\"skip-link\""), "{path} has no skip link");
    }
}
