//! The reception desk: officials of the processing agency receive online
//! dossiers (appointment and receipt, form 01, as a page, a PDF and an
//! e-mail), ask once for a supplement, refuse with a reason, and take
//! walk-in dossiers at the counter. Nobody outside the dossier's applicant
//! and agency reads it.

use reqwest::StatusCode;

use crate::dossier_support::*;
use crate::helpers::{TestApp, decode_entities, get_html_with, location};

#[tokio::test]
async fn the_reception_officer_receives_and_the_applicant_gets_the_receipt() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, code) = paid_press_card(&app).await;
    let officer = official(&app, "tiepnhan").await;
    let (status, list) = get_html_with(&officer, &app.url("/can-bo/ho-so?status=submitted")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&code), "the agency's new dossier is listed");
    // No receipt before reception.
    assert_eq!(app.get(&format!("/ho-so/{id}/phieu-tiep-nhan.pdf")).await.status(), StatusCode::CONFLICT);

    let res = reception_action(&app, &officer, &id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["status"], "received");
    let due: chrono::DateTime<chrono::Utc> = d["due_at"].as_str().unwrap().parse().unwrap();
    let received: chrono::DateTime<chrono::Utc> = d["received_at"].as_str().unwrap().parse().unwrap();
    let calendar = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let start = calendar.clock_start(motcua::sla::local_time::to_local(received));
    let due_local = motcua::sla::local_time::to_local(due);
    assert_eq!(calendar.working_minutes_between(start, due_local), 30 * 8 * 60, "30 working days");
    let due_text = due_local.format("ngày %d/%m/%Y").to_string();

    let (status, page) = app.get_html(&format!("/ho-so/{id}/phieu-tiep-nhan")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && page.contains(&code));
    assert!(page.contains(&due_text) && page.contains("<svg"), "appointment and QR code");
    let res = app.get(&format!("/ho-so/{id}/phieu-tiep-nhan.pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf_bytes = res.bytes().await.unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf_bytes) {
        assert!(text.contains(&code), "the PDF names the code:\n{text}");
        assert!(text.contains(&due_text), "the PDF names the appointment date:\n{text}");
        assert!(text.contains("Nguyễn Văn An") && text.contains("Nguyễn Thị Lan"), "applicant and receiving officer");
    }
    // The officer prints the same receipt.
    let res = officer.get(app.url(&format!("/can-bo/ho-so/{id}/phieu-tiep-nhan.pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Submitted, paid (the fee), received with the receipt.
    let mails = queued_mails(&app).await;
    assert_eq!(mails.len(), 3);
    assert!(mails[2]["subject"].as_str().unwrap().contains(&code));
    assert!(mails[2]["text"].as_str().unwrap().contains(&due_text));
    assert_eq!(app.drain_outbox().await, 3);
    assert!(mail_files(&app).iter().any(|m| m.contains(&format!("phieu-tiep-nhan-{code}.pdf"))), "PDF attached");

    // Receiving twice is refused: the dossier moved on.
    let res = reception_action(&app, &officer, &id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn two_officers_acting_at_once_one_wins_the_other_is_told() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    app.create_official("tiepnhan2", &[motcua::auth::role::Role::Reception], Some("000.01.00.G12")).await;
    let (a, b) = (official(&app, "tiepnhan").await, official(&app, "tiepnhan2").await);
    let form_of = |client: reqwest::Client| {
        let app = &app;
        let id = id.clone();
        async move {
            let (_, html) = get_html_with(&client, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
            (client, attribute(&html, "_csrf"), attribute(&html, "version"))
        }
    };
    let ((a, csrf_a, version), (b, csrf_b, _)) = tokio::join!(form_of(a), form_of(b));
    let receive = a
        .post(app.url(&format!("/can-bo/ho-so/{id}/tiep-nhan")))
        .form(&[("_csrf", csrf_a.as_str()), ("version", version.as_str())])
        .send();
    let ask = b
        .post(app.url(&format!("/can-bo/ho-so/{id}/yeu-cau-bo-sung")))
        .form(&[("_csrf", csrf_b.as_str()), ("version", version.as_str()), ("note", "Thiếu ảnh chân dung 2x3 cm")])
        .send();
    let (ra, rb) = tokio::join!(receive, ask);
    let mut statuses = [ra.unwrap().status(), rb.unwrap().status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "exactly one action wins");
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["history"].as_array().unwrap().len(), 2, "submit and the one winning action");
}

#[tokio::test]
async fn a_supplement_round_trip_then_withdrawal() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let officer = official(&app, "tiepnhan").await;
    let res = reception_action(&app, &officer, &id, "yeu-cau-bo-sung", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a request says what is missing");
    let asked = "Ảnh chân dung chưa đúng kích thước 2x3 cm; bổ sung bản sao hợp đồng có chứng thực.";
    let res = reception_action(&app, &officer, &id, "yeu-cau-bo-sung", asked).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("Yêu cầu bổ sung giấy tờ") && page.contains(asked));
    assert!(queued_mails(&app).await.iter().any(|m| m["text"].as_str().unwrap().contains(asked)), "told by e-mail");

    let csrf = attribute(&page, "_csrf");
    let version = attribute(&page, "version");
    // An answer without any document is refused.
    let fields = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("note", "")];
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/bo-sung"), &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("note", "Đã bổ sung ảnh mới")];
    let files = [("file.3", "anh-moi.pdf", pdf(3000, "anh moi"))];
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/bo-sung"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["status"], "submitted", "back with the officials");
    assert!(d["supplement_request"].is_null());
    let round_one: Vec<_> = d["documents"].as_array().unwrap().iter().filter(|x| x["round"] == 1).collect();
    assert_eq!(round_one.len(), 1);
    let actions: Vec<&str> = d["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["submit", "request_supplement", "answer_supplement"]);

    // Withdrawal while it is still allowed; then it is closed.
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    let csrf = attribute(&page, "_csrf");
    let res = app
        .client
        .post(app.url(&format!("/ho-so/{id}/rut")))
        .form(&[("_csrf", csrf.as_str()), ("note", "Không còn nhu cầu")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["status"], "withdrawn");
    assert_eq!(d["national_status"], 7);
    assert!(!d["closed_at"].is_null());
    let res =
        app.client.post(app.url(&format!("/ho-so/{id}/rut"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = reception_action(&app, &officer, &id, "tiep-nhan", "").await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a withdrawn dossier is not received");
}

#[tokio::test]
async fn a_refusal_needs_a_reason_and_closes_the_dossier() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let officer = official(&app, "tiepnhan").await;
    assert_eq!(reception_action(&app, &officer, &id, "tu-choi", "").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "Thủ tục không thuộc thẩm quyền của Cục Báo chí.";
    assert_eq!(reception_action(&app, &officer, &id, "tu-choi", reason).await.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["status"], "refused");
    assert_eq!(d["history"][1]["note"], reason);
    assert!(queued_mails(&app).await.iter().any(|m| m["text"].as_str().unwrap().contains(reason)));
}

#[tokio::test]
async fn nobody_else_reads_a_dossier_or_its_files() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let file = dossier_json(&app, &app.client, &id).await["documents"][0]["upload_id"].as_str().unwrap().to_owned();
    let other = TestApp::new_client();
    app.sso_sign_in_with(&other, "tran-thi-binh").await;
    for path in [
        format!("/ho-so/{id}"),
        format!("/ho-so/{id}/tep/{file}"),
        format!("/ho-so/{id}/phieu-tiep-nhan"),
        format!("/api/v1/dossiers/{id}"),
        format!("/api/v1/uploads/{file}"),
    ] {
        let res = other.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "another applicant: {path}");
    }
    let (_, mine) = get_html_with(&other, &app.url("/ho-so")).await;
    assert!(!mine.contains(&id));
    // An official of another agency (the publishing office) neither reads nor acts.
    crate::offices::publishing(&app).await;
    let roles = [motcua::auth::role::Role::Reception, motcua::auth::role::Role::Specialist];
    app.create_official("canbo.xb", &roles, Some(crate::offices::PUBLISHING)).await;
    let elsewhere = official(&app, "canbo.xb").await;
    for path in [format!("/can-bo/ho-so/{id}"), format!("/can-bo/ho-so/{id}/tep/{file}")] {
        let res = elsewhere.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "another agency: {path}");
    }
    let (_, list) = get_html_with(&elsewhere, &app.url("/can-bo/ho-so")).await;
    assert!(!list.contains(&id));
    assert_eq!(reception_action(&app, &elsewhere, &id, "tiep-nhan", "").await.status(), StatusCode::FORBIDDEN);
    // A specialist of the agency reads it but does not receive it.
    let specialist = official(&app, "chuyenvien").await;
    let res = specialist.get(app.url(&format!("/can-bo/ho-so/{id}/tep/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(reception_action(&app, &specialist, &id, "tiep-nhan", "").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(dossier_json(&app, &app.client, &id).await["status"], "submitted", "nothing changed");
}

#[tokio::test]
async fn a_walk_in_dossier_is_taken_at_the_counter_and_received_at_once() {
    let app = TestApp::spawn_with_sso().await;
    let officer = official(&app, "tiepnhan").await;
    let (status, list) = get_html_with(&officer, &app.url("/can-bo/tiep-nhan-truc-tiep")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(PRESS_CARD));
    let (status, page) = get_html_with(&officer, &app.url(&format!("/can-bo/tiep-nhan-truc-tiep/{PRESS_CARD}"))).await;
    assert_eq!(status, StatusCode::OK);
    let (csrf, token) = (attribute(&page, "_csrf"), attribute(&page, "draft_token"));
    let mut fields = vec![
        ("_csrf", csrf.as_str()),
        ("draft_token", token.as_str()),
        ("applicant_name", "Phạm Thị Hoa"),
        ("applicant_id_number", "001185009999"),
        ("applicant_address", "Số 9 Hàng Bài, Hà Nội"),
        ("applicant_phone", "0903000111"),
        ("applicant_email", ""),
    ];
    let form = [
        ("ho_ten", "Phạm Thị Hoa"),
        ("so_dinh_danh", "001185009999"),
        ("ngay_sinh", "12/03/1985"),
        ("dia_chi", "Số 9 Hàng Bài, Hà Nội"),
        ("dien_thoai", "0903000111"),
    ];
    fields.extend(form);
    let path = format!("/can-bo/tiep-nhan-truc-tiep/{PRESS_CARD}");
    // Missing scans: refused, nothing kept.
    let res = post_multipart(&app, &officer, &path, &fields, &press_card_files()[..1]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("value=\"Phạm Thị Hoa\""), "typed data kept");
    assert_eq!((dossier_count(&app).await, upload_count(&app).await), (0, 0));

    let res = post_multipart(&app, &officer, &path, &fields, &press_card_files()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let receipt = location(&res);
    assert!(receipt.ends_with("/phieu-tiep-nhan"), "{receipt}");
    let (status, html) = get_html_with(&officer, &app.url(&receipt)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Phạm Thị Hoa") && html.contains("Nguyễn Thị Lan"), "applicant and receiving officer");
    use sea_orm::EntityTrait;
    let d = entity::dossier::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((d.channel.as_str(), d.status.as_str()), ("counter", "received"));
    assert!(d.code.unwrap().starts_with("000.01.00.G12-"), "one code format whatever the channel");
    assert!(d.applicant_id.is_none() && d.due_at.is_some());
    // The same form posted again (a double click) makes no second dossier.
    let res = post_multipart(&app, &officer, &path, &fields, &press_card_files()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(dossier_count(&app).await, 1);
}

/// A walk-in dossier of the press card taken at the counter by `officer`; returns its id.
pub async fn counter_dossier(app: &TestApp, officer: &reqwest::Client) -> String {
    let path = format!("/can-bo/tiep-nhan-truc-tiep/{PRESS_CARD}");
    let (_, page) = get_html_with(officer, &app.url(&path)).await;
    let (csrf, token) = (attribute(&page, "_csrf"), attribute(&page, "draft_token"));
    let fields = [
        ("_csrf", csrf.as_str()),
        ("draft_token", token.as_str()),
        ("applicant_name", "Phạm Thị Hoa"),
        ("applicant_id_number", "001185009999"),
        ("applicant_address", "Số 9 Hàng Bài, Hà Nội"),
        ("applicant_phone", "0903000111"),
        ("applicant_email", ""),
        ("ho_ten", "Phạm Thị Hoa"),
        ("so_dinh_danh", "001185009999"),
        ("ngay_sinh", "12/03/1985"),
        ("dia_chi", "Số 9 Hàng Bài, Hà Nội"),
        ("dien_thoai", "0903000111"),
    ];
    let res = post_multipart(app, officer, &path, &fields, &press_card_files()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    use sea_orm::{EntityTrait, QueryOrder};
    let d =
        entity::dossier::Entity::find().order_by_desc(entity::dossier::Column::Id).one(&app.db).await.unwrap().unwrap();
    d.public_id
}
