//! Integrators submit dossiers over the JSON API: naming files uploaded
//! before, or sending them in one multipart request; a retried request with
//! the same `Idempotency-Key` gets the same dossier, never a second one.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::dossier_support::*;
use crate::helpers::{Options, TestApp};
use crate::services::service;

async fn upload(app: &TestApp, client: &reqwest::Client, csrf: &str, name: &str, bytes: Vec<u8>) -> String {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let res =
        client.post(app.url("/api/v1/uploads")).header("X-CSRF-Token", csrf).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub fn press_card_form() -> Value {
    json!({
        "ho_ten": "Nguyễn Văn An", "so_dinh_danh": "001090012345", "ngay_sinh": "05/09/1990",
        "dia_chi": "Số 1 phố Tràng Tiền, Hà Nội", "dien_thoai": "+84 912 345 678", "email": "an.nguyen@example.vn"
    })
}

async fn signed_in(app: &TestApp) -> String {
    app.sso_sign_in("nguyen-van-an").await;
    app.csrf_of(&app.client).await
}

#[tokio::test]
async fn a_retried_request_with_the_same_key_gets_the_same_dossier() {
    let app = TestApp::spawn_with_sso().await;
    let csrf = signed_in(&app).await;
    let mut documents = Vec::new();
    for (slot, (_, name, bytes)) in press_card_files().into_iter().enumerate() {
        documents.push(json!({"slot": slot + 1, "upload": upload(&app, &app.client, &csrf, name, bytes).await}));
    }
    let body = json!({"procedure": PRESS_CARD, "form": press_card_form(), "documents": documents});
    let send = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/dossiers"))
            .header("X-CSRF-Token", csrf.as_str())
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    // Three identical requests at once (a client retrying on a timeout): one
    // creates the dossier; one still in flight is told to retry (409); a retry
    // afterwards gets the same dossier (200, replayed).
    let (a, b, c) = tokio::join!(send("k-001", body.clone()), send("k-001", body.clone()), send("k-001", body.clone()));
    let mut ids = Vec::new();
    let mut created = 0;
    for res in [a.unwrap(), b.unwrap(), c.unwrap(), send("k-001", body.clone()).await.unwrap()] {
        let status = res.status();
        assert!(matches!(status, StatusCode::CREATED | StatusCode::OK | StatusCode::CONFLICT), "{status}");
        if status == StatusCode::CONFLICT {
            continue;
        }
        created += usize::from(status == StatusCode::CREATED);
        let replayed = res.headers().get("idempotent-replayed").is_some();
        assert_eq!(replayed, status == StatusCode::OK);
        let json: Value = res.json().await.unwrap();
        assert_eq!(json["status"], "submitted");
        ids.push(json["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(created, 1, "one request created it");
    assert!(ids.len() >= 2, "the first and the later retry");
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "every answer names the same dossier");
    assert_eq!(dossier_count(&app).await, 1);
    assert_eq!(queued_mails(&app).await.len(), 1);
    let d = dossier_json(&app, &app.client, &ids[0]).await;
    assert_eq!(d["form_data"]["dien_thoai"], "0912345678", "normalised like the web form");
    // Files named from the applicant's store are reused documents (QĐ 766 indicator 4.3), and the national record says so.
    assert!(d["documents"].as_array().unwrap().iter().all(|x| x["origin"] == "reused"), "{}", d["documents"]);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let record = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::OrderingKey.eq(d["code"].as_str().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the submission's record");
    let record: Value = serde_json::from_str(&record.payload).unwrap();
    assert_eq!(record["data"][0]["HoSoCoThanhPhanSoHoa"], 1);
    assert_eq!(record["data"][0]["TaiLieuNop"][0]["DuocTaiSuDung"], 1);
    assert_eq!(d["documents"].as_array().unwrap().len(), 3, "the documents once, not once per retry");

    // The same key for another request is refused, and changes nothing.
    let mut other = body.clone();
    other["form"]["dia_chi"] = json!("Địa chỉ khác");
    let res = send("k-001", other).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(dossier_count(&app).await, 1);
    // A new key is a new dossier, with the next code.
    let res = send("k-002", body.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.json::<Value>().await.unwrap()["code"].as_str().unwrap().ends_with("-0002"));
    let (_, list) = app.get_json("/api/v1/dossiers").await;
    assert_eq!(list["total"], 2);
}

#[tokio::test]
async fn a_multipart_submission_carries_its_files() {
    let app = TestApp::spawn_with_sso().await;
    let csrf = signed_in(&app).await;
    let files = press_card_files();
    let mut form = Form::new().text("procedure", PRESS_CARD).text("form", press_card_form().to_string());
    for (field, name, bytes) in &files {
        form = form.part(field.to_string(), Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", csrf.as_str())
        .header("Idempotency-Key", "mp-1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let d = dossier_json(&app, &app.client, &id).await;
    let hashes: Vec<&str> = d["documents"].as_array().unwrap().iter().map(|x| x["sha256"].as_str().unwrap()).collect();
    assert_eq!(hashes, files.iter().map(|(_, _, b)| sha256(b)).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_refused_submission_leaves_no_dossier_and_no_file() {
    let app = TestApp::spawn_with_sso().await;
    let csrf = signed_in(&app).await;
    let post = |form: Form| {
        app.client.post(app.url("/api/v1/dossiers")).header("X-CSRF-Token", csrf.as_str()).multipart(form).send()
    };
    // Two of three required documents, and a bad personal ID.
    let mut bad = press_card_form();
    bad["so_dinh_danh"] = json!("12345");
    let files = press_card_files();
    let mut form = Form::new().text("procedure", PRESS_CARD).text("form", bad.to_string());
    for (field, name, bytes) in &files[..2] {
        form = form.part(field.to_string(), Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    let res = post(form).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = res.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"so_dinh_danh") && fields.contains(&"documents.3"), "{problem}");
    assert_eq!((dossier_count(&app).await, upload_count(&app).await), (0, 0), "nothing is left behind");
    let objects = files_under(&app.data_dir().join("files"));
    assert_eq!(objects, 0, "no stored object is orphaned");

    // Wrong types, an unknown procedure, a file in a slot that does not exist, no CSRF token.
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", csrf.as_str())
        .json(&json!({"procedure": PRESS_CARD, "form": [1, 2]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", csrf.as_str())
        .json(&json!({"procedure": "9.999999", "form": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let form = Form::new().text("procedure", PRESS_CARD).part("file.9", Part::bytes(pdf(1000, "x")).file_name("x.pdf"));
    assert_eq!(post(form).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res =
        app.client.post(app.url("/api/v1/dossiers")).json(&json!({"procedure": PRESS_CARD})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!((dossier_count(&app).await, upload_count(&app).await), (0, 0));
}

#[tokio::test]
async fn s3_stores_and_serves_the_dossiers_files_unchanged() {
    if service("MOTCUA_TEST_S3_ENDPOINT").is_none() {
        return;
    }
    let app = TestApp::spawn_with(Options { sso: true, s3: true, ..Options::default() }).await;
    if let motcua::storage::Storage::S3(s3) = &app.state.storage {
        s3.ensure_bucket().await.expect("the test bucket");
    }
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let d = dossier_json(&app, &app.client, &id).await;
    for (doc, (_, _, bytes)) in d["documents"].as_array().unwrap().iter().zip(press_card_files()) {
        // The portal checks who asks, then hands out a short-lived presigned address.
        let res = app.get(&format!("/ho-so/{id}/tep/{}", doc["upload_id"].as_str().unwrap())).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let presigned = crate::helpers::location(&res);
        assert!(presigned.contains("X-Amz-Signature=") && presigned.contains("X-Amz-Expires=300"), "{presigned}");
        let res = reqwest::get(&presigned).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(&bytes), "same bytes back from S3");
    }
    assert!(!app.data_dir().join("files").exists(), "nothing went to the local folder");
}

#[tokio::test]
async fn the_receipt_mail_reaches_a_real_smtp_server() {
    let (Some(_), Some(maildir)) = (service("MOTCUA_TEST_SMTP"), service("MOTCUA_TEST_SMTP_MAILDIR")) else { return };
    let app = TestApp::spawn_with(Options { sso: true, smtp: true, ..Options::default() }).await;
    app.sso_sign_in("nguyen-van-an").await;
    let files = vec![("file.1", "to-khai.pdf", pdf(5000, "a")), ("file.2", "xac-nhan.pdf", pdf(5000, "b"))];
    let id = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    // Received, with the receipt, once its fee is paid (the procedure's clock waits for it).
    crate::payments::pay_in_full(&app, &id).await;
    let code = dossier_json(&app, &app.client, &id).await["code"].as_str().unwrap().to_owned();
    let queued = queued_mails(&app).await.len();
    assert_eq!(app.drain_outbox().await, queued);
    let attachment = format!("phieu-tiep-nhan-{code}.pdf");
    let delivered = std::fs::read_dir(std::path::Path::new(&maildir).join("new"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .any(|message| message.contains(&attachment) && message.contains("an.nguyen@example.vn"));
    assert!(delivered, "the sink received the receipt {attachment}");
}
