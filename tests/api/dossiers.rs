//! An applicant submits a dossier online and follows it: the e-form
//! pre-filled and checked on the server, documents per slot checked by
//! content and limited, drafts, one dossier per submission however often
//! it is sent, the national code, e-mails, reuse from the document store.

use reqwest::StatusCode;

use serde_json::json;

use crate::builders::ProcedureBuilder;
use crate::dossier_support::*;
use crate::helpers::{Options, TestApp, decode_entities, get_html_with, location};

#[tokio::test]
async fn a_citizen_submits_online_and_finds_the_dossier_with_its_code() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (html, _, token) = start_page(&app, &app.client, PRESS_CARD).await;
    // Pre-filled from the national SSO's identity data.
    assert!(html.contains("value=\"Nguyễn Văn An\""), "name pre-filled");
    assert!(html.contains("value=\"001090012345\""), "personal ID pre-filled");
    assert!(html.contains("value=\"0912345678\""), "phone pre-filled");
    assert!(!token.is_empty());

    let files = press_card_files();
    let id = fill_draft(&app, &app.client, PRESS_CARD, &press_card_fields(), &files).await;
    let (status, review) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}/xem-lai"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(review.contains("Số 1 phố Tràng Tiền") && review.contains("05/09/1990"), "the review shows what was typed");
    assert_eq!(queued_mails(&app).await.len(), 0, "nothing is sent for a draft");

    let res = submit(&app, &app.client, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/ho-so/{id}"));
    let d = dossier_json(&app, &app.client, &id).await;
    let code = d["code"].as_str().unwrap();
    let today = motcua::sla::local_time::to_local(app.now()).format("%y%m%d").to_string();
    assert_eq!(code, format!("000.01.00.G12-{today}-0001"), "agency identifier, date, daily sequence");
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["national_status"], 1);
    assert_eq!(d["form_data"]["ngay_sinh"], "1990-09-05");
    assert_eq!(d["applicant"]["address"], "Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội");
    assert_eq!(d["documents"].as_array().unwrap().len(), 3);
    assert_eq!(d["history"][0]["action"], "submit");

    // Each file comes back byte for byte.
    for (slot, (_, _, bytes)) in files.iter().enumerate() {
        let doc = d["documents"].as_array().unwrap().iter().find(|x| x["slot"] == slot + 1).unwrap();
        assert_eq!(doc["sha256"], sha256(bytes));
        let res = app.get(&format!("/ho-so/{id}/tep/{}", doc["upload_id"].as_str().unwrap())).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(bytes));
    }

    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains(code) && page.contains("Mới đăng ký"));
    let (_, mine) = app.get_html("/ho-so").await;
    assert!(mine.contains(code), "Hồ sơ của tôi lists it");

    let mails = queued_mails(&app).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["to"], "an.nguyen@example.vn");
    assert!(mails[0]["subject"].as_str().unwrap().contains(code));
    assert_eq!(app.drain_outbox().await, 1);
    assert_eq!(mail_files(&app).len(), 1, "the mail is written by the file mailer");
}

