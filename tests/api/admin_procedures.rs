use reqwest::StatusCode;

use crate::helpers::{TestApp, as_pairs, location, procedure_form};

#[tokio::test]
async fn admin_pages_ask_an_official_to_sign_in() {
    let app = TestApp::spawn().await;
    let res = app.get("/quan-tri/thu-tuc").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/can-bo/dang-nhap?next=%2Fquan-tri%2Fthu-tuc");
    let res = app.client.get(app.url("/api/v1/admin/catalogue")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app.client.get(app.url("/api/v1/admin/catalogue")).bearer_auth("demo-admin-token").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the old admin token is gone");
}

#[tokio::test]
async fn an_official_without_the_admin_role_is_refused() {
    let app = TestApp::spawn().await;
    app.sign_in_official("chuyenvien").await;
    assert_eq!(app.get("/quan-tri/thu-tuc").await.status(), StatusCode::FORBIDDEN);
    let res = app.post_form("/quan-tri/thu-tuc/1.004227/bai-bo", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, p) = app.get_json("/api/v1/procedures/1.004227").await;
    assert_eq!(p["status"], "published", "nothing changed");
}

#[tokio::test]
async fn a_form_post_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let form = procedure_form("1.910001", "Thủ tục không có mã CSRF");
    let res = app.client.post(app.url("/quan-tri/thu-tuc")).form(&as_pairs(&form)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut forged = as_pairs(&form);
    forged.push(("_csrf", "forged"));
    let res = app.client.post(app.url("/quan-tri/thu-tuc")).form(&forged).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.get_json("/api/v1/procedures/1.910001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(app.export().await["procedures"].as_array().unwrap().iter().all(|p| p["code"] != "1.910001"));
}

#[tokio::test]
async fn an_admin_creates_publishes_edits_and_abolishes_a_procedure() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let form = procedure_form("1.910002", "Cấp giấy phép thử nghiệm dịch vụ chuyển phát");
    let res = app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // A new procedure is a draft: the admin sees it, the public does not.
    let (_, list) = app.get_html("/quan-tri/thu-tuc?status=draft").await;
    assert!(list.contains("Cấp giấy phép thử nghiệm dịch vụ chuyển phát"));
    assert!(!app.search_codes("q=chuyen+phat").await.contains(&"1.910002".to_owned()));

    assert_eq!(app.post_form("/quan-tri/thu-tuc/1.910002/cong-bo", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(app.search_codes("q=chuyen+phat").await.contains(&"1.910002".to_owned()));
    let (_, p) = app.get_json("/api/v1/procedures/1.910002").await;
    assert_eq!(p["time_limit"]["hours"], 60, "7,5 working days");
    assert_eq!(p["fees"][0]["amount_vnd"], 1_500_000);
    assert_eq!(p["version"], 2);

    let mut edited = procedure_form("1.910002", "Cấp giấy phép thử nghiệm dịch vụ bưu chính quốc tế");
    edited.retain(|(k, _)| *k != "version");
    edited.push(("version", "2".into()));
    assert_eq!(
        app.post_form("/quan-tri/thu-tuc/1.910002/sua", &as_pairs(&edited)).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, p) = app.get_json("/api/v1/procedures/1.910002").await;
    assert_eq!(p["name"], "Cấp giấy phép thử nghiệm dịch vụ bưu chính quốc tế");
    assert_eq!(p["status"], "published", "editing keeps the status");
    assert!(app.search_codes("q=buu+chinh+quoc+te").await.contains(&"1.910002".to_owned()), "search sees the new name");
    assert!(!app.search_codes("q=chuyen+phat").await.contains(&"1.910002".to_owned()), "and forgets the old one");

    assert_eq!(app.post_form("/quan-tri/thu-tuc/1.910002/bai-bo", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(!app.search_codes("").await.contains(&"1.910002".to_owned()));
    let (status, p) = app.get_json("/api/v1/procedures/1.910002").await;
    assert_eq!((status, p["status"].as_str()), (StatusCode::OK, Some("abolished")));
    let res = app.post_form("/quan-tri/thu-tuc/1.910002/cong-bo", &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "an abolished procedure stays abolished");
}

#[tokio::test]
async fn invalid_input_is_shown_next_to_the_fields_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let before = app.export().await;
    let mut form = procedure_form("1.91", "Cấp");
    for (key, value) in form.iter_mut() {
        match *key {
            "agency_code" => *value = "KHONG.TON.TAI".into(),
            "time_limit_days" => *value = "2,25".into(),
            "fee_amount" => *value = "một triệu".into(),
            "eform_schema" => *value = "{\"fields\": [".into(),
            "for_business" => *value = String::new(),
            _ => {}
        }
    }
    form.retain(|(k, _)| *k != "for_business");
    let res = app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in ["Thời hạn phải là số ngày nguyên hoặc nửa ngày", "Biểu mẫu điện tử không phải JSON hợp lệ"]
    {
        assert!(html.contains(message), "missing message: {message}");
    }
    assert!(html.contains("value=\"một triệu\""), "what the admin typed is kept");
    // The form is parsed first; once it parses, the rules speak.
    let mut form = procedure_form("1.91", "Cấp");
    form.retain(|(k, _)| *k != "for_business");
    for (key, value) in form.iter_mut() {
        if *key == "agency_code" {
            *value = "KHONG.TON.TAI".into();
        }
    }
    let html = app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await.text().await.unwrap();
    for message in [
        "Mã thủ tục không đúng định dạng",
        "Cần từ 5 đến 500 ký tự.",
        "Chọn ít nhất một đối tượng thực hiện.",
        "Không tồn tại trong danh mục.",
    ] {
        assert!(html.contains(message), "missing message: {message}");
    }
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(app.export().await, before, "nothing changed");
}

#[tokio::test]
async fn a_taken_code_is_refused() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let before = app.export().await;
    let res = app.post_form("/quan-tri/thu-tuc", &as_pairs(&procedure_form("1.004227", "Một thủ tục trùng mã"))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Mã này đã được dùng."));
    assert_eq!(app.export().await, before);
}

#[tokio::test]
async fn of_two_admins_editing_the_same_version_only_one_wins() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let (_, p) = app.get_json("/api/v1/procedures/1.004227").await;
    let version = p["version"].as_i64().unwrap().to_string();
    let edit = |name: &str| {
        let mut form = procedure_form("1.004227", name);
        form.retain(|(k, _)| *k != "version");
        form.push(("version", version.clone()));
        form
    };
    let (a, b) = (edit("Sửa đổi giấy phép bưu chính (bản A)"), edit("Sửa đổi giấy phép bưu chính (bản B)"));
    let (pa, pb) = (as_pairs(&a), as_pairs(&b));
    let (ra, rb) = tokio::join!(
        app.post_form("/quan-tri/thu-tuc/1.004227/sua", &pa),
        app.post_form("/quan-tri/thu-tuc/1.004227/sua", &pb)
    );
    let mut statuses = [ra.status(), rb.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let (_, after) = app.get_json("/api/v1/procedures/1.004227").await;
    assert_eq!(after["version"].as_i64().unwrap(), p["version"].as_i64().unwrap() + 1);
}

#[tokio::test]
async fn the_edit_form_shows_the_stored_procedure() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let (status, html) = app.get_html("/quan-tri/thu-tuc/1.004227/sua").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"Cấp thẻ nhà báo\""));
    assert!(html.contains("value=\"100000\""), "its fee");
    assert!(html.contains("<label for=\"time_limit_days\">"));
}

#[tokio::test]
async fn a_procedure_must_name_a_workflow_that_exists() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let before = app.export().await;
    let mut form = procedure_form("1.910009", "Cấp giấy phép thử nghiệm quy trình");
    form.retain(|(k, _)| *k != "workflow_key");
    form.push(("workflow_key", "quy-trinh-khong-co".into()));
    let res = app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Không có quy trình với mã này"), "said next to the field");
    assert!(html.contains("<option value=\"mot-cua-3-buoc\""), "the admin picks from the workflows there are");
    assert_eq!(app.export().await, before, "nothing changed");
}

#[tokio::test]
async fn a_per_item_fee_counts_with_a_number_field_of_the_form() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let mut form = procedure_form("1.910010", "Cấp giấy phép thử nghiệm tính phí theo số lượng");
    form.push(("fee_per_item", "ten".into()));
    let res = app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "`ten` is a text field");
    assert!(res.text().await.unwrap().contains("Phải là mã một trường kiểu số"));
    for (key, value) in form.iter_mut() {
        match *key {
            "eform_schema" => {
                *value = r#"{"fields":[{"name":"ten","label":"Tên","type":"text","required":true},
                    {"name":"so_luong","label":"Số lượng","type":"number","required":true}]}"#
                    .into()
            }
            "fee_per_item" => *value = "so_luong".into(),
            _ => {}
        }
    }
    assert_eq!(app.post_form("/quan-tri/thu-tuc", &as_pairs(&form)).await.status(), StatusCode::SEE_OTHER);
    let exported = app.export().await;
    let p = exported["procedures"].as_array().unwrap().iter().find(|p| p["code"] == "1.910010").unwrap().clone();
    assert_eq!(p["fees"][0]["per_item"], "so_luong", "kept, and exported with the catalogue");
}
