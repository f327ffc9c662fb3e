//! The catalogue API as citizens search it, over the demo catalogue (48
//! procedures of two ministries, the nearest to a real one the project ships):
//! search, filters and pages need a catalogue of that variety to mean much.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn search_ignores_diacritics_and_case() {
    let app = TestApp::spawn_demo().await;
    let plain = app.search_codes("q=giay+phep").await;
    assert!(plain.len() >= 20, "most demo procedures are licences: {plain:?}");
    assert!(plain.contains(&"1.003410".to_owned()), "Cấp giấy phép bưu chính");
    for q in ["q=gi%E1%BA%A5y+ph%C3%A9p", "q=Gi%E1%BA%A5y+Ph%C3%A9p", "q=GIAY+PHEP"] {
        assert_eq!(app.search_codes(q).await, plain, "{q}");
    }
}

#[tokio::test]
async fn search_finds_part_of_a_word_and_needs_every_word() {
    let app = TestApp::spawn_demo().await;
    let phep = app.search_codes("q=phep").await;
    assert!(phep.contains(&"1.003410".to_owned()));
    let both = app.search_codes("q=phep+buu+chinh").await;
    assert!(!both.is_empty());
    assert!(both.len() < phep.len(), "a second word narrows the result");
    let (_, body) = app.get_json("/api/v1/procedures?q=phep+buu+chinh&per_page=100").await;
    for item in body["items"].as_array().unwrap() {
        let code = item["code"].as_str().unwrap();
        let (_, detail) = app.get_json(&format!("/api/v1/procedures/{code}")).await;
        let text = motcua::text::fold(&detail.to_string());
        assert!(text.contains("phep") && text.contains("buu chinh"), "{code} does not match");
    }
    assert!(app.search_codes("q=khong+co+thu+tuc+nao+nhu+vay").await.is_empty());
}

#[tokio::test]
async fn the_dd_letter_folds_to_d() {
    let app = TestApp::spawn_demo().await;
    assert_eq!(
        app.search_codes("q=doi+the+nha+bao").await,
        app.search_codes("q=%C4%90%E1%BB%95i+th%E1%BA%BB+nh%C3%A0+b%C3%A1o").await
    );
    assert!(app.search_codes("q=doi+the+nha+bao").await.contains(&"1.004240".to_owned()));
}

#[tokio::test]
async fn procedures_with_the_words_in_their_name_come_first() {
    let app = TestApp::spawn_demo().await;
    let mut catalogue = app.export().await;
    let template = catalogue["procedures"][0].clone();
    let mut by_text = template.clone();
    by_text["code"] = json!("1.900001");
    by_text["name"] = json!("Cấp phép loại A");
    by_text["description"] = json!("Áp dụng cho trạm hải đăng ven biển.");
    by_text["status"] = json!("published");
    let mut by_name = template;
    by_name["code"] = json!("1.900002");
    by_name["name"] = json!("Xác nhận trạm hải đăng");
    by_name["status"] = json!("published");
    catalogue["procedures"] = json!([by_text, by_name]);
    assert_eq!(app.import(&catalogue).await.status(), StatusCode::OK);
    assert_eq!(app.search_codes("q=hai+dang").await, vec!["1.900002", "1.900001"]);
}

