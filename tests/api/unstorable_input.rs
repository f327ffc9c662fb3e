//! Input that PostgreSQL text cannot hold (a NUL) or that no field should
//! (control characters) gets a clear 400 or 422 on every route, on both
//! engines — generated from the route table, as the authorization matrix is:
//! a NUL in every path parameter, in a query value and in a form value of
//! every route, and in JSON and multipart bodies.

use motcua::auth::role::Role;
use motcua::web::access::Access;
use motcua::web::routes::TABLE;
use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

fn with_params(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn a_nul_in_any_path_parameter_or_query_of_any_route_is_a_400() {
    let app = TestApp::spawn().await;
    let mut failures = Vec::new();
    for route in TABLE {
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let mut cases = vec![format!("{}?q=a%00b", with_params(route.path, "x"))];
        if route.path.contains('{') {
            cases.push(with_params(route.path, "x%00y"));
            cases.push(with_params(route.path, "x%1By"));
        }
        for path in cases {
            let status = app.admin().await.request(method.clone(), app.url(&path)).send().await.unwrap().status();
            if status != StatusCode::BAD_REQUEST {
                failures.push(format!("{} {path}: {status}", route.method));
            }
        }
    }
    assert!(failures.is_empty(), "{} routes let it through:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn a_nul_in_a_form_value_of_any_form_route_is_refused_and_changes_nothing() {
    let app = TestApp::spawn_with_sso().await;
    let everything = [Role::Admin, Role::Reception, Role::Specialist, Role::Leader];
    app.create_official("moi.vai.tro", &everything, Some("000.01.00.G12")).await;
    let official = TestApp::new_client();
    assert_eq!(
        app.sign_in_with(&official, "moi.vai.tro", crate::helpers::PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let applicant = TestApp::new_client();
    assert_eq!(app.sso_sign_in_with(&applicant, "nguyen-van-an").await.status(), StatusCode::SEE_OTHER);
    let anonymous = TestApp::new_client();
    use sea_orm::EntityTrait;
    let events_before = entity::dossier_event::Entity::find().all(&app.db).await.unwrap().len();
    let mut failures = Vec::new();
    for route in TABLE.iter().filter(|r| r.method == "POST") {
        let client = match route.access {
            Access::Public => &anonymous,
            Access::Applicant => &applicant,
            Access::Official | Access::Staff(_) => &official,
        };
        let token = app.csrf_of(client).await;
        let path = with_params(route.path, "x").replace("/thu-tuc/x", "/thu-tuc/1.004227");
        for (field, value) in [("note", "a\0b"), ("username", "tiep\0nhan"), ("reason", "lý do\u{1b}[2J")] {
            let form = [("_csrf", token.as_str()), (field, value), ("password", "mot-mat-khau-bat-ky")];
            let status = client.post(app.url(&path)).form(&form).send().await.unwrap().status().as_u16();
            // 422 from the form reader. A route that reads multipart (tested on its own below)
            // may refuse first for another reason: no such dossier (404), no CSRF header (403).
            let must_read_the_form = ["/can-bo/dang-nhap", "/can-bo/ho-so/x/y-kien", "/can-bo/ho-so/x/tu-choi"];
            if !matches!(status, 400 | 403 | 404 | 422)
                || (must_read_the_form.contains(&path.as_str()) && status != 422)
            {
                failures.push(format!("POST {path} with {field}: {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(entity::dossier_event::Entity::find().all(&app.db).await.unwrap().len(), events_before);
    let still = official.get(app.url("/can-bo")).send().await.unwrap().status();
    assert_eq!(still, StatusCode::OK, "the official is still signed in");
}

#[tokio::test]
async fn a_nul_in_json_or_multipart_text_is_refused() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let token = app.csrf_of(&app.client).await;
    let json = r#"{"procedure": "1.004227", "form": {"ho_ten": "An\u0000"}, "documents": []}"#;
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", &token)
        .header("content-type", "application/json")
        .body(json)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let form = reqwest::multipart::Form::new().text("procedure", "1.004227").text("form", r#"{"ho_ten": "An\u0000"}"#);
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", &token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let admin_token = app.csrf_of(app.admin().await).await;
    let catalogue = r#"{"format": "motcua-catalogue", "version": 1, "agencies": [{"code": "A\u0000"}]}"#;
    let res = app
        .admin()
        .await
        .put(app.url("/api/v1/admin/catalogue"))
        .header("X-CSRF-Token", admin_token)
        .header("content-type", "application/json")
        .body(catalogue)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(entity::dossier::Entity::find().count(&app.db).await.unwrap(), 0, "nothing stored");
}
