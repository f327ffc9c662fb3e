//! Admins manage agencies and units, the tree officials and procedures hang on.

use reqwest::StatusCode;

use crate::helpers::{TestApp, decode_entities, get_html_with};

#[tokio::test]
async fn an_admin_adds_a_unit_under_an_agency_and_renames_it() {
    let app = TestApp::spawn().await;
    let (status, page) = get_html_with(app.admin().await, &app.url("/quan-tri/co-quan")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cục Báo chí") && page.contains("<label for=\"parent_code\">"));
    let unit = [
        ("code", "000.01.01.G12"),
        ("name", "Phòng Quản lý báo in"),
        ("parent_code", "000.01.00.G12"),
        ("level", "central"),
    ];
    assert_eq!(app.post_form_with(app.admin().await, "/quan-tri/co-quan", &unit).await.status(), StatusCode::SEE_OTHER);
    let (_, agencies) = app.get_json("/api/v1/agencies").await;
    let added = agencies["items"].as_array().unwrap().iter().find(|a| a["code"] == "000.01.01.G12").cloned().unwrap();
    assert_eq!(added["parent_code"], "000.01.00.G12");

    let (status, form) = get_html_with(app.admin().await, &app.url("/quan-tri/co-quan/000.01.01.G12")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"Phòng Quản lý báo in\""));
    let renamed = [("name", "Phòng Báo in"), ("parent_code", "000.01.00.G12"), ("level", "central")];
    assert_eq!(
        app.post_form_with(app.admin().await, "/quan-tri/co-quan/000.01.01.G12", &renamed).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, agencies) = app.get_json("/api/v1/agencies").await;
    assert!(agencies["items"].as_array().unwrap().iter().any(|a| a["name"] == "Phòng Báo in"));
}

#[tokio::test]
async fn a_loop_in_the_tree_a_bad_code_and_a_taken_code_are_refused() {
    let app = TestApp::spawn().await;
    // Making the ministry a child of its own department would loop.
    let looping = [("name", "Bộ Thông tin và Truyền thông"), ("parent_code", "000.01.00.G12"), ("level", "central")];
    let res = app.post_form_with(app.admin().await, "/quan-tri/co-quan/000.00.00.G12", &looping).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("Không tồn tại trong danh mục."));
    let bad = [("code", "co quan moi"), ("name", "Cơ quan"), ("parent_code", ""), ("level", "central")];
    let res = app.post_form_with(app.admin().await, "/quan-tri/co-quan", &bad).await;
    assert!(decode_entities(&res.text().await.unwrap()).contains("Mã định danh cơ quan chỉ gồm chữ in hoa"));
    let taken = [("code", "000.01.00.G12"), ("name", "Trùng mã"), ("parent_code", ""), ("level", "central")];
    let res = app.post_form_with(app.admin().await, "/quan-tri/co-quan", &taken).await;
    assert!(decode_entities(&res.text().await.unwrap()).contains("Mã này đã được dùng."));
    let (_, agencies) = app.get_json("/api/v1/agencies").await;
    let ministry =
        agencies["items"].as_array().unwrap().iter().find(|a| a["code"] == "000.00.00.G12").cloned().unwrap();
    assert!(ministry["parent_code"].is_null(), "nothing changed");
}