#[tokio::test]
async fn filters_narrow_the_catalogue() {
    let app = TestApp::spawn_demo().await;
    let all = app.search_codes("").await;
    let cases = [
        ("agency=000.05.00.G12", "agency_code", json!("000.05.00.G12")),
        ("field=SHTT", "field_code", json!("SHTT")),
        ("mode=partial_online", "online_mode", json!("partial_online")),
    ];
    for (query, key, expected) in cases {
        let (_, body) = app.get_json(&format!("/api/v1/procedures?per_page=100&{query}")).await;
        let items = body["items"].as_array().unwrap();
        assert!(!items.is_empty() && items.len() < all.len(), "{query}");
        assert!(items.iter().all(|p| p[key] == expected), "{query}");
    }
    let (_, citizens) = app.get_json("/api/v1/procedures?per_page=100&applicant=citizen").await;
    let items = citizens["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() < all.len());
    assert!(items.iter().all(|p| p["applicant_types"].as_array().unwrap().contains(&json!("citizen"))));
    assert!(app.search_codes("agency=KHONG.CO").await.is_empty(), "an unknown agency matches nothing");
    let combined = app.search_codes("field=SHTT&applicant=citizen&q=dang+ky").await;
    assert!(combined.contains(&"1.005221".to_owned()) && !combined.contains(&"1.005230".to_owned()));
}

#[tokio::test]
async fn pages_cover_the_catalogue_once() {
    let app = TestApp::spawn_demo().await;
    let (_, first) = app.get_json("/api/v1/procedures?per_page=20&page=1").await;
    let total = first["total"].as_u64().unwrap();
    assert_eq!(first["pages"].as_u64().unwrap(), total.div_ceil(20));
    let mut seen = Vec::new();
    for page in 1..=first["pages"].as_u64().unwrap() {
        let (_, body) = app.get_json(&format!("/api/v1/procedures?per_page=20&page={page}")).await;
        seen.extend(body["items"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_owned()));
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(seen.len() as u64, total);
    assert_eq!(unique.len(), seen.len());
    let (_, beyond) = app.get_json(&format!("/api/v1/procedures?page={}", first["pages"].as_u64().unwrap() + 1)).await;
    assert_eq!(beyond["items"], json!([]));
}

#[tokio::test]
async fn drafts_are_hidden_and_abolished_procedures_stay_readable() {
    let app = TestApp::spawn_demo().await;
    let listed = app.search_codes("").await;
    assert!(!listed.contains(&"2.001233".to_owned()), "draft listed");
    assert!(!listed.contains(&"1.000299".to_owned()), "abolished listed");
    let (status, body) = app.get_json("/api/v1/procedures/2.001233").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    let (status, abolished) = app.get_json("/api/v1/procedures/1.000299").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(abolished["status"], "abolished");
    assert_eq!(abolished["accepts_online_submission"], false);
}

#[tokio::test]
async fn a_procedure_carries_everything_an_applicant_needs() {
    let app = TestApp::spawn_demo().await;
    let (status, p) = app.get_json("/api/v1/procedures/1.004960").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["agency_name"], "Cục Tần số vô tuyến điện");
    assert_eq!(p["field_name"], "Tần số vô tuyến điện");
    assert_eq!(p["time_limit_days"], json!(20.0));
    assert_eq!(p["fee_total_vnd"], json!(330_000));
    assert_eq!(p["fees"].as_array().unwrap().len(), 2);
    assert!(p["documents"].as_array().unwrap().iter().all(|d| d["name"].is_string() && d["copy_kind"].is_string()));
    assert!(p["eform_schema"]["fields"].as_array().unwrap().iter().any(|f| f["type"] == "citizen_id"));
    assert_eq!(p["accepts_online_submission"], true);
}

#[tokio::test]
async fn bad_query_values_are_refused_with_the_fields_named() {
    let app = TestApp::spawn_demo().await;
    let res = app.get("/api/v1/procedures?mode=level4&page=abc&per_page=1000").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: Value = res.json().await.unwrap();
    let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["mode", "page", "per_page"]);
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("Giá trị"));
}

#[tokio::test]
async fn agencies_and_fields_are_listed_with_their_hierarchy() {
    let app = TestApp::spawn_demo().await;
    let (_, agencies) = app.get_json("/api/v1/agencies").await;
    let items = agencies["items"].as_array().unwrap();
    assert!(items.len() >= 4);
    let press = items.iter().find(|a| a["code"] == "000.01.00.G12").unwrap();
    assert_eq!(press["parent_code"], "000.00.00.G12");
    let ministries = items.iter().filter(|a| a["parent_code"].is_null() && a["level"] == "central").count();
    assert_eq!(ministries, 2);
    let (_, fields) = app.get_json("/api/v1/fields").await;
    assert!(fields["items"].as_array().unwrap().iter().any(|f| f["name"] == "Sở hữu trí tuệ"));
}

#[tokio::test]
async fn the_openapi_document_describes_routes_that_answer() {
    let app = TestApp::spawn_demo().await;
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for route in motcua::web::routes::TABLE.iter().filter(|r| r.path.starts_with("/api/")) {
        let documented = paths.get(route.path).and_then(|ops| ops.get(route.method.to_lowercase()));
        assert!(documented.is_some(), "{} {} is served but not documented", route.method, route.path);
    }
    for (path, ops) in paths {
        let Some(get) = ops.get("get") else { continue };
        if path == "/api/v1/dossiers/{code}/status" {
            continue; // needs a dossier: see dossiers::the_public_lookup_shows_status_and_dates_but_no_personal_data
        }
        let concrete = path.replace("{code}", "1.004227").replace("{id}", "khong-co");
        let res = app.admin().await.get(app.url(&concrete)).send().await.unwrap();
        if get.get("security").is_some() {
            assert_ne!(res.status(), StatusCode::NOT_FOUND, "{concrete} is documented but not served");
        } else {
            assert_eq!(res.status(), StatusCode::OK, "{concrete}");
        }
    }
}
