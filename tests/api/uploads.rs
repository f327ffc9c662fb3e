//! Applicants upload documents into their own store: checked by content,
//! limited in size, hashed, and readable by their owner only.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
    with_token: bool,
) -> reqwest::Response {
    let form =
        Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/pdf").unwrap());
    let mut request = client.post(app.url("/api/v1/uploads")).multipart(form);
    if with_token {
        request = request.header("X-CSRF-Token", app.csrf_of(client).await);
    }
    request.send().await.unwrap()
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

#[tokio::test]
async fn an_applicant_uploads_a_pdf_and_gets_the_same_bytes_back() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let bytes = pdf(300 * 1024);
    let res = upload(&app, &app.client, "Tờ khai (bản ký).pdf", bytes.clone(), true).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let kept: Value = res.json().await.unwrap();
    assert_eq!(kept["kind"], "pdf");
    assert_eq!(kept["size"], 300 * 1024);
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(kept["sha256"], sha);
    assert_eq!(kept["name"], "Tờ khai (bản ký).pdf");

    let (_, list) = app.get_json("/api/v1/uploads").await;
    assert_eq!(list["total"], 1);
    let res = app.get(&format!("/api/v1/uploads/{}", kept["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename*=UTF-8''T%E1%BB%9D")
    );
    assert_eq!(&res.bytes().await.unwrap()[..], &bytes[..]);
}

#[tokio::test]
async fn a_word_document_is_recognised_by_its_content() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("cong-ty-sao-mai").await;
    let docx =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/forms/don-giay-phep-buu-chinh.docx")).unwrap();
    let res = upload(&app, &app.client, "don.pdf", docx, true).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let kept: Value = res.json().await.unwrap();
    assert_eq!(kept["kind"], "docx");
    assert_eq!(kept["name"], "don.docx", "the content decides the extension");
}

#[tokio::test]
async fn a_program_renamed_pdf_and_an_empty_file_are_refused_and_nothing_is_kept() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode.".to_vec();
    let res = upload(&app, &app.client, "giay-to.pdf", exe, true).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "unsupported_type");
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("PDF, JPEG, PNG hoặc DOCX"));
    let res = upload(&app, &app.client, "rong.pdf", Vec::new(), true).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = app.get_json("/api/v1/uploads").await;
    assert_eq!(list["total"], 0);
    let leftovers = std::fs::read_dir(app.data_dir().join("tmp")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "no temporary file stays behind");
}

#[tokio::test]
async fn an_oversize_file_is_stopped_and_not_kept() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let res = upload(&app, &app.client, "lon.pdf", pdf(10 * 1024 * 1024 + 1), true).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "too_large");
    let (_, list) = app.get_json("/api/v1/uploads").await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let res = upload(&app, &app.client, "a.pdf", pdf(1000), false).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, list) = app.get_json("/api/v1/uploads").await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn nobody_else_reads_an_applicants_document() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let kept: Value = upload(&app, &app.client, "rieng-tu.pdf", pdf(2000), true).await.json().await.unwrap();
    let path = format!("/api/v1/uploads/{}", kept["id"].as_str().unwrap());

    let other = TestApp::new_client();
    assert_eq!(app.sso_sign_in_with(&other, "tran-thi-binh").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(other.get(app.url(&path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let (_, theirs) = crate::helpers::get_html_with(&other, &app.url("/api/v1/uploads")).await;
    assert!(theirs.contains("\"total\":0"));
    assert_eq!(TestApp::new_client().get(app.url(&path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.admin().await.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "not even an admin"
    );
}
