//! Dossiers filed on the national portal and forwarded to the ministry: the
//! mock national portal, as its own process, posts them to
//! `POST /api/v1/national/dossiers` with the credentials an admin registered
//! for it; the portal fetches the documents from the mock. Taken once per
//! national dossier id, with the national code, into the unit's inbox; bad
//! or forged requests change nothing.

use base64::Engine;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::dossier_support::*;
use crate::helpers::TestApp;

/// The admin registers a connection account for the national portal: (client id, secret).
async fn register_client(app: &TestApp) -> (String, String) {
    app.sign_in_admin().await;
    let csrf = app.csrf_of(&app.client).await;
    let res = app.post_form_with(&app.client, "/quan-tri/dong-bo/ket-noi", &[("_csrf", csrf.as_str())]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = crate::helpers::decode_entities(&res.text().await.unwrap());
    let shown = page.split("sẽ không hiện lại").nth(1).expect("the secret is shown once");
    let codes: Vec<String> =
        shown.split("<code>").skip(1).map(|s| s.split("</code>").next().unwrap().to_owned()).collect();
    (codes[0].clone(), codes[1].clone())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A press-card dossier as a citizen filed it on the national portal.
fn press_card(national_id: &str) -> Value {
    json!({
        "procedure": "1.004227",
        "national_id": national_id,
        "applicant": {"HoVaTen": "Lê Thị Cúc", "SoDinhDanh": "001190012399", "DiaChi": "Số 5 Hàng Gai, Hà Nội",
                      "SoDienThoai": "0912000999", "Email": "cuc.le@example.vn"},
        "form": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "001190012399", "ngay_sinh": "02/02/1990",
                 "dia_chi": "Số 5 Hàng Gai, Hà Nội", "dien_thoai": "0912000999"},
        "files": [
            {"slot": 1, "name": "to-khai.pdf", "content": b64(&pdf(3000, "to khai"))},
            {"slot": 2, "name": "hop-dong.pdf", "content": b64(&pdf(3000, "hop dong"))},
            {"slot": 3, "name": "anh.pdf", "content": b64(&pdf(3000, "anh"))},
        ],
    })
}

/// The mock forwards `dossier` to the portal as (`id`, `secret`): the portal's status and answer.
async fn forward(app: &TestApp, mut dossier: Value, id: &str, secret: &str) -> (u16, Value) {
    let mock = &app.mock.as_ref().unwrap().address;
    dossier["to"] = json!(app.url("/api/v1/national/dossiers"));
    dossier["credentials"] = json!({"id": id, "secret": secret});
    let res = reqwest::Client::new().post(format!("{mock}/_test/forward")).json(&dossier).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the mock forwarded it");
    let body: Value = res.json().await.unwrap();
    (body["status"].as_u64().unwrap() as u16, body["answer"].clone())
}

#[tokio::test]
async fn a_dossier_forwarded_twice_is_taken_once_with_the_national_code_and_reaches_the_inbox() {
    let app = TestApp::spawn_with_sso().await;
    let (id, secret) = register_client(&app).await;
    let (dossiers, uploads) = (dossier_count(&app).await, upload_count(&app).await);
    let (status, answer) = forward(&app, press_card("QG-0001"), &id, &secret).await;
    assert_eq!(status, 201, "{answer}");
    let code = answer["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("DVCQG-"), "the national portal's code is kept: {code}");
    let d = state_of(&app, answer["id"].as_str().unwrap()).await;
    assert_eq!((d.channel.as_str(), d.status.as_str()), ("national", "submitted"));
    assert_eq!(d.applicant_name, "Lê Thị Cúc");
    assert_eq!(dossier_count(&app).await, dossiers + 1);
    assert_eq!(upload_count(&app).await, uploads + 3, "the three documents, fetched from the national portal");

    // Forwarded again (the national portal did not hear the answer): the same dossier, nothing new.
    let (status, again) = forward(&app, press_card("QG-0001"), &id, &secret).await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], answer["id"]);
    assert_eq!((dossier_count(&app).await, upload_count(&app).await), (dossiers + 1, uploads + 3));

    // The reception desk of the unit sees it in its inbox, from the national portal.
    let reception = official(&app, "tiepnhan").await;
    let (_, inbox) = crate::helpers::get_html_with(&reception, &app.url("/can-bo/ho-so")).await;
    assert!(inbox.contains(&code), "in the inbox");
    let (_, page) =
        crate::helpers::get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{}", d.public_id))).await;
    assert!(page.contains("Chuyển từ Cổng Dịch vụ công quốc gia"), "its channel is shown");
    // Its national record names the online channel and the national code.
    let messages = sync_messages(&app, &code).await;
    assert_eq!(messages[0]["data"][0]["MaHoSo"], code.as_str());
    assert_eq!(messages[0]["data"][0]["KenhThucHien"], 2);
}

