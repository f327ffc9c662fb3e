//! Driving the dossier pages as a browser does: multipart posts with the
//! session's CSRF token, files per document slot.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, decode_entities, get_html_with, location};

/// Procedure 1.004227 "Cấp thẻ nhà báo": citizens, three required documents,
/// received by the reception officer of Cục Báo chí (000.01.00.G12).
pub const PRESS_CARD: &str = "1.004227";
/// Procedure 1.004236: the same agency, received automatically.
pub const PRESS_CARD_REISSUE: &str = "1.004236";

/// A PDF of `size` bytes whose content depends on `tag`.
pub fn pdf(size: usize, tag: &str) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.7\n% {tag}\n").into_bytes();
    bytes.resize(size.saturating_sub(6), b'x');
    bytes.extend_from_slice(b"\n%%EOF");
    bytes
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What the e-form of 1.004227 needs beyond what SSO pre-fills.
pub fn press_card_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("ho_ten", "Nguyễn Văn An"),
        ("so_dinh_danh", "001090012345"),
        ("ngay_sinh", "1990-09-05"),
        ("dia_chi", "Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"),
        ("dien_thoai", "0912345678"),
        ("email", "an.nguyen@example.vn"),
    ]
}

pub fn attribute(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().into()
}

/// A multipart form: the text fields, then `(slot field, file name, bytes)`.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (field, name, bytes) in files {
        form = form.part(field.to_string(), Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    form
}

/// The start page of `procedure`: its markup, CSRF token and draft token.
pub async fn start_page(app: &TestApp, client: &reqwest::Client, procedure: &str) -> (String, String, String) {
    let (status, html) = get_html_with(client, &app.url(&format!("/thu-tuc/{procedure}/nop-ho-so"))).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let csrf = attribute(&html, "_csrf");
    let token = attribute(&html, "draft_token");
    (html, csrf, token)
}

pub async fn post_multipart(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> reqwest::Response {
    client.post(app.url(path)).multipart(multipart(fields, files)).send().await.unwrap()
}

/// The three documents of 1.004227, distinct bytes each.
pub fn press_card_files() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("file.1", "to-khai.pdf", pdf(200 * 1024, "to khai")),
        ("file.2", "hop-dong.pdf", pdf(200 * 1024, "hop dong")),
        ("file.3", "anh.pdf", pdf(20 * 1024, "anh")),
    ]
}

