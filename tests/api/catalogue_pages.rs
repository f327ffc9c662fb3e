//! The catalogue pages, over the demo catalogue (see `catalogue_api`).

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_catalogue_page_searches_without_diacritics() {
    let app = TestApp::spawn_demo().await;
    let (status, html) = app.get_html("/thu-tuc?q=giay+phep+buu+chinh").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Cấp giấy phép bưu chính"));
    assert!(!html.contains("Cấp thẻ nhà báo"));
    assert!(html.contains("<label for=\"q\">"), "the search box has a label");
    assert!(html.contains("value=\"giay phep buu chinh\""), "the query is kept in the box");
}

#[tokio::test]
async fn the_catalogue_page_filters_and_pages() {
    let app = TestApp::spawn_demo().await;
    let (_, html) = app.get_html("/thu-tuc?field=SHTT").await;
    assert!(html.contains("Đăng ký nhãn hiệu"));
    assert!(!html.contains("Cấp thẻ nhà báo"));
    assert!(html.contains("<option value=\"SHTT\" selected>"));
    let (_, first) = app.get_html("/thu-tuc").await;
    assert!(first.contains("rel=\"next\" href=\"/thu-tuc?page=2\""), "a link to the next page");
    let (_, second) = app.get_html("/thu-tuc?page=2").await;
    assert!(second.contains("rel=\"prev\""));
    assert_ne!(first, second);
}

#[tokio::test]
async fn the_procedure_page_shows_documents_fees_and_the_way_in() {
    let app = TestApp::spawn_demo().await;
    let (status, html) = app.get_html("/thu-tuc/1.004227").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1 id=\"procedure-title\">Cấp thẻ nhà báo</h1>"));
    assert!(html.contains("Cục Báo chí"));
    assert!(html.contains("30 ngày làm việc"));
    assert!(html.contains("100.000 đ"), "fees in Vietnamese grouping");
    assert!(html.contains("Tờ khai đề nghị cấp thẻ nhà báo (Mẫu số 01)"));
    assert!(html.contains("Luật Báo chí số 103/2016/QH13"));
    assert!(html.contains("href=\"/thu-tuc/1.004227/nop-ho-so\">Nộp hồ sơ trực tuyến</a>"));
    let res = app.get("/thu-tuc/1.004227/nop-ho-so").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "applicants sign in to submit");
    assert_eq!(crate::helpers::location(&res), "/dang-nhap?next=%2Fthu-tuc%2F1.004227%2Fnop-ho-so");
    let template = app.get("/static/forms/mau-01-the-nha-bao.docx").await;
    assert_eq!(template.status(), StatusCode::OK, "the blank form downloads");
    assert!(template.bytes().await.unwrap().starts_with(b"PK"), "a real DOCX (zip) file");
}

#[tokio::test]
async fn every_template_the_demo_links_to_exists() {
    let app = TestApp::spawn_demo().await;
    let catalogue = app.export().await;
    for p in catalogue["procedures"].as_array().unwrap() {
        for d in p["documents"].as_array().unwrap() {
            if let Some(file) = d["template_file"].as_str() {
                assert_eq!(app.get(&format!("/static/forms/{file}")).await.status(), StatusCode::OK, "{file}");
            }
        }
    }
}

#[tokio::test]
async fn an_abolished_procedure_is_readable_but_takes_no_dossier() {
    let app = TestApp::spawn_demo().await;
    let (status, html) = app.get_html("/thu-tuc/1.000299").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Thủ tục đã bãi bỏ."));
    assert!(!html.contains("/nop-ho-so"), "no way to submit");
}

#[tokio::test]
async fn information_only_procedures_offer_no_online_submission() {
    let app = TestApp::spawn_demo().await;
    let (_, html) = app.get_html("/thu-tuc/1.004981").await;
    assert!(html.contains("Cung cấp thông tin"));
    assert!(!html.contains("/nop-ho-so"));
}

#[tokio::test]
async fn a_draft_is_not_found_by_the_public() {
    let app = TestApp::spawn_demo().await;
    let (status, html) = app.get_html("/thu-tuc/2.001233").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
}

#[tokio::test]
async fn english_is_one_switch_away_and_sticks() {
    let app = TestApp::spawn_demo().await;
    let (_, vi) = app.get_html("/thu-tuc").await;
    assert!(vi.contains("<html lang=\"vi\">") && vi.contains("Danh mục thủ tục hành chính"));
    assert!(vi.contains("href=\"/thu-tuc?lang=en\""));
    let (_, en) = app.get_html("/thu-tuc?lang=en").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Catalogue of administrative procedures"));
    let (_, still_en) = app.get_html("/thu-tuc/1.004227").await;
    assert!(still_en.contains("Required documents"), "the choice is remembered");
    let (_, back) = app.get_html("/?lang=vi").await;
    assert!(back.contains("Dịch vụ công trực tuyến"));
}
