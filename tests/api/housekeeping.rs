//! The daily housekeeping jobs forget what no longer serves, and nothing else.

use chrono::Duration;
use entity::{outbox, rate_limit};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::TestApp;

#[tokio::test]
async fn old_delivered_mail_goes_and_pending_mail_stays() {
    let app = TestApp::spawn_empty().await;
    for to in ["a@example.vn", "b@example.vn"] {
        let res = app.post_form_with(app.admin().await, "/quan-tri/thu-dien-tu", &[("to", to)]).await;
        assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    }
    assert_eq!(app.drain_outbox().await, 2);
    let res = app.post_form_with(app.admin().await, "/quan-tri/thu-dien-tu", &[("to", "c@example.vn")]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        motcua::outbox::purge_delivered(&app.db, app.now() - Duration::days(30)).await.unwrap(),
        0,
        "recent ones stay"
    );
    assert_eq!(motcua::outbox::purge_delivered(&app.db, app.now() + Duration::days(1)).await.unwrap(), 2);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 1, "the pending message is kept");
}

#[tokio::test]
async fn expired_rate_limit_counters_go() {
    let app = TestApp::spawn_empty().await;
    let now = app.now();
    for (key, window_start) in [("old", now.timestamp() - 3 * 86_400), ("current", now.timestamp() - 60)] {
        rate_limit::Entity::insert(rate_limit::ActiveModel {
            key: sea_orm::ActiveValue::Set(key.into()),
            window_start: sea_orm::ActiveValue::Set(window_start),
            hits: sea_orm::ActiveValue::Set(3),
        })
        .exec(&app.db)
        .await
        .unwrap();
    }
    assert_eq!(motcua::ratelimit::purge_expired(&app.db, now, 86_400).await.unwrap(), 1);
    let left = rate_limit::Entity::find().all(&app.db).await.unwrap();
    assert!(left.iter().any(|r| r.key == "current") && !left.iter().any(|r| r.key == "old"));
}