/// Fills the e-form of `procedure` with `fields` and `files` and goes to the
/// review; returns the dossier's id.
pub async fn fill_draft(
    app: &TestApp,
    client: &reqwest::Client,
    procedure: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> String {
    let (_, csrf, token) = start_page(app, client, procedure).await;
    let mut all = vec![("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "review")];
    all.extend_from_slice(fields);
    let res = post_multipart(app, client, &format!("/thu-tuc/{procedure}/nop-ho-so"), &all, files).await;
    if res.status() != StatusCode::SEE_OTHER {
        panic!("{}: {}", res.status(), decode_entities(&res.text().await.unwrap_or_default()));
    }
    let target = location(&res);
    assert!(target.ends_with("/xem-lai"), "{target}");
    target.trim_start_matches("/ho-so/").trim_end_matches("/xem-lai").to_owned()
}

/// Submits the reviewed draft `id`; returns the response.
pub async fn submit(app: &TestApp, client: &reqwest::Client, id: &str) -> reqwest::Response {
    let (status, html) = get_html_with(client, &app.url(&format!("/ho-so/{id}/xem-lai"))).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let csrf = attribute(&html, "_csrf");
    client.post(app.url(&format!("/ho-so/{id}/nop"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap()
}

/// A complete online dossier of 1.004227 by `client`; returns (id, code).
pub async fn submitted_press_card(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let id = fill_draft(app, client, PRESS_CARD, &press_card_fields(), &press_card_files()).await;
    let res = submit(app, client, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(app, client, &id).await;
    (id, d["code"].as_str().expect("a code").to_owned())
}

/// As `submitted_press_card` by the applicant signed in on `app.client`, with
/// its fee paid online: the desk then receives it at once (NĐ 297/2025 Art. 6).
pub async fn paid_press_card(app: &TestApp) -> (String, String) {
    let (id, code) = submitted_press_card(app, &app.client).await;
    crate::payments::pay_in_full(app, &id).await;
    (id, code)
}

pub async fn dossier_json(app: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let res = client.get(app.url(&format!("/api/v1/dossiers/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Number of dossiers in the database, whatever their state.
pub async fn dossier_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::dossier::Entity::find().count(&app.db).await.unwrap()
}

pub async fn upload_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::upload::Entity::find().count(&app.db).await.unwrap()
}

/// Signs `client` in as the official `username` (a test created, or the press office's).
pub async fn official(app: &TestApp, username: &str) -> reqwest::Client {
    let client = TestApp::new_client();
    let res = app.sign_in_with(&client, username, crate::helpers::password_of(username)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{username} signs in");
    client
}

/// Posts a reception action on dossier `id` with its current version.
pub async fn reception_action(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    action: &str,
    note: &str,
) -> reqwest::Response {
    let (_, html) = get_html_with(client, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    let csrf = attribute(&html, "_csrf");
    let version = attribute(&html, "version");
    let form = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("note", note)];
    client.post(app.url(&format!("/can-bo/ho-so/{id}/{action}"))).form(&form).send().await.unwrap()
}

/// The text of a PDF as poppler's `pdftotext` reads it: a real reader,
/// proving the file opens and the text is real text, not pictures.
/// Runs `check` on the text of a PDF. Outside CI a machine without pdftotext
/// skips the text checks (and says so); CI requires it.
pub fn check_pdf_text(bytes: &[u8], check: impl FnOnce(&str)) {
    if let Some(text) = pdf_text(bytes) {
        check(&text);
    }
}

pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    match std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext refused the PDF: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) if std::env::var_os("CI").is_some() => panic!("pdftotext (poppler-utils) must be installed in CI"),
        Err(_) => {
            eprintln!("pdftotext is not installed (bash .ci/run installs poppler-utils): text not checked");
            None
        }
    }
}

/// The messages the file mailer wrote, oldest first.
pub fn mail_files(app: &TestApp) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(app.data_dir().join("mail")) else { return Vec::new() };
    let mut files: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
    files.sort_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap());
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// The e-mails queued so far, as frozen in the outbox.
pub async fn queued_mails(app: &TestApp) -> Vec<Value> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("email"))
        .order_by_asc(entity::outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|row| serde_json::from_str(&row.payload).unwrap())
        .collect()
}

/// Regular files under `dir`, however deep (empty folders do not count).
pub fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.map(|e| e.unwrap().path()).map(|p| if p.is_dir() { files_under(&p) } else { 1 }).sum()
}

/// Posts workflow `action` on dossier `id` as `client`, with `fields` and an optional result document.
pub async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    action: &str,
    fields: &[(&str, &str)],
    result: Option<Vec<u8>>,
) -> reqwest::Response {
    // The version as the database has it: an official the step is not for has no form to read it from.
    let version = state_of(app, id).await.version.to_string();
    let csrf = app.csrf_of(client).await;
    let mut form = Form::new().text("_csrf", csrf).text("version", version);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = result {
        form = form.part("result_document", Part::bytes(bytes).file_name("ket-qua.pdf"));
    }
    client.post(app.url(&format!("/can-bo/ho-so/{id}/xu-ly/{action}"))).multipart(form).send().await.unwrap()
}

pub async fn state_of(app: &TestApp, id: &str) -> entity::dossier::Model {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::dossier::Entity::find()
        .filter(entity::dossier::Column::PublicId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The applicant signed in on `app.client` answers the supplement asked of
/// dossier `id` from its page, with `note` and `files`; returns the response.
pub async fn answer_supplement(
    app: &TestApp,
    id: &str,
    note: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> reqwest::Response {
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    let (csrf, version) = (attribute(&page, "_csrf"), attribute(&page, "version"));
    let fields = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("note", note)];
    post_multipart(app, &app.client, &format!("/ho-so/{id}/bo-sung"), &fields, files).await
}

/// The national sync messages queued for dossier `code`, oldest first.
pub async fn sync_messages(app: &TestApp, code: &str) -> Vec<Value> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("national_sync"))
        .filter(entity::outbox::Column::OrderingKey.eq(code))
        .order_by_asc(entity::outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|row| serde_json::from_str(&row.payload).unwrap())
        .collect()
}