#[tokio::test]
async fn submitting_twice_makes_one_dossier_with_one_code() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let id = fill_draft(&app, &app.client, PRESS_CARD, &press_card_fields(), &press_card_files()).await;
    let (_, review) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}/xem-lai"))).await;
    let csrf = attribute(&review, "_csrf");
    // A double click: the same post twice at once, then once more.
    let post = || app.client.post(app.url(&format!("/ho-so/{id}/nop"))).form(&[("_csrf", csrf.as_str())]).send();
    let (a, b) = tokio::join!(post(), post());
    let c = post().await;
    for res in [a.unwrap(), b.unwrap(), c.unwrap()] {
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/ho-so/{id}"));
    }
    assert_eq!(dossier_count(&app).await, 1);
    let d = dossier_json(&app, &app.client, &id).await;
    assert!(d["code"].as_str().unwrap().ends_with("-0001"));
    let submits = d["history"].as_array().unwrap().iter().filter(|e| e["action"] == "submit").count();
    assert_eq!(submits, 1);
    assert_eq!(queued_mails(&app).await.len(), 1, "one e-mail");

    // The start form posted twice (its one-time token) also makes one draft.
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let fields = [("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "save"), ("ho_ten", "A")];
    for _ in 0..2 {
        let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(dossier_count(&app).await, 2);
}

/// Where a procedure receives online dossiers on submission, the submission
/// and the reception are written as one change of the dossier's row: a
/// double click makes one dossier with one code, its two history entries
/// numbered in order, its version moved by two, and a national record for each.
#[tokio::test]
async fn submitting_twice_where_reception_is_automatic_writes_both_changes_once() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let files = vec![("file.1", "to-khai.pdf", pdf(5000, "a")), ("file.2", "xac-nhan.pdf", pdf(5000, "b"))];
    let id = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    let (_, review) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}/xem-lai"))).await;
    let csrf = attribute(&review, "_csrf");
    let draft = state_of(&app, &id).await;
    let post = || app.client.post(app.url(&format!("/ho-so/{id}/nop"))).form(&[("_csrf", csrf.as_str())]).send();
    let (a, b) = tokio::join!(post(), post());
    for res in [a.unwrap(), b.unwrap()] {
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/ho-so/{id}"));
    }
    assert_eq!(dossier_count(&app).await, 1);
    let d = state_of(&app, &id).await;
    assert_ne!(d.status.as_str(), "submitted", "received on the spot, or waiting for its fee");
    assert_eq!((d.version, d.event_seq), (draft.version + 2, 2), "two changes of the draft");
    let history = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(d.id))
        .order_by_asc(entity::dossier_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap();
    let steps: Vec<_> =
        history.iter().map(|e| (e.seq, e.from_status.clone().unwrap_or_default(), e.to_status.clone())).collect();
    assert_eq!(
        steps,
        [(1, "draft".to_owned(), "submitted".to_owned()), (2, "submitted".to_owned(), d.status.as_str().to_owned())]
    );
    assert_eq!(history[1].actor_label, "Hệ thống: tiếp nhận tự động", "received by the portal, not the applicant");
    let code = d.code.clone().unwrap();
    let national: Vec<i64> = crate::national_sync::queued(&app, &code).await.into_iter().map(|(_, seq)| seq).collect();
    assert_eq!(national, [1, 2], "{code}: one national record per change, in order");
}

