//! The OpenAPI document and the API cannot drift: every API route of the
//! route table is documented and every documented operation is served, and
//! every status the API answers to a set of probes — as anyone, an applicant
//! or an admin; with repeated, malformed and NUL-bearing queries and paths;
//! without a body, with broken JSON, without the CSRF header — is one the
//! document declares for that operation.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn the_route_table_and_the_openapi_document_name_the_same_api_operations() {
    let app = TestApp::spawn_empty().await;
    let (_, doc) = app.get_json("/api/v1/openapi.json").await;
    let served: BTreeSet<(String, String)> = motcua::web::routes::TABLE
        .iter()
        .filter(|r| r.path.starts_with("/api/") || r.path.ends_with("z"))
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(served, documented_routes(&doc));
}

#[tokio::test]
async fn every_status_the_api_answers_to_probes_is_documented() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, doc) = app.get_json("/api/v1/openapi.json").await;
    let anonymous = TestApp::new_client();
    let clients = [("anyone", &anonymous), ("applicant", &app.client), ("admin", app.admin().await)];
    let mut failures = Vec::new();
    for (method, path) in documented_routes(&doc) {
        let declared: Vec<String> =
            doc["paths"][&path][method.to_lowercase()]["responses"].as_object().unwrap().keys().cloned().collect();
        let concrete = path.replace("{code}", "1.004227").replace("{id}", "khong-co");
        let mut urls = vec![
            concrete.clone(),
            format!("{concrete}?per_page=1&per_page=2"),
            format!("{concrete}?page=abc&q=%00"),
            format!("{concrete}?q=gi%E1%BA%A5y+ph%C3%A9p&mode=x&applicant=y"),
        ];
        if path.contains('{') {
            urls.push(path.replace("{code}", "x%00y").replace("{id}", "x%00y"));
            urls.push(path.replace("{code}", "khong-co").replace("{id}", &"9".repeat(300)));
        }
        for (who, client) in clients {
            let token = app.csrf_of(client).await;
            for url in &urls {
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let mut requests = vec![client.request(method.clone(), app.url(url))];
                if method != Method::GET {
                    let with_token = || client.request(method.clone(), app.url(url)).header("X-CSRF-Token", &token);
                    requests.push(with_token().header("content-type", "application/json").body("{\"procedure\": "));
                    requests.push(with_token().json(&serde_json::json!({})));
                    requests.push(with_token().json(&serde_json::json!({"procedure": "1.004227", "form": {}})));
                }
                for request in requests {
                    let status = request.send().await.unwrap().status();
                    if !declared.contains(&status.as_u16().to_string()) {
                        failures.push(format!("{method} {url} as {who}: {status} is not documented {declared:?}"));
                    }
                    assert!(!status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE, "{url}: {status}");
                }
            }
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{} answers not documented:\n{}", failures.len(), failures.join("\n"));
}
