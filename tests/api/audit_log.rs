//! The audit log records sign-ins, failures, role changes and admin changes,
//! and nothing can edit it.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, password_of};

#[tokio::test]
async fn sign_ins_failures_and_admin_changes_are_recorded() {
    let app = TestApp::spawn().await;
    app.sign_in_with(&app.client, "lanhdao", "khong-dung-mat-khau").await;
    app.sign_in_with(&app.client, "lanhdao", password_of("lanhdao")).await;
    assert_eq!(
        app.post_form_with(app.admin().await, "/quan-tri/thu-tuc/1.004227/bai-bo", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let fields = [
        ("code", "000.09.00.G12"),
        ("name", "Trung tâm Thông tin"),
        ("parent_code", "000.00.00.G12"),
        ("level", "central"),
    ];
    assert_eq!(
        app.post_form_with(app.admin().await, "/quan-tri/co-quan", &fields).await.status(),
        StatusCode::SEE_OTHER
    );

    let failed = app.audit_page("sign_in_failed").await;
    assert!(failed.contains("lanhdao") && failed.contains("127.0.0.1"), "who tried, from where: {failed}");
    let signed_in = app.audit_page("sign_in").await;
    assert!(signed_in.contains("Hoàng Thị Thu"));
    let abolished = app.audit_page("procedure_abolished").await;
    assert!(abolished.contains("1.004227") && abolished.contains("quantri.test"), "what, by whom");
    assert!(app.audit_page("agency_created").await.contains("000.09.00.G12"));
}

#[tokio::test]
async fn a_role_change_is_recorded_with_before_and_after() {
    let app = TestApp::spawn().await;
    let id = app.create_official("thu.ky", &[motcua::auth::role::Role::Reception], Some("000.01.00.G12")).await;
    let res = app
        .post_form_with(
            app.admin().await,
            &format!("/quan-tri/can-bo/{id}"),
            &[("full_name", "Thư ký"), ("unit_code", "000.01.00.G12"), ("roles", "specialist"), ("active", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let log = app.audit_page("official_updated").await;
    assert!(log.contains("reception") && log.contains("specialist"), "{log}");
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_entries() {
    let app = TestApp::spawn().await;
    app.sign_in_with(&app.client, "lanhdao", password_of("lanhdao")).await;
    for sql in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
        let result = app.db.execute_unprepared(sql).await;
        assert!(result.is_err(), "{sql} went through");
    }
    assert!(app.audit_page("sign_in").await.contains("Hoàng Thị Thu"), "the entries are still there");
}