#[tokio::test]
async fn a_draft_is_kept_and_resumed() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let fields =
        [("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "save"), ("dia_chi", "Số 5 Lý Thái Tổ")];
    let files = [("file.1", "to-khai.pdf", pdf(1000, "draft"))];
    let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let target = location(&res);
    assert!(target.ends_with("/sua?saved=1"), "{target}");
    let (status, html) = get_html_with(&app.client, &app.url(&target)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đã lưu bản nháp"));
    assert!(html.contains("value=\"Số 5 Lý Thái Tổ\""), "what was typed is there");
    assert!(html.contains("to-khai.pdf"), "the file is in its slot");
    // The same post again (a double click) does not add the file twice.
    let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!((dossier_count(&app).await, upload_count(&app).await), (1, 1));
    let (_, mine) = app.get_html("/ho-so").await;
    assert!(mine.contains("Bản nháp"));
    assert_eq!(queued_mails(&app).await.len(), 0);
    // A draft has no code and cannot be looked up.
    let id = target.trim_start_matches("/ho-so/").trim_end_matches("/sua?saved=1");
    assert!(dossier_json(&app, &app.client, id).await["code"].is_null());
}

#[tokio::test]
async fn every_problem_of_the_form_is_named_and_nothing_is_submitted() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let fields = [
        ("_csrf", csrf.as_str()),
        ("draft_token", token.as_str()),
        ("action", "review"),
        ("ho_ten", "Nguyễn Văn An"),
        ("so_dinh_danh", "12345"),
        ("ngay_sinh", ""),
        ("dia_chi", "Hà Nội"),
        ("dien_thoai", "không phải số"),
        ("email", "an@"),
    ];
    let files = [("file.1", "to-khai.pdf", pdf(1000, "x"))];
    let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = decode_entities(&res.text().await.unwrap());
    assert!(html.contains("Số định danh cá nhân gồm đúng 12 chữ số."), "wrong type");
    assert!(html.contains("Không được để trống."), "missing required field");
    assert!(html.contains("Số điện thoại gồm 10–11 chữ số"));
    assert!(html.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(html.contains("Cần đính kèm giấy tờ này."), "missing required documents");
    assert!(html.contains("aria-invalid=\"true\""), "fields are marked for assistive technology");
    assert!(html.contains("value=\"Hà Nội\""), "what was typed is kept");
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let submitted = entity::dossier::Entity::find()
        .filter(entity::dossier::Column::Status.ne("draft"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(submitted, 0);
    assert_eq!(queued_mails(&app).await.len(), 0);
}

#[tokio::test]
async fn fake_oversize_and_too_many_files_are_refused_and_not_kept() {
    let app = TestApp::spawn_with(Options { sso: true, small_limits: true, ..Options::default() }).await;
    app.sso_sign_in("nguyen-van-an").await;
    let path = &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so");
    let app = &app;
    let try_files = |files: Vec<(&'static str, &'static str, Vec<u8>)>| async move {
        let (_, csrf, token) = start_page(app, &app.client, PRESS_CARD).await;
        let fields = [("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "save")];
        post_multipart(app, &app.client, path, &fields, &files).await
    };
    // A Windows program renamed .pdf.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(4096, 0);
    let res = try_files(vec![("file.1", "to-khai.pdf", exe)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("Chỉ nhận tệp PDF, JPEG, PNG hoặc DOCX"));
    // Over the 1 MB per-file limit.
    let res = try_files(vec![("file.1", "lon.pdf", pdf(1024 * 1024 + 1, "big"))]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Four files where a dossier holds three.
    let four = (0..4).map(|i| ("file.extra", "phu-luc.pdf", pdf(1000, &format!("extra {i}")))).collect();
    let res = try_files(four).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("Quá số tệp cho phép của một hồ sơ."));
    assert_eq!(upload_count(app).await, 0, "no refused file is kept");
    assert_eq!(dossier_count(app).await, 1, "the draft of the first post, which keeps what was typed");
    let leftovers = std::fs::read_dir(app.data_dir().join("tmp")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "no temporary file stays behind");
}

#[tokio::test]
async fn a_document_from_the_store_is_reused_without_uploading_again() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, code) = submitted_press_card(&app, &app.client).await;
    assert!(!code.is_empty());
    assert_eq!(upload_count(&app).await, 3);
    let (_, store) = app.get_json("/api/v1/uploads").await;
    let id_of = |name: &str| {
        store["items"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (html, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    assert!(html.contains("to-khai.pdf"), "the store is offered");
    assert!(html.contains("value=\"Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội\""), "address from the last dossier");
    let (a, b, c) = (id_of("to-khai.pdf"), id_of("hop-dong.pdf"), id_of("anh.pdf"));
    let mut fields = vec![
        ("_csrf", csrf.as_str()),
        ("draft_token", token.as_str()),
        ("action", "review"),
        ("reuse.1", a.as_str()),
        ("reuse.2", b.as_str()),
        ("reuse.3", c.as_str()),
    ];
    fields.extend(press_card_fields());
    let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let id = location(&res).trim_start_matches("/ho-so/").trim_end_matches("/xem-lai").to_owned();
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert!(d["code"].as_str().unwrap().ends_with("-0002"));
    let used: Vec<&str> = d["documents"].as_array().unwrap().iter().map(|x| x["upload_id"].as_str().unwrap()).collect();
    assert_eq!(used, vec![a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(upload_count(&app).await, 3, "nothing uploaded again");

    // Someone else's stored file cannot be slipped into a dossier.
    let other = TestApp::new_client();
    app.sso_sign_in_with(&other, "tran-thi-binh").await;
    let (_, csrf, token) = start_page(&app, &other, PRESS_CARD).await;
    let fields =
        [("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "save"), ("reuse.1", a.as_str())];
    let res = post_multipart(&app, &other, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_automatically_received_dossier_waits_for_its_fee_then_gets_its_appointment_and_receipt() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let files = vec![("file.1", "to-khai.pdf", pdf(5000, "a")), ("file.2", "xac-nhan.pdf", pdf(5000, "b"))];
    let id = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    // Complete, but the limit runs only once the fee is paid (NĐ 297/2025 Art. 6).
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!((d["status"].as_str(), d["national_status"].as_i64()), (Some("awaiting_payment"), Some(6)));
    assert!(d["received_at"].is_null() && d["due_at"].is_null(), "no appointment before the fee");
    let mails = queued_mails(&app).await;
    assert_eq!(mails.len(), 2, "submitted, then asked for the fee");
    assert!(mails[1]["text"].as_str().unwrap().contains("đ"), "{}", mails[1]);
    crate::payments::pay_in_full(&app, &id).await;
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["status"], "received");
    assert_eq!(d["national_status"], 2);
    let received: chrono::DateTime<chrono::Utc> = d["received_at"].as_str().unwrap().parse().unwrap();
    let due: chrono::DateTime<chrono::Utc> = d["due_at"].as_str().unwrap().parse().unwrap();
    // 5 working days (40 office hours) on the office calendar from the moment the clock starts.
    let calendar = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let start = calendar.clock_start(motcua::sla::local_time::to_local(received));
    let due_local = motcua::sla::local_time::to_local(due);
    assert!(calendar.is_working_day(due_local.date()), "due on a working day: {due_local}");
    assert_eq!(calendar.working_minutes_between(start, due_local), 5 * 8 * 60);
    let mails = queued_mails(&app).await;
    let with_receipt: Vec<_> = mails.iter().filter(|m| m["attachments"][0]["kind"] == "receipt").collect();
    assert_eq!(with_receipt.len(), 1, "received with the receipt, once");
    let sent = app.drain_outbox().await;
    assert_eq!(sent, mails.len());
    let received_mail = mail_files(&app).into_iter().find(|m| m.contains("application/pdf")).expect("receipt attached");
    assert!(received_mail.contains(&format!("phieu-tiep-nhan-{}.pdf", d["code"].as_str().unwrap())));
}

#[tokio::test]
async fn the_public_lookup_shows_status_and_dates_but_no_personal_data() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, code) = submitted_press_card(&app, &app.client).await;
    let anonymous = TestApp::new_client();
    let (status, html) = get_html_with(&anonymous, &app.url(&format!("/tra-cuu?code={code}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&code) && html.contains("Mới đăng ký") && html.contains("Cấp thẻ nhà báo"));
    for private in ["Nguyễn Văn An", "001090012345", "an.nguyen@example.vn", "0912345678", "Tràng Tiền"] {
        assert!(!html.contains(private), "{private} must not show");
    }
    let res = anonymous.get(app.url(&format!("/api/v1/dossiers/{code}/status"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("\"national_status\":1"));
    for private in ["Nguyễn Văn An", "001090012345", "an.nguyen", "0912345678", "applicant"] {
        assert!(!body.contains(private), "{private} must not show");
    }
    let res = anonymous.get(app.url("/api/v1/dossiers/khong-phai-ma/status")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, html) = get_html_with(&anonymous, &app.url("/tra-cuu?code=000.01.00.G12-200101-9999")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy hồ sơ có mã này."));
    // Guessing codes is slowed down: 30 lookups a minute per address.
    let mut limited = false;
    for _ in 0..31 {
        let res = anonymous.get(app.url(&format!("/api/v1/dossiers/{code}/status"))).send().await.unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "the lookup is rate-limited");
}

#[tokio::test]
async fn an_abolished_procedure_takes_no_dossier() {
    let app = TestApp::spawn_with_sso().await;
    ProcedureBuilder::new("1.000299", "000.00.20.H26").abolished().create(&app).await;
    app.sso_sign_in("nguyen-van-an").await;
    let (status, html) = app.get_html("/thu-tuc/1.000299/nop-ho-so").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("không tiếp nhận hồ sơ trực tuyến"));
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let fields = [("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "save")];
    let res = post_multipart(&app, &app.client, "/thu-tuc/1.000299/nop-ho-so", &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(dossier_count(&app).await, 0);
}

#[tokio::test]
async fn a_repeatable_group_takes_as_many_rows_as_needed() {
    let app = TestApp::spawn_with_sso().await;
    let group = json!({"name": "thiet_bi", "label": "Thiết bị bức xạ", "label_en": "Radiation devices", "type": "group",
        "required": true, "repeatable": true, "fields": [
            {"name": "ten", "label": "Tên thiết bị", "label_en": "Device", "type": "text", "required": true, "max_length": 200},
            {"name": "so_seri", "label": "Số sê-ri", "label_en": "Serial number", "type": "text", "required": true, "max_length": 100},
            {"name": "nam_san_xuat", "label": "Năm sản xuất", "label_en": "Year made", "type": "number"}]});
    let fields = json!([{"name": "ten_to_chuc", "label": "Tên tổ chức, doanh nghiệp", "label_en": "Organisation name",
                         "type": "text", "required": true, "max_length": 255}, group]);
    let built = ProcedureBuilder::new("1.008470", "000.00.20.H26").for_business().form(fields).create(&app).await;
    app.sso_sign_in("cong-ty-sao-mai").await;
    let procedure = "1.008470";
    let (html, csrf, token) = start_page(&app, &app.client, procedure).await;
    assert!(html.contains("name=\"thiet_bi.0.ten\""), "one empty row to start with");
    assert!(!html.contains("name=\"thiet_bi.1.ten\""));
    let mut fields = vec![
        ("_csrf", csrf.as_str()),
        ("draft_token", token.as_str()),
        ("action", "review"),
        ("ten_to_chuc", "Công ty TNHH Sao Mai"),
        ("thiet_bi.0.ten", "Máy X-quang răng"),
        ("thiet_bi.0.so_seri", "XR-001"),
        ("thiet_bi.1.ten", "Máy X-quang di động"),
    ];
    let files = [("file.1", "don.pdf", pdf(2000, "don"))];
    let path = format!("/thu-tuc/{procedure}/nop-ho-so");
    let res = post_multipart(&app, &app.client, &path, &fields, &files).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = decode_entities(&res.text().await.unwrap());
    assert!(html.contains("id=\"err-f-thiet_bi-1-so_seri\""), "the missing serial of the second device is named");
    assert!(html.contains("value=\"Máy X-quang di động\""), "both rows are kept");
    assert!(html.contains("name=\"thiet_bi.2.ten\""), "and a new empty row is offered");
    // The draft exists now: complete it there.
    let id = html.split("action=\"/ho-so/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    fields.push(("thiet_bi.1.so_seri", "XR-002"));
    fields.retain(|(k, _)| *k != "draft_token");
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/sua"), &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["form_data"]["thiet_bi"].as_array().unwrap().len(), 2);
    assert_eq!(d["form_data"]["thiet_bi"][1]["so_seri"], "XR-002");
    assert!(d["code"].as_str().unwrap().starts_with(&format!("{}-", built.agency_code)));
}

#[tokio::test]
async fn a_file_taken_out_of_a_draft_leaves_it_and_the_dossiers_count_of_documents() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let id = fill_draft(&app, &app.client, PRESS_CARD, &press_card_fields(), &press_card_files()).await;
    let d = dossier_json(&app, &app.client, &id).await;
    let third = d["documents"].as_array().unwrap().iter().find(|x| x["slot"] == 3).unwrap()["upload_id"].clone();
    assert_eq!(state_of(&app, &id).await.documents, 3, "the QĐ 766 4.2 fact counts the draft's files");

    let (_, html) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}/sua"))).await;
    let csrf = attribute(&html, "_csrf");
    let mut fields = vec![("_csrf", csrf.as_str()), ("action", "save"), ("remove", third.as_str().unwrap())];
    fields.extend(press_card_fields());
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/sua"), &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = dossier_json(&app, &app.client, &id).await;
    assert_eq!(d["documents"].as_array().unwrap().len(), 2);
    assert_eq!(state_of(&app, &id).await.documents, 2, "and follows the file taken out");

    // A new file in its place: three again, and the draft can be submitted.
    let files = [("file.3", "anh-moi.pdf", pdf(20 * 1024, "anh moi"))];
    let fields: Vec<_> = fields.into_iter().filter(|(k, _)| *k != "remove").collect();
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/sua"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, &id).await.documents, 3);
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_e_form_asks_the_browser_for_what_it_may_fill_in() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (html, _, _) = start_page(&app, &app.client, PRESS_CARD).await;
    let input = |id: &str| html.split(&format!("id=\"{id}\"")).nth(1).unwrap().split('>').next().unwrap().to_owned();
    assert!(input("f-ho_ten").contains("autocomplete=\"name\""));
    assert!(input("f-ngay_sinh").contains("autocomplete=\"bday\""), "the date of birth");
    assert!(input("f-dia_chi").contains("autocomplete=\"address-line1\""), "a one-line address");
    assert!(input("f-so_dinh_danh").contains("autocomplete=\"off\""));
    assert!(!html.contains(" style=\""), "no inline style: the CSP refuses it");
}

#[tokio::test]
async fn a_wrong_file_brings_the_form_back_with_what_was_typed_and_a_summary_naming_the_field() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let mut fields = vec![("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "review")];
    fields.extend(press_card_fields());
    // A text file named .pdf in the first slot; good files in the others.
    let mut files = press_card_files();
    files[0] = ("file.1", "to-khai.pdf", b"day la mot tep van ban, khong phai PDF".to_vec());
    let res = post_multipart(&app, &app.client, &format!("/thu-tuc/{PRESS_CARD}/nop-ho-so"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = decode_entities(&res.text().await.unwrap());
    // The form again, with what was typed, and the good files kept in the draft.
    assert!(html.contains("value=\"Nguyễn Văn An\"") && html.contains("action=\"/ho-so/"), "the draft's form");
    assert_eq!(upload_count(&app).await, 2, "the two good files");
    // A summary that takes the focus, each item naming its field in words and linking to it.
    let summary = html.split("data-error-summary").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(summary.contains("<a href=\"#file-1\">"), "{summary}");
    assert!(summary.contains("Tờ khai") && summary.contains("Chỉ nhận tệp PDF, JPEG, PNG hoặc DOCX"), "{summary}");
    assert!(!summary.contains("file.1") && !summary.contains("documents.1"), "no internal keys: {summary}");
    assert!(html.contains("<script src=\"/static/js/error-summary.js\" defer></script>"));
    assert_eq!(app.get("/static/js/error-summary.js").await.status(), StatusCode::OK);
    // The message stands next to the slot too.
    assert!(html.contains("id=\"err-slot-1\""));
    // A missing e-form field is named by its label, not its key.
    let id = html.split("action=\"/ho-so/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let (_, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}/sua"))).await;
    let csrf = attribute(&page, "_csrf");
    let mut fields = vec![("_csrf", csrf.as_str()), ("action", "review")];
    fields.extend(press_card_fields().into_iter().filter(|(k, _)| *k != "ngay_sinh"));
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/sua"), &fields, &[]).await;
    let html = decode_entities(&res.text().await.unwrap());
    let summary = html.split("data-error-summary").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(summary.contains("<a href=\"#f-ngay_sinh\">Ngày sinh"), "{summary}");
}
