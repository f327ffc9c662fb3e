//! The officials' back office beyond the steps themselves: the next handler
//! told, a leader reassigning, comments kept from the applicant, the inbox
//! filters, the apology with its one new date, a second supplement counted,
//! an unanswered supplement closing the dossier, the 8-hour acceptance
//! watch, the restart of the limit after a correction, and forms 02–07.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::dossier_support::*;
use crate::helpers::{TestApp, get_html_with};
use motcua::auth::role::Role;

async fn notices_of(app: &TestApp, account: i32) -> Vec<entity::notice::Model> {
    entity::notice::Entity::find().filter(entity::notice::Column::AccountId.eq(account)).all(&app.db).await.unwrap()
}

async fn account_id(app: &TestApp, username: &str) -> i32 {
    entity::account::Entity::find()
        .filter(entity::account::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A press-card dossier received and sent for appraisal; returns its id.
async fn in_appraisal(app: &TestApp, reception: &reqwest::Client) -> String {
    let (id, _) = paid_press_card(app).await;
    assert_eq!(reception_action(app, reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(app, reception, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    id
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_with(client, path, fields).await
}

#[tokio::test]
async fn the_next_handler_is_told_and_a_leader_can_give_the_dossier_to_another() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let second = app.create_official("chuyenvien2", &[Role::Specialist], Some("000.01.00.G12")).await;
    {
        let mut m =
            entity::account::Entity::find_by_id(second).one(&app.db).await.unwrap().unwrap().into_active_model();
        m.email = Set(Some("chuyenvien2@example.gov.vn".into()));
        m.update(&app.db).await.unwrap();
    }
    let (reception, specialist, leader) =
        (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    let id = in_appraisal(&app, &reception).await;
    let first = account_id(&app, "chuyenvien").await;
    assert_eq!(state_of(&app, &id).await.assignee_id, Some(first), "the least loaded specialist (lowest id) holds it");
    let told = notices_of(&app, first).await;
    assert_eq!(told.len(), 1, "the holder is told the dossier waits for them");
    assert_eq!(told[0].kind, "assigned");
    assert!(told[0].text.contains("Thẩm định hồ sơ"));
    let (_, home) = get_html_with(&specialist, &app.url("/can-bo")).await;
    assert!(home.contains("chờ xử lý ở bước"), "shown on the official's page");

    // Only a leader may reassign; only to an official who works the step; with the current version.
    let version = state_of(&app, &id).await.version.to_string();
    let to_second = second.to_string();
    let res = post(
        &app,
        &specialist,
        &format!("/can-bo/ho-so/{id}/giao-lai"),
        &[("assignee", &to_second), ("version", &version)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let reception_id = account_id(&app, "tiepnhan").await.to_string();
    let res = post(
        &app,
        &leader,
        &format!("/can-bo/ho-so/{id}/giao-lai"),
        &[("assignee", &reception_id), ("version", &version)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "reception does not appraise");
    let res =
        post(&app, &leader, &format!("/can-bo/ho-so/{id}/giao-lai"), &[("assignee", &to_second), ("version", "0")])
            .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale page");
    let (_, page) = get_html_with(&leader, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(page.contains("Cán bộ chuyenvien2"), "the leader is offered the other specialist");
    let res = post(
        &app,
        &leader,
        &format!("/can-bo/ho-so/{id}/giao-lai"),
        &[("assignee", &to_second), ("version", &version)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!((d.assignee_id, d.workflow_state.as_deref()), (Some(second), Some("tham_dinh")));
    assert_eq!(notices_of(&app, second).await.len(), 1);
    let mails = queued_mails(&app).await;
    let mail = mails.iter().find(|m| m["to"] == "chuyenvien2@example.gov.vn").expect("the new holder is mailed");
    assert!(mail["text"].as_str().unwrap().contains(&format!("/can-bo/ho-so/{id}")));
    // The dossier left the first specialist's inbox and is in the second's.
    let (_, inbox) = get_html_with(&specialist, &app.url("/can-bo/hop-thu")).await;
    assert!(!inbox.contains(&id));
    let other = official(&app, "chuyenvien2").await;
    let (_, inbox) = get_html_with(&other, &app.url("/can-bo/hop-thu")).await;
    assert!(inbox.contains(&id));
    // The first specialist can no longer act on it as its holder: the step is the second one's now,
    // but the role still allows the action (the pool's rule), so an action by the second succeeds.
    assert_eq!(
        act(&app, &other, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện")], None).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn comments_stay_with_the_officials_and_do_not_make_pages_stale() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    let id = in_appraisal(&app, &reception).await;
    let specialist = official(&app, "chuyenvien").await;
    let before = state_of(&app, &id).await.version;
    let path = format!("/can-bo/ho-so/{id}/y-kien");
    assert_eq!(post(&app, &specialist, &path, &[("comment", "   ")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let long = "x".repeat(2001);
    assert_eq!(post(&app, &specialist, &path, &[("comment", &long)]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(&app, &specialist, &path, &[("comment", "Cần đối chiếu thẻ cũ số 123")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, &id).await.version, before, "a comment is not a change of the dossier");
    let (_, page) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(page.contains("Cần đối chiếu thẻ cũ số 123"), "colleagues read it");
    let (_, mine) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(!mine.contains("đối chiếu thẻ cũ"), "the applicant does not");
    let json = dossier_json(&app, &app.client, &id).await;
    assert!(json["history"].as_array().unwrap().iter().all(|e| e["action"] != "comment"));
    // An applicant cannot post one.
    let res = post(&app, &app.client, &path, &[("comment", "Tôi cũng muốn ghi")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        entity::dossier_event::Entity::find()
            .filter(entity::dossier_event::Column::Action.eq("comment"))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_inbox_filters_by_procedure_status_and_deadline_state() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    let (a, _) = paid_press_card(&app).await;
    let (b, _) = paid_press_card(&app).await;
    for id in [&a, &b] {
        reception_action(&app, &reception, id, "tiep-nhan", "").await;
    }
    let mut m = state_of(&app, &b).await.into_active_model();
    m.due_state = Set(motcua::values::DueState::Overdue);
    m.update(&app.db).await.unwrap();
    let page = |q: &'static str| {
        let reception = reception.clone();
        let url = app.url(&format!("/can-bo/hop-thu?tab=pool&{q}"));
        async move { get_html_with(&reception, &url).await }
    };
    let (_, all) = page("").await;
    assert!(all.contains(&a) && all.contains(&b));
    let (_, late) = page("due=overdue").await;
    assert!(late.contains(&b) && !late.contains(&a));
    let (_, by_procedure) = page("procedure=1.004227&status=received").await;
    assert!(by_procedure.contains(&a) && by_procedure.contains(&b));
    let (_, other) = page("procedure=1.004236").await;
    assert!(!other.contains(&a) && !other.contains(&b));
    let (status, _) = page("due=someday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = page("procedure=9.999999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a procedure of another agency");
}

#[tokio::test]
async fn the_apology_moves_the_date_once_and_form_04_says_so() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (reception, specialist, leader) =
        (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    let id = in_appraisal(&app, &reception).await;
    let (status, _) = get_html_with(&leader, &app.url(&format!("/can-bo/ho-so/{id}/mau/04"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no apology yet: no form 04");
    let d = state_of(&app, &id).await;
    let old_due = d.due_at.unwrap();
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let old_day = motcua::sla::local_time::to_local(old_due).date();
    let mut new_day = old_day + chrono::Duration::days(7);
    while !cal.is_working_day(new_day) {
        new_day += chrono::Duration::days(1);
    }
    let mut sunday = old_day + chrono::Duration::days(1);
    while chrono::Datelike::weekday(&sunday) != chrono::Weekday::Sun {
        sunday += chrono::Duration::days(1);
    }
    let path = format!("/can-bo/ho-so/{id}/xin-loi");
    let v = d.version.to_string();
    let (new_text, sunday_text, old_text) = (new_day.to_string(), sunday.to_string(), old_day.to_string());
    let reason = "Chờ ý kiến của Bộ Công an về lý lịch";
    let res = post(&app, &specialist, &path, &[("version", &v), ("reason", reason), ("new_due", &new_text)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the head of the agency apologises");
    for (day, why) in [(&sunday_text, "a Sunday"), (&old_text, "not later"), (&"31/12/2026".to_owned(), "not a date")] {
        let res = post(&app, &leader, &path, &[("version", &v), ("reason", reason), ("new_due", day)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    let res = post(&app, &leader, &path, &[("version", &v), ("reason", ""), ("new_due", &new_text)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
    assert_eq!(state_of(&app, &id).await.version, d.version, "refused attempts change nothing");
    let res = post(&app, &leader, &path, &[("version", &v), ("reason", reason), ("new_due", &new_text)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = state_of(&app, &id).await;
    assert_eq!(after.rescheduled_from, Some(old_due));
    assert_eq!(motcua::sla::local_time::to_local(after.due_at.unwrap()), cal.closing(new_day));
    assert!(!after.apology_late, "days before the deadline");
    let mail = queued_mails(&app).await.into_iter().rev().find(|m| m["to"] == "an.nguyen@example.vn");
    let mail = mail.expect("the applicant is told");
    assert!(mail["text"].as_str().unwrap().contains(reason));
    // Once only.
    let v2 = after.version.to_string();
    let later = (new_day + chrono::Duration::days(7)).to_string();
    let res = post(&app, &leader, &path, &[("version", &v2), ("reason", reason), ("new_due", &later)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pdf = leader.get(app.url(&format!("/can-bo/ho-so/{id}/mau/04.pdf"))).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    check_pdf_text(&pdf.bytes().await.unwrap(), |text| {
        assert!(text.contains("XIN LỖI") && text.contains(reason), "{text}");
        assert!(text.contains(&motcua::dossier::receipt::moment_vi(after.due_at.unwrap())), "the new date");
        assert!(text.contains(&motcua::dossier::receipt::moment_vi(old_due)), "the old date");
    });
    let (_, mine) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(mine.contains("Xin lỗi và hẹn lại"), "the applicant's timeline shows it");
}

#[tokio::test]
async fn a_second_supplement_request_is_counted_and_an_unanswered_one_closes_the_dossier() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    let specialist = official(&app, "chuyenvien").await;
    let id = in_appraisal(&app, &reception).await;
    let asked = [("documents", "Bản sao hợp đồng lao động có chứng thực"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.supplement_count, 1);
    let until = d.supplement_due_at.expect("the supplement has its time limit");
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    use motcua::sla::local_time::to_local;
    let asked_at = d.paused_at.unwrap();
    assert_eq!(cal.working_minutes_between(to_local(asked_at), to_local(until)), 15 * cal.minutes_per_day());
    // Form 02 lists what is asked.
    let form = specialist.get(app.url(&format!("/can-bo/ho-so/{id}/mau/02.pdf"))).send().await.unwrap();
    check_pdf_text(&form.bytes().await.unwrap(), |text| {
        assert!(text.contains("YÊU CẦU BỔ SUNG") && text.contains("hợp đồng lao động"), "{text}");
    });

    // The applicant answers; a second request is allowed, said to be one, and counted.
    let files = [("file.2", "hop-dong.pdf", pdf(4000, "hd"))];
    let res = answer_supplement(&app, &id, "Đã bổ sung", &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(state_of(&app, &id).await.supplement_due_at.is_none(), "answered: nothing to close");
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.supplement_count, 2);
    let (_, page) = get_html_with(&specialist, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(page.contains("Yêu cầu bổ sung lần 2"), "the history says it is the second");

    // Fifteen working days pass without an answer.
    let now = app.now();
    let mut m = d.clone().into_active_model();
    m.supplement_due_at = Set(Some(now - chrono::Duration::minutes(1)));
    m.update(&app.db).await.unwrap();
    let (a, b) = tokio::join!(
        motcua::dossier::expiry::close_unanswered(&app.state, now),
        motcua::dossier::expiry::close_unanswered(&app.state, now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "closed once, even by two processes");
    let d = state_of(&app, &id).await;
    assert_eq!((d.status.as_str(), d.workflow_state.as_deref()), ("stopped", Some("dung_xu_ly")));
    assert!(d.closed_at.is_some() && d.paused_at.is_none());
    let form = specialist.get(app.url(&format!("/can-bo/ho-so/{id}/mau/05.pdf"))).send().await.unwrap();
    check_pdf_text(&form.bytes().await.unwrap(), |text| {
        assert!(text.contains("DỪNG GIẢI QUYẾT") && text.contains("15 ngày làm việc"), "{text}");
    });
    let json = dossier_json(&app, &app.client, &id).await;
    assert_eq!(json["status"], "stopped", "the applicant sees it stopped");
    let mails = queued_mails(&app).await;
    assert!(mails.iter().any(|m| m["text"].as_str().unwrap().contains("quá hạn bổ sung")));
    let invited = mails.iter().filter(|m| m["subject"].as_str().unwrap().contains("Mời đánh giá")).count();
    assert_eq!(invited, 1, "a stopped dossier can be rated: its applicant is invited, once");
}

#[tokio::test]
async fn an_online_dossier_left_eight_working_hours_is_flagged_once() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let d = state_of(&app, &id).await;
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    use motcua::sla::local_time::to_local;
    let due = d.accept_due_at.expect("an acceptance time");
    assert_eq!(cal.working_minutes_between(to_local(d.submitted_at.unwrap()), to_local(due)), 8 * 60);
    let now = app.now();
    let report = motcua::deadlines::sweep(&app.db, now).await.unwrap();
    assert_eq!(report.unaccepted, 0, "not yet");
    let mut m = d.into_active_model();
    m.accept_due_at = Set(Some(now - chrono::Duration::minutes(5)));
    m.update(&app.db).await.unwrap();
    let report = motcua::deadlines::sweep(&app.db, now).await.unwrap();
    assert_eq!(report.unaccepted, 1);
    assert!(state_of(&app, &id).await.accept_late);
    let reception = account_id(&app, "tiepnhan").await;
    let told = notices_of(&app, reception).await;
    assert!(told.iter().any(|n| n.kind == "unaccepted"), "reception is told");
    assert_eq!(motcua::deadlines::sweep(&app.db, now).await.unwrap().unaccepted, 0, "once");
}

#[tokio::test]
async fn a_corrected_dossier_starts_its_whole_time_limit_again() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    let (id, _) = paid_press_card(&app).await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    let asked = [("documents", "Ảnh chân dung đúng quy cách"), ("reason", "Ảnh đã nộp bị mờ")];
    assert_eq!(act(&app, &reception, &id, "yeu_cau_hoan_thien", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    let fields = [
        ("_csrf", attribute(&page, "_csrf")),
        ("version", attribute(&page, "version")),
        ("note", "Đã thay ảnh".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let files = [("file.3", "anh.pdf", pdf(4000, "anh"))];
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/bo-sung"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.workflow_state.as_deref(), Some("tiep_nhan"));
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let p = motcua::catalogue::view::by_id(&app.db, d.procedure_id).await.unwrap();
    let restarted = d.step_started_at.unwrap();
    assert_eq!(
        d.due_at.unwrap(),
        motcua::dossier::receive::appointment(&cal, &p, restarted),
        "the whole limit counted again from the corrected dossier"
    );
}

#[tokio::test]
async fn forms_06_and_07_come_from_the_records() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (reception, specialist) = (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await);
    let id = in_appraisal(&app, &reception).await;
    act(&app, &specialist, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện cấp thẻ")], None).await;
    let code = state_of(&app, &id).await.code.unwrap();
    let (status, page) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}/mau/06"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ") && page.contains("Trước hạn"), "{page}");
    let pdf = reception.get(app.url(&format!("/can-bo/ho-so/{id}/mau/06.pdf"))).send().await.unwrap();
    check_pdf_text(&pdf.bytes().await.unwrap(), |text| {
        assert!(text.contains("KIỂM SOÁT") && text.contains(&code) && text.contains("Thẩm định hồ sơ"), "{text}");
        assert!(text.contains("Cán bộ") || text.contains("Nguyễn Thị Lan"), "the officers are named: {text}");
    });
    // The register of the unit for today lists it; another unit's official has no access to the dossier.
    let pdf = reception.get(app.url("/can-bo/so-theo-doi.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    check_pdf_text(&pdf.bytes().await.unwrap(), |text| {
        assert!(text.contains("SỔ THEO DÕI HỒ SƠ") && text.contains(&code), "{text}");
    });
    let (status, _) = get_html_with(&reception, &app.url("/can-bo/so-theo-doi?from=2026-12-31&to=2026-01-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}/mau/09"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}/mau/03"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not refused: no form 03");
    crate::offices::publishing(&app).await;
    app.create_official("nguoi.ngoai", &[Role::Reception], Some(crate::offices::PUBLISHING)).await;
    let outsider = official(&app, "nguoi.ngoai").await;
    let (status, _) = get_html_with(&outsider, &app.url(&format!("/can-bo/ho-so/{id}/mau/06"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another agency's dossier is not theirs to print");
}

#[tokio::test]
async fn a_transfer_names_a_real_partner_agency_whose_officials_read_but_do_not_act() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    for (name, role, unit) in [
        ("tn.xb", Role::Reception, "000.02.00.G12"),
        ("cv.xb", Role::Specialist, "000.02.00.G12"),
        ("cv.tanso", Role::Specialist, "000.03.00.G12"),
    ] {
        app.create_official(name, &[role], Some(unit)).await;
    }
    let (reception, specialist, partner) =
        (official(&app, "tn.xb").await, official(&app, "cv.xb").await, official(&app, "cv.tanso").await);
    app.sso_sign_in("cong-ty-sao-mai").await;
    let id = crate::processing::business_dossier(&app, "1.003725", 3).await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    let (status, _) = get_html_with(&partner, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not theirs before the transfer");
    let (_, page) = get_html_with(&specialist, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(page.contains("<option value=\"000.03.00.G12\">"), "the partner is picked from the agencies");
    for bad in ["Bộ Công an", "000.02.00.G12", ""] {
        let res =
            act(&app, &specialist, &id, "chuyen_lien_thong", &[("agency", bad), ("note", "Xin ý kiến")], None).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: unknown, its own, or none");
    }
    let res = act(
        &app,
        &specialist,
        &id,
        "chuyen_lien_thong",
        &[("agency", "000.03.00.G12"), ("note", "Xin ý kiến về tần số")],
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.workflow_state.as_deref(), Some("lien_thong"));
    let partner_id = account_id(&app, "cv.tanso").await;
    assert!(notices_of(&app, partner_id).await.iter().any(|n| n.kind == "transfer"), "the partner is told");
    let (status, page) = get_html_with(&partner, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert_eq!(status, StatusCode::OK, "the partner reads it");
    assert!(page.contains("Cục Tần số vô tuyến điện"));
    let res = post(&app, &partner, &format!("/can-bo/ho-so/{id}/y-kien"), &[("comment", "Không có ý kiến khác")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "and answers with a comment");
    let res = act(&app, &partner, &id, "nhan_ket_qua_lien_thong", &[], Some(pdf(2000, "y kien"))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "acting stays with the agency");
    let (_, slip) = get_html_with(&specialist, &app.url(&format!("/can-bo/ho-so/{id}/mau/06"))).await;
    assert!(slip.contains("Cục Tần số vô tuyến điện"), "form 06 names the partner agency");
    assert!(slip.contains("(Chuyên viên)"), "and the roles of the officers");
}

#[tokio::test]
async fn officials_preview_pdfs_in_the_page_and_download_the_rest() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let (_, page) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    let start = page.find("<iframe src=\"").expect("a PDF is previewed in the page") + "<iframe src=\"".len();
    let src = crate::helpers::decode_entities(&page[start..start + page[start..].find('"').unwrap()]);
    assert!(src.ends_with("?xem"), "{src}");
    let res = reception.get(app.url(&src)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(header("content-disposition").starts_with("inline"));
    assert_eq!(header("x-frame-options"), "SAMEORIGIN");
    assert!(header("content-security-policy").contains("default-src 'none'"), "the file runs nothing");
    let res = reception.get(app.url(src.trim_end_matches("?xem"))).send().await.unwrap();
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"), "downloads by default");
}
