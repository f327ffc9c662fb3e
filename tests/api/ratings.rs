//! Satisfaction ratings: only the applicant, only a finished dossier, once,
//! changeable for a few days; a counter applicant through a one-time link;
//! officials never see who rated; the rating reaches the national portal.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::builders::{DossierBuilder, ProcedureBuilder, official_with};
use crate::dossier_support::{act, official, pdf, state_of, sync_messages};
use crate::helpers::{Options, TestApp, get_html_with};
use motcua::auth::role::Role;

pub fn all(level: &str) -> Value {
    json!({"overall": level, "online": level, "on_time": level, "attitude": level, "contacts": level})
}

pub async fn rate(app: &TestApp, id: &str, body: &Value) -> reqwest::Response {
    let csrf = app.csrf_of(&app.client).await;
    app.client
        .post(app.url(&format!("/api/v1/dossiers/{id}/rating")))
        .header("X-CSRF-Token", csrf)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn ratings_stored(app: &TestApp) -> usize {
    use sea_orm::EntityTrait;
    entity::rating::Entity::find().all(&app.db).await.unwrap().len()
}

async fn applicant_id(app: &TestApp, name: &str) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::account::Entity::find()
        .filter(entity::account::Column::FullName.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the applicant's account")
        .id
}

#[tokio::test]
async fn the_applicant_rates_a_finished_dossier_once_and_may_change_it_for_a_few_days() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let unit = "000.00.40.H99";
    let p = ProcedureBuilder::new("9.900040", unit).create(&app).await;
    app.sso_sign_in("nguyen-van-an").await;
    let me = applicant_id(&app, "Nguyễn Văn An").await;
    let open = DossierBuilder::in_step(&p, "tham_dinh", "in_progress").of_applicant(me).insert(&app, 1).await;
    let done = DossierBuilder::in_step(&p, "tra_ket_qua", "returned").of_applicant(me).insert(&app, 2).await;
    let theirs = DossierBuilder::in_step(&p, "tra_ket_qua", "returned").insert(&app, 3).await;
    let withdrawn_early = DossierBuilder::submitted(&p).of_applicant(me).insert(&app, 4).await;
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let mut m: entity::dossier::ActiveModel = withdrawn_early.clone().into();
        m.status = Set(motcua::dossier::DossierStatus::Withdrawn);
        m.update(&app.db).await.unwrap();
    }

    // Refused, and nothing stored: not finished, withdrawn before reception, someone else's.
    let body = json!({"criteria": all("hai_long"), "comment": ""});
    assert_eq!(rate(&app, &open.public_id, &body).await.status(), StatusCode::CONFLICT);
    assert_eq!(rate(&app, &withdrawn_early.public_id, &body).await.status(), StatusCode::CONFLICT);
    let res = rate(&app, &theirs.public_id, &body).await;
    assert!(matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", res.status());
    // Bad answers: a clear error per field.
    let id = done.public_id.as_str();
    let mut missing = all("hai_long");
    missing.as_object_mut().unwrap().remove("attitude");
    let res = rate(&app, id, &json!({"criteria": missing})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("criteria.attitude"));
    for bad in [
        json!({"criteria": all("rat_rat_hai_long")}),
        json!({"criteria": {"overall": "hai_long", "online": "hai_long", "on_time": "hai_long", "attitude": "hai_long", "contacts": "hai_long", "extra": "hai_long"}}),
        json!({"criteria": all("hai_long"), "comment": "x".repeat(2001)}),
        json!({"criteria": all("hai_long"), "who": "me"}),
        json!([1, 2]),
    ] {
        let res = rate(&app, id, &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // A NUL byte is refused before any handler sees it (the input guard), on both databases.
    let res = rate(&app, id, &json!({"criteria": all("hai_long"), "comment": "a\u{0}b"})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(ratings_stored(&app).await, 0, "nothing stored by a refused rating");
    let res = app.get(&format!("/api/v1/dossiers/{id}/rating")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "not rated yet");

    // Rated: read back as given; the same answers again (a second click) change nothing.
    let mut mixed = all("rat_hai_long");
    mixed["attitude"] = json!("khong_hai_long");
    let given = json!({"criteria": mixed, "comment": "Cán bộ hướng dẫn chưa rõ ràng"});
    let res = rate(&app, id, &given).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(state_of(&app, id).await.rating_dislike, Some(true), "the dossier's 5.4 fact");
    let again = rate(&app, id, &given).await;
    assert_eq!(again.status(), StatusCode::OK);
    let read: Value = app.get(&format!("/api/v1/dossiers/{id}/rating")).await.json().await.unwrap();
    assert_eq!(
        (read["criteria"].clone(), read["comment"].as_str(), read["version"].as_i64()),
        (mixed.clone(), Some("Cán bộ hướng dẫn chưa rõ ràng"), Some(1))
    );
    // Changed within the window.
    app.state.clock.advance(chrono::Duration::days(2));
    app.sso_sign_in("nguyen-van-an").await;
    let res = rate(&app, id, &json!({"criteria": all("hai_long"), "comment": ""})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let read: Value = res.json().await.unwrap();
    assert_eq!((read["criteria"]["attitude"].as_str(), read["version"].as_i64()), (Some("hai_long"), Some(2)));
    assert_eq!(state_of(&app, id).await.rating_dislike, Some(false), "the fact follows the changed rating");
    // Past it: refused, and the rating stays.
    app.state.clock.advance(chrono::Duration::days(2));
    app.sso_sign_in("nguyen-van-an").await;
    let res = rate(&app, id, &json!({"criteria": all("khong_hai_long")})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let read: Value = app.get(&format!("/api/v1/dossiers/{id}/rating")).await.json().await.unwrap();
    assert_eq!((read["criteria"]["overall"].as_str(), read["version"].as_i64()), (Some("hai_long"), Some(2)));
    let (status, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã hết thời gian sửa đánh giá"), "the page says it is closed");

    // Each version goes to the national portal on the dossier's sync topic.
    let messages = sync_messages(&app, done.code.as_deref().unwrap()).await;
    let sent: Vec<(String, i64)> =
        messages.iter().map(|m| (m["service"].as_str().unwrap().to_owned(), m["seq"].as_i64().unwrap())).collect();
    assert_eq!(sent, [("DongBoDanhGiaHoSo".to_owned(), 1), ("DongBoDanhGiaHoSo".to_owned(), 2)]);
    let first = &messages[0]["data"][0];
    assert_eq!((first["KhongHaiLong"].as_i64(), first["DanhSachTieuChi"].as_array().map(Vec::len)), (Some(1), Some(5)));
}

#[tokio::test]
async fn a_rating_given_on_the_page_and_the_units_figures_name_nobody() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let unit = "000.00.41.H99";
    let p = ProcedureBuilder::new("9.900041", unit).create(&app).await;
    official_with(&app, "ld.dg", &[Role::Leader], unit).await;
    official_with(&app, "tn.dg", &[Role::Reception], unit).await;
    app.sso_sign_in("nguyen-van-an").await;
    let me = applicant_id(&app, "Nguyễn Văn An").await;
    let d = DossierBuilder::in_step(&p, "tra_ket_qua", "returned").of_applicant(me).insert(&app, 1).await;
    let (status, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{}", d.public_id))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đánh giá mức độ hài lòng") && page.contains("Rất hài lòng"), "the form: {page}");
    let csrf = app.csrf_of(&app.client).await;
    let mut form = vec![("_csrf".to_owned(), csrf), ("comment".to_owned(), "Thủ tục nhanh, cảm ơn Sở".to_owned())];
    for key in ["overall", "online", "on_time", "attitude", "contacts"] {
        form.push((format!("criteria.{key}"), "rat_hai_long".to_owned()));
    }
    let res = app.client.post(app.url(&format!("/ho-so/{}/danh-gia", d.public_id))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{}", d.public_id))).await;
    assert!(page.contains("Cảm ơn ông/bà đã đánh giá"));

    // The leader sees the unit's figures and the comment, not who or which dossier.
    let leader = official(&app, "ld.dg").await;
    let (status, page) = get_html_with(&leader, &app.url("/can-bo/danh-gia")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Thủ tục nhanh, cảm ơn Sở"), "the comment: {page}");
    assert!(page.contains("<td>1</td>"), "one very satisfied answer per criterion: {page}");
    for personal in ["Nguyễn Văn An", "001090012345", d.code.as_deref().unwrap(), &d.public_id] {
        assert!(!page.contains(personal), "the unit's page names nobody: {personal}");
    }
    // Other officials have no such page, and the dossier's page of the office shows no rating.
    let reception = official(&app, "tn.dg").await;
    let (status, _) = get_html_with(&reception, &app.url("/can-bo/danh-gia")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = get_html_with(&leader, &app.url(&format!("/can-bo/ho-so/{}", d.public_id))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Thủ tục nhanh, cảm ơn Sở"), "the office's dossier page does not show the rating");
    let (status, _) = get_html_with(&leader, &app.url("/can-bo/danh-gia?from=2026-12-31&to=2026-01-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_counter_applicant_rates_once_through_the_link_on_their_copy_and_it_reaches_the_national_portal() {
    let app = TestApp::spawn_with_sso().await;
    let officer = official(&app, "tiepnhan").await;
    let id = crate::reception::counter_dossier(&app, &officer).await;
    let csrf = app.csrf_of(&officer).await;
    let copy = |csrf: String| {
        officer.post(app.url(&format!("/can-bo/ho-so/{id}/ban-nguoi-nop.pdf"))).form(&[("_csrf", csrf)]).send()
    };
    let res = copy(csrf.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    crate::dossier_support::check_pdf_text(&res.bytes().await.unwrap(), |text| {
        assert!(text.contains("ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG") && text.contains("/danh-gia/"), "{text}");
    });
    assert_eq!(copy("forged".into()).await.unwrap().status(), StatusCode::FORBIDDEN);
    // The office's receipt page never carries the link.
    let (_, page) = get_html_with(&officer, &app.url(&format!("/can-bo/ho-so/{id}/phieu-tiep-nhan"))).await;
    assert!(!page.contains("/danh-gia/"), "the officials' view has no link");

    // The link printed last is the one that works (what the test reads, the officer handed over).
    let d = state_of(&app, &id).await;
    let old = motcua::rating::link::issue(&app.db, &d, app.now()).await.unwrap();
    let token = motcua::rating::link::issue(&app.db, &d, app.now()).await.unwrap();
    let anonymous = TestApp::new_client();
    let (status, page) = get_html_with(&anonymous, &app.url(&format!("/danh-gia/{token}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("chưa giải quyết xong"), "not finished yet: {page}");
    let (status, _) = get_html_with(&anonymous, &app.url(&format!("/danh-gia/{old}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a link printed before no longer works");

    // Its whole life at the desk, to the result handed over.
    let res = app.post_form_with(&officer, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "0000125")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (specialist, leader) = (official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    assert_eq!(act(&app, &officer, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(&app, &specialist, &id, "trinh_phe_duyet", &[], None).await.status(), StatusCode::SEE_OTHER);
    let res = act(&app, &leader, &id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "ket qua"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(&app, &officer, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);

    let (_, page) = get_html_with(&anonymous, &app.url(&format!("/danh-gia/{token}"))).await;
    let csrf = crate::dossier_support::attribute(&page, "_csrf");
    let mut form = vec![("_csrf".to_owned(), csrf.clone()), ("comment".to_owned(), "Nhanh gọn".to_owned())];
    for key in ["overall", "online", "on_time", "attitude", "contacts"] {
        form.push((format!("criteria.{key}"), "hai_long".to_owned()));
    }
    let post = |form: Vec<(String, String)>| anonymous.post(app.url(&format!("/danh-gia/{token}"))).form(&form).send();
    let res = post(form.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(form).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT, "the link is used once");
    let (_, page) = get_html_with(&anonymous, &app.url(&format!("/danh-gia/{token}"))).await;
    assert!(page.contains("đã được sử dụng"));
    assert_eq!(ratings_stored(&app).await, 1);
    // The officials who handled it are counted with the rating, without the rater.
    use sea_orm::EntityTrait;
    let officials = entity::rating_official::Entity::find().all(&app.db).await.unwrap();
    assert!(officials.len() >= 3, "reception, specialist and leader: {officials:?}");

    // Delivered to the mock national portal after the dossier's own records, once.
    let mock = crate::national_sync::mock_of(&app);
    crate::national_sync::drain(&app).await;
    let code = state_of(&app, &id).await.code.unwrap();
    crate::national_sync::assert_synced(&app, &mock, &code).await;
    let (_, history) = crate::national_sync::held(&mock, &code).await;
    assert_eq!(history.last().map(|(s, n, _)| (s.as_str(), *n)), Some(("DongBoDanhGiaHoSo", 1)));
}

/// The invitations to rate mailed to the counter applicant of these tests.
async fn invitations(app: &TestApp) -> Vec<String> {
    crate::dossier_support::queued_mails(app)
        .await
        .into_iter()
        .filter(|m| m["to"] == "hoa.pham@example.vn" && m["subject"].as_str().unwrap().contains("Mời đánh giá"))
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

/// Walks a counter dossier from reception to the result handed over.
async fn finish_at_the_counter(app: &TestApp, officer: &reqwest::Client, id: &str) {
    let res = app.post_form_with(officer, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "0000126")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (specialist, leader) = (official(app, "chuyenvien").await, official(app, "lanhdao").await);
    assert_eq!(act(app, officer, id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, &specialist, id, "trinh_phe_duyet", &[], None).await.status(), StatusCode::SEE_OTHER);
    let res = act(app, &leader, id, "phe_duyet_ket_qua", &[], Some(pdf(3000, "ket qua"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, officer, id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_counter_applicant_with_an_email_address_is_mailed_the_link_once_the_dossier_is_finished() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn_with_sso().await;
    let officer = official(&app, "tiepnhan").await;
    let with_email = |id: String| {
        let app = &app;
        async move {
            let mut m: entity::dossier::ActiveModel = state_of(app, &id).await.into();
            m.applicant_email = Set("hoa.pham@example.vn".into());
            m.update(&app.db).await.unwrap();
            id
        }
    };
    // No copy with a link was printed: the mail brings one, once the result is handed over.
    let id = with_email(crate::reception::counter_dossier(&app, &officer).await).await;
    assert!(invitations(&app).await.is_empty(), "nothing to rate before the end");
    finish_at_the_counter(&app, &officer, &id).await;
    let mails = invitations(&app).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let token = mails[0].split("/danh-gia/").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let (status, page) = get_html_with(&TestApp::new_client(), &app.url(&format!("/danh-gia/{token}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("criteria.overall"), "the rating form: {page}");

    // A copy printed at the desk already carries its link: the mail points to it and voids nothing.
    let id = with_email(crate::reception::counter_dossier(&app, &officer).await).await;
    let printed = motcua::rating::link::issue(&app.db, &state_of(&app, &id).await, app.now()).await.unwrap();
    finish_at_the_counter(&app, &officer, &id).await;
    let mails = invitations(&app).await;
    assert_eq!(mails.len(), 2);
    assert!(!mails[1].contains("/danh-gia/") && mails[1].contains("giấy tiếp nhận"), "{}", mails[1]);
    let (status, _) = get_html_with(&TestApp::new_client(), &app.url(&format!("/danh-gia/{printed}"))).await;
    assert_eq!(status, StatusCode::OK, "the printed link still works");
}
