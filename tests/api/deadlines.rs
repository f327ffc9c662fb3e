//! The deadline sweep flags dossiers due soon and overdue, tells the holder
//! and the unit's leader once per change, even with two sweepers at once,
//! and lateness blocks nothing.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, PaginatorTrait};

use crate::dossier_support::*;
use crate::helpers::{TestApp, get_html_with};

async fn notices(app: &TestApp) -> u64 {
    entity::notice::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn overdue_dossiers_are_flagged_and_their_officials_told_once() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (late, late_code) = paid_press_card(&app).await;
    let (soon, _) = paid_press_card(&app).await;
    let (fine, _) = paid_press_card(&app).await;
    let reception = official(&app, "tiepnhan").await;
    for id in [&late, &soon, &fine] {
        assert_eq!(reception_action(&app, &reception, id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    }
    let received = state_of(&app, &fine).await;
    assert!(received.due_soon_at.unwrap() < received.due_at.unwrap(), "due soon comes before the due date");
    let now = app.now();
    // One dossier's time ran out yesterday, another's last fifth began an hour ago.
    let mut m = state_of(&app, &late).await.into_active_model();
    m.due_at = Set(Some(now - chrono::Duration::days(1)));
    m.due_soon_at = Set(Some(now - chrono::Duration::days(3)));
    m.update(&app.db).await.unwrap();
    let mut m = state_of(&app, &soon).await.into_active_model();
    m.due_soon_at = Set(Some(now - chrono::Duration::hours(1)));
    m.update(&app.db).await.unwrap();

    // Two portal processes sweep at the same moment.
    let (a, b) = tokio::join!(motcua::deadlines::sweep(&app.db, now), motcua::deadlines::sweep(&app.db, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.overdue + b.overdue, a.due_soon + b.due_soon), (1, 1), "each dossier flagged once");
    assert_eq!(state_of(&app, &late).await.due_state.as_str(), "overdue");
    assert_eq!(state_of(&app, &soon).await.due_state.as_str(), "due_soon");
    assert_eq!(state_of(&app, &fine).await.due_state.as_str(), "on_time");
    let told = notices(&app).await;
    assert_eq!(told, 4, "the reception pool (no holder yet) and the leader, for each of the two");
    let again = motcua::deadlines::sweep(&app.db, now).await.unwrap();
    assert_eq!((again.overdue, again.due_soon, again.notices), (0, 0, 0), "nothing twice");
    assert_eq!(notices(&app).await, told);

    let leader = official(&app, "lanhdao").await;
    let (_, home) = get_html_with(&leader, &app.url("/can-bo")).await;
    assert!(
        home.contains(&format!("Hồ sơ {late_code} đã quá hạn")) && home.contains("Mẫu số 04"),
        "the leader is told"
    );
    let (_, page) = app.get_html(&format!("/ho-so/{late}")).await;
    assert!(page.contains("Quá hạn"));
    // Late is a flag, not a lock: the dossier moves on.
    let form = [("_csrf", app.csrf_of(&reception).await), ("version", state_of(&app, &late).await.version.to_string())];
    let res = reception
        .post(app.url(&format!("/can-bo/ho-so/{late}/xu-ly/chuyen_tham_dinh")))
        .multipart(reqwest::multipart::Form::new().text("_csrf", form[0].1.clone()).text("version", form[1].1.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