#[tokio::test]
async fn forged_or_bad_forwarded_dossiers_are_refused_and_change_nothing() {
    let app = TestApp::spawn_with_sso().await;
    let (id, secret) = register_client(&app).await;
    let (dossiers, uploads) = (dossier_count(&app).await, upload_count(&app).await);
    let unchanged = || async { (dossier_count(&app).await, upload_count(&app).await) };

    let (status, _) = forward(&app, press_card("QG-0002"), &id, "a-forged-secret").await;
    assert_eq!(status, 401, "a wrong secret");
    let (status, _) = forward(&app, press_card("QG-0002"), "dvcqg-unknown", &secret).await;
    assert_eq!(status, 401, "an unknown client");
    let mut unknown = press_card("QG-0003");
    unknown["procedure"] = json!("9.999999");
    let (status, answer) = forward(&app, unknown, &id, &secret).await;
    assert_eq!((status, answer["errors"][0]["field"].as_str()), (422, Some("MaTTHC")), "{answer}");
    let mut missing = press_card("QG-0004");
    missing["files"].as_array_mut().unwrap().pop();
    let (status, answer) = forward(&app, missing, &id, &secret).await;
    assert_eq!(status, 422, "a required document missing: {answer}");
    let mut not_pdf = press_card("QG-0005");
    not_pdf["files"][0]["content"] = json!(b64(b"MZ this is a program, not a document"));
    let (status, answer) = forward(&app, not_pdf, &id, &secret).await;
    assert_eq!((status, answer["errors"][0]["code"].as_str()), (422, Some("unsupported_type")), "{answer}");
    let mut gone = press_card("QG-0006");
    let mock = app.mock.as_ref().unwrap().address.clone();
    gone["files"].as_array_mut().unwrap().pop();
    gone["urls"] = json!([[3, "anh.pdf", format!("{mock}/tep/khong-co")]]);
    let (status, answer) = forward(&app, gone, &id, &secret).await;
    assert_eq!((status, answer["errors"][0]["code"].as_str()), (422, Some("unreachable")), "{answer}");
    let mut bad_form = press_card("QG-0007");
    bad_form["form"]["so_dinh_danh"] = json!("12");
    let (status, _) = forward(&app, bad_form, &id, &secret).await;
    assert_eq!(status, 422, "the e-form is checked like an online submission");
    assert_eq!(unchanged().await, (dossiers, uploads), "nothing was kept of any of them");

    // A revoked client is refused from then on.
    let clients = motcua::national_sync::clients::list(&app.db).await.unwrap();
    let row = clients.iter().find(|c| c.client_id == id).unwrap();
    let csrf = app.csrf_of(&app.client).await;
    let res = app
        .post_form_with(
            &app.client,
            &format!("/quan-tri/dong-bo/ket-noi/{}/thu-hoi", row.id),
            &[("_csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = forward(&app, press_card("QG-0008"), &id, &secret).await;
    assert_eq!(status, 401);
    assert_eq!(unchanged().await, (dossiers, uploads));
}

#[tokio::test]
async fn the_mock_national_portals_form_forwards_a_dossier_with_the_demo_connection_account() {
    let app = TestApp::spawn_with_sso().await;
    // The connection account `cargo run` registers with its demo data, and the mock's form uses.
    motcua::national_sync::clients::register_demo(&app.db, app.now()).await.unwrap();
    let mock = app.mock.as_ref().unwrap().address.clone();
    let browser = TestApp::new_client();
    let (status, page) = crate::helpers::get_html_with(&browser, &format!("{mock}/chuyen-ho-so")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chuyển hồ sơ về Bộ"));
    let form = serde_json::to_string(&press_card("unused")["form"]).unwrap();
    let mut multipart = reqwest::multipart::Form::new()
        .text("procedure", "1.004227")
        .text("name", "Lê Thị Cúc")
        .text("id_number", "001190012399")
        .text("address", "Số 5 Hàng Gai, Hà Nội")
        .text("phone", "0912000999")
        .text("email", "cuc.le@example.vn")
        .text("form", form);
    for slot in 1..=3 {
        let part =
            reqwest::multipart::Part::bytes(pdf(2000, &format!("tep {slot}"))).file_name(format!("tep-{slot}.pdf"));
        multipart = multipart.part(format!("slot.{slot}"), part);
    }
    let res = browser.post(format!("{mock}/chuyen-ho-so")).multipart(multipart).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = crate::helpers::decode_entities(&res.text().await.unwrap());
    assert!(page.contains("Bộ trả lời: <strong>201</strong>") && page.contains("DVCQG-"), "{page}");
    let code = page.split("<code>").nth(1).unwrap().split("</code>").next().unwrap();
    let d = entity::dossier::Entity::find()
        .filter(entity::dossier::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the dossier is here");
    assert_eq!(d.channel.as_str(), "national");
}
