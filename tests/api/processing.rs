//! Processing through the workflows: each step by the officials whose role
//! the step names, in the dossier's unit; the inbox, taking a dossier from
//! the pool, the result document, the paused clock of a supplement, and one
//! winner when two officials act at once.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::dossier_support::*;
use crate::helpers::{TestApp, get_html_with, location};

/// A business dossier of `procedure` submitted over the API with `documents` PDFs; returns its id.
pub async fn business_dossier(app: &TestApp, procedure: &str, documents: usize) -> String {
    app.sso_sign_in("cong-ty-sao-mai").await;
    let csrf = app.csrf_of(&app.client).await;
    let mut form = Form::new().text("procedure", procedure.to_owned()).text(
        "form",
        json!({"ten_to_chuc": "Công ty TNHH Sao Mai", "ma_so_thue": "0101234567", "nguoi_dai_dien": "Đỗ Văn Mai",
               "dia_chi_tru_so": "Số 2 Láng Hạ, Hà Nội", "dien_thoai": "02439990000", "email": "saomai@example.vn",
               "so_ten_xuat_ban_pham": "3"})
        .to_string(),
    );
    for slot in 1..=documents {
        form = form
            .part(format!("file.{slot}"), Part::bytes(pdf(3000, &format!("{procedure} {slot}"))).file_name("tep.pdf"));
    }
    let res =
        app.client.post(app.url("/api/v1/dossiers")).header("X-CSRF-Token", csrf).multipart(form).send().await.unwrap();
    let status = res.status();
    let body = res.json::<Value>().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_three_step_workflow_leads_to_the_result_with_the_right_officials() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(&app).await;
    let (reception, specialist, leader) =
        (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    assert_eq!(reception_action(&app, &reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.workflow_state.as_deref(), Some("tiep_nhan"));
    assert!(d.step_due_at.is_some() && d.step_due_at < d.due_at, "reception has its own, shorter deadline");

    // The reception officer finds it in the unit's pool.
    let (_, pool) = get_html_with(&reception, &app.url("/can-bo/hop-thu?tab=pool")).await;
    assert!(pool.contains(&id), "in the pool");
    // Nobody but reception may move it on from reception.
    for who in [&specialist, &leader] {
        assert_eq!(act(&app, who, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!((d.workflow_state.as_deref(), d.status.as_str()), (Some("tham_dinh"), "in_progress"));
    let chuyenvien = motcua::auth::accounts::find(&app.db, d.assignee_id.expect("assigned")).await.unwrap();
    assert_eq!(chuyenvien.username.as_deref(), Some("chuyenvien"), "the least loaded specialist holds it");
    let (_, mine) = get_html_with(&specialist, &app.url("/can-bo/hop-thu")).await;
    assert!(mine.contains(&id), "in the specialist's own inbox");

    for who in [&reception, &leader] {
        let res = act(&app, who, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện")], None).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        act(&app, &specialist, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện")], None).await.status(),
        StatusCode::SEE_OTHER
    );
    // Approval needs the result document.
    assert_eq!(
        act(&app, &leader, &id, "phe_duyet_ket_qua", &[], None).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let result = pdf(5000, "the nha bao");
    assert_eq!(
        act(&app, &leader, &id, "phe_duyet_ket_qua", &[], Some(result.clone())).await.status(),
        StatusCode::SEE_OTHER
    );
    let d = state_of(&app, &id).await;
    assert_eq!((d.workflow_state.as_deref(), d.status.as_str()), (Some("tra_ket_qua"), "result_ready"));
    let res = app.get(&format!("/ho-so/{id}/ket-qua")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(&result), "the applicant downloads the result");
    assert_eq!(act(&app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!((d.status.as_str(), d.closed_at.is_some()), ("returned", true));

    let json = dossier_json(&app, &app.client, &id).await;
    let steps: Vec<(&str, &str)> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] != "payment")
        .map(|e| (e["action"].as_str().unwrap(), e["to_state"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        steps,
        [
            ("submit", ""),
            // Reception enters the workflow's first step, and the history says which.
            ("receive", "tiep_nhan"),
            ("chuyen_tham_dinh", "tham_dinh"),
            ("trinh_phe_duyet", "phe_duyet"),
            ("phe_duyet_ket_qua", "tra_ket_qua"),
            ("xac_nhan_tra_ket_qua", "da_tra_ket_qua"),
        ]
    );
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("Phê duyệt kết quả") && page.contains("Đã trả kết quả"), "the timeline names the steps");
    // Every change is queued, frozen, for the sync worker (tests/api/lifecycle.rs reads the records).
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let sync = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Topic.eq("national_sync"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(sync, 6 + 1 + 5, "every change and the payment as a record, reception and each step also as progress");
    // Closed: no more actions.
    assert_eq!(act(&app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_supplement_stops_the_clock_and_the_due_date_moves_by_the_time_away() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(&app).await;
    let (reception, specialist) = (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await);
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    let asked = [("documents", "Bản sao hợp đồng lao động có chứng thực"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(
        act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked[..1], None).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let before = state_of(&app, &id).await;
    assert_eq!(before.status.as_str(), "awaiting_supplement");
    assert_eq!(
        before.supplement_request.as_deref(),
        Some(
            "Giấy tờ cần bổ sung, hoàn thiện: Bản sao hợp đồng lao động có chứng thực\nLý do: Bản đã nộp không đọc được"
        ),
        "each part under its label"
    );
    // The request was made a week ago (moved back in the record, to see the clock).
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    use motcua::sla::local_time::{to_local, to_utc};
    let week_back =
        to_utc(cal.add_working_minutes(cal.next_working_instant(to_local(app.now())) - chrono::Duration::days(7), 0));
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
        let mut m = before.clone().into_active_model();
        m.paused_at = Set(Some(week_back));
        m.update(&app.db).await.unwrap();
    }
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("hợp đồng lao động"), "the applicant sees what is asked");
    let fields =
        [("_csrf", attribute(&page, "_csrf")), ("version", attribute(&page, "version")), ("note", "Đã bổ sung".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let files = [("file.2", "hop-dong-chung-thuc.pdf", pdf(4000, "hd"))];
    let res = post_multipart(&app, &app.client, &format!("/ho-so/{id}/bo-sung"), &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/ho-so/{id}"));
    let after = state_of(&app, &id).await;
    assert_eq!((after.workflow_state.as_deref(), after.status.as_str()), (Some("tham_dinh"), "in_progress"));
    assert!(after.paused_at.is_none() && after.supplement_request.is_none());
    let away = cal.working_minutes_between(to_local(week_back), to_local(after.step_started_at.unwrap()));
    let moved = cal.working_minutes_between(to_local(before.due_at.unwrap()), to_local(after.due_at.unwrap()));
    assert!(away > 0);
    assert_eq!(moved, away, "the appointment moved by exactly the working time with the applicant");
}

#[tokio::test]
async fn two_officials_acting_at_once_one_wins() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(&app).await;
    let reception = official(&app, "tiepnhan").await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    app.create_official("tiepnhan2", &[motcua::auth::role::Role::Reception], Some("000.01.00.G12")).await;
    let other = official(&app, "tiepnhan2").await;
    let (a, b) = tokio::join!(
        act(&app, &reception, &id, "chuyen_tham_dinh", &[], None),
        act(&app, &other, &id, "tu_choi_tiep_nhan", &[("reason", "Không thuộc thẩm quyền")], None)
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    // Both read the same version: one moves it, the other is told it changed (or that the action no longer applies).
    assert_eq!(statuses[0], StatusCode::SEE_OTHER);
    assert_eq!(statuses[1], StatusCode::CONFLICT);
    let history = dossier_json(&app, &app.client, &id).await;
    let money = |e: &&Value| e["kind"] == "payment" || e["kind"] == "refund";
    let steps = history["history"].as_array().unwrap().iter().filter(|e| !money(e)).count();
    assert_eq!(steps, 3, "submit, receive and one step");
}

/// A workflow action and what is typed with it.
type Step<'a> = (&'a str, &'a [(&'a str, &'a str)]);

#[tokio::test]
async fn inter_agency_and_field_inspection_workflows_run_to_the_result() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    use motcua::auth::role::Role;
    for (name, role) in [("tn.xb", Role::Reception), ("cv.xb", Role::Specialist), ("ld.xb", Role::Leader)] {
        app.create_official(name, &[role], Some("000.02.00.G12")).await;
    }
    let (reception, specialist, leader) =
        (official(&app, "tn.xb").await, official(&app, "cv.xb").await, official(&app, "ld.xb").await);
    let paths: [(&str, &[Step]); 2] = [
        (
            "1.003725",
            &[
                ("chuyen_tham_dinh", &[]),
                ("chuyen_lien_thong", &[("agency", "000.03.00.G12"), ("note", "Xin ý kiến")]),
                ("nhan_ket_qua_lien_thong", &[]),
            ],
        ),
        (
            "1.003733",
            &[
                ("chuyen_tham_dinh", &[]),
                ("lap_doan_kiem_tra", &[("note", "Kiểm tra ngày 02/12")]),
                ("trinh_phe_duyet", &[]),
            ],
        ),
    ];
    for (procedure, steps) in paths {
        let id = business_dossier(&app, procedure, 3).await;
        assert_eq!(reception_action(&app, &reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
        for (action, fields) in steps {
            let who = if *action == "chuyen_tham_dinh" { &reception } else { &specialist };
            let result =
                (*action == "nhan_ket_qua_lien_thong" || *action == "trinh_phe_duyet").then(|| pdf(2000, action));
            let res = act(&app, who, &id, action, fields, result).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{procedure}: {action}");
        }
        crate::payments::pay_in_full(&app, &id).await;
        assert_eq!(
            act(&app, &leader, &id, "phe_duyet_ket_qua", &[], Some(pdf(3000, procedure))).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(act(&app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(state_of(&app, &id).await.status.as_str(), "returned", "{procedure}");
    }
}

#[tokio::test]
async fn approval_after_appraisal_waits_for_the_fee() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    use motcua::auth::role::Role;
    for (name, role) in [("tn.xb", Role::Reception), ("cv.xb", Role::Specialist)] {
        app.create_official(name, &[role], Some("000.02.00.G12")).await;
    }
    let (reception, specialist) = (official(&app, "tn.xb").await, official(&app, "cv.xb").await);
    let id = business_dossier(&app, "1.003729", 2).await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(
        act(&app, &specialist, &id, "yeu_cau_nop_phi", &[("note", "Phí thẩm định 500.000 đ")], None).await.status(),
        StatusCode::SEE_OTHER
    );
    let d = state_of(&app, &id).await;
    assert_eq!((d.status.as_str(), d.paused_at.is_some()), ("awaiting_payment", true), "the clock stops for the fee");
    let res = act(&app, &specialist, &id, "da_nop_phi", &[], None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "only the payment moves it on");
    assert_eq!(state_of(&app, &id).await.workflow_state.as_deref(), Some("cho_nop_phi"));
}
