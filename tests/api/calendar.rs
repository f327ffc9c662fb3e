//! Admins keep the office calendar, and appointments follow it at once.

use reqwest::StatusCode;

use crate::dossier_support::*;
use crate::helpers::{TestApp, decode_entities, get_html_with};

#[tokio::test]
async fn a_holiday_added_by_an_admin_moves_the_next_appointment() {
    let app = TestApp::spawn_with_sso().await;
    let (_, page) = get_html_with(app.admin().await, &app.url("/quan-tri/lich-lam-viec")).await;
    assert!(page.contains("2026-02-17") && page.contains("TB 9441/TB-BNV"), "seeded from the official notice");
    assert!(page.contains("2027-01-01"), "next year is there too");

    // The appointment of an automatically received dossier today.
    app.sso_sign_in("nguyen-van-an").await;
    let files = vec![("file.1", "to-khai.pdf", pdf(5000, "a")), ("file.2", "xac-nhan.pdf", pdf(5000, "b"))];
    let first = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    submit(&app, &app.client, &first).await;
    // Received once its fee is paid (the procedure's clock waits for it).
    crate::payments::pay_in_full(&app, &first).await;
    let due = |d: serde_json::Value| {
        let at: chrono::DateTime<chrono::Utc> = d["due_at"].as_str().unwrap().parse().unwrap();
        motcua::sla::local_time::to_local(at)
    };
    let before = due(dossier_json(&app, &app.client, &first).await);

    // The admin declares that day a holiday; a bad date is refused first.
    let bad = app
        .post_form_with(
            app.admin().await,
            "/quan-tri/lich-lam-viec",
            &[("day", "31/02/2027"), ("kind", "holiday"), ("name", "X")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&bad.text().await.unwrap()).contains("Ngày không hợp lệ"));
    let day = before.date().format("%Y-%m-%d").to_string();
    let res = app
        .post_form_with(
            app.admin().await,
            "/quan-tri/lich-lam-viec",
            &[("day", &day), ("kind", "holiday"), ("name", "Nghỉ đột xuất"), ("source", "Quyết định thử nghiệm")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.audit_page("calendar.save").await.contains(&day));

    let second = fill_draft(&app, &app.client, PRESS_CARD_REISSUE, &press_card_fields(), &files).await;
    submit(&app, &app.client, &second).await;
    crate::payments::pay_in_full(&app, &second).await;
    let after = due(dossier_json(&app, &app.client, &second).await);
    assert!(after.date() > before.date(), "{before} then {after}: the new holiday is skipped");
    let calendar = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    assert!(!calendar.is_working_day(before.date()) && calendar.is_working_day(after.date()));
    // The first dossier keeps the appointment it was given.
    assert_eq!(due(dossier_json(&app, &app.client, &first).await), before);

    // Removing it again; an unknown day is not found.
    let res = app.post_form_with(app.admin().await, &format!("/quan-tri/lich-lam-viec/{day}/xoa"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app.post_form_with(app.admin().await, "/quan-tri/lich-lam-viec/1999-01-01/xoa", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
