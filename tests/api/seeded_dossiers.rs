//! `motcua seed --dossiers N`: dossiers that lived through the portal's own
//! plans, written in batches — whole histories, consistent clocks, codes that
//! never collide, and tables the portal goes on writing to afterwards.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::builders::{DossierBuilder, ProcedureBuilder};
use crate::helpers::TestApp;
use motcua::values::DossierStatus;

#[tokio::test]
async fn seeded_dossiers_have_whole_histories_and_leave_the_portal_working() {
    let app = TestApp::spawn_empty().await;
    let p = ProcedureBuilder::new("9.908101", "000.00.81.H99").fee("Lệ phí", 30_000, "submission").create(&app).await;
    let now = app.now();
    let mut reported = Vec::new();
    let seeded = motcua::seed::dossiers::generate(
        &app.db,
        &app.state.settings,
        &app.state.workflows,
        1_200,
        now,
        &mut |done, total| reported.push((done, total)),
    )
    .await
    .expect("seeded");
    assert_eq!(seeded.dossiers, 1_200);
    assert_eq!(reported, [(500, 1_200), (1_000, 1_200), (1_200, 1_200)], "progress after each batch");

    let dossiers = entity::dossier::Entity::find().all(&app.db).await.unwrap();
    let events = entity::dossier_event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(dossiers.len(), 1_200);
    assert_eq!(events.len(), seeded.events);
    let mut seqs: HashMap<i64, Vec<i32>> = HashMap::new();
    for e in &events {
        seqs.entry(e.dossier_id).or_default().push(e.seq);
    }
    let rounds = entity::supplement_round::Entity::find().all(&app.db).await.unwrap();
    let mut statuses: HashMap<DossierStatus, usize> = HashMap::new();
    for d in &dossiers {
        *statuses.entry(d.status).or_default() += 1;
        // A whole history: numbered 1..n without gaps, as the portal numbers it.
        let mut s = seqs.remove(&d.id).unwrap_or_default();
        s.sort_unstable();
        assert_eq!(s, (1..=d.event_seq).collect::<Vec<_>>(), "{:?}", d.code);
        assert!(d.code.is_some() && d.submitted_at.is_some_and(|t| t < now), "{d:?}");
        if let (Some(r), Some(f)) = (d.received_at, d.finished_at) {
            assert!(r <= f && d.due_at.is_some(), "{d:?}");
        }
        let asked = rounds.iter().filter(|r| r.dossier_id == d.id).count() as i32;
        assert_eq!(asked, d.supplement_count, "every supplement request has its round: {:?}", d.code);
        assert_eq!(d.paused_at.is_some(), d.status == DossierStatus::AwaitingSupplement, "{d:?}");
    }
    // Every kind of end, and work still open.
    for status in [
        DossierStatus::Returned,
        DossierStatus::ResultReady,
        DossierStatus::InProgress,
        DossierStatus::Refused,
        DossierStatus::Withdrawn,
        DossierStatus::Stopped,
    ] {
        assert!(statuses.get(&status).is_some_and(|n| *n > 0), "{status:?}: {statuses:?}");
    }
    let late = dossiers.iter().filter(|d| matches!((d.finished_at, d.due_at), (Some(f), Some(due)) if f > due)).count();
    assert!((60..400).contains(&late), "a spread of late work: {late}");
    let ratings = entity::rating::Entity::find().count(&app.db).await.unwrap();
    let paid = entity::payment::Entity::find().count(&app.db).await.unwrap();
    let synced =
        entity::outbox::Entity::find().filter(entity::outbox::Column::Status.eq("done")).count(&app.db).await.unwrap();
    assert!(ratings > 100 && paid > 0 && synced > 1_000, "{ratings} ratings, {paid} payments, {synced} synced");

    // A second run adds more, with no code taken twice, and the portal's own inserts still find free ids.
    motcua::seed::dossiers::generate(&app.db, &app.state.settings, &app.state.workflows, 300, now, &mut |_, _| {})
        .await
        .expect("seeded again");
    assert_eq!(entity::dossier::Entity::find().count(&app.db).await.unwrap(), 1_500);
    let fresh = DossierBuilder::in_step(&p, "tham_dinh", "in_progress").insert(&app, 9_999).await;
    assert!(fresh.id > 1_500);
    // The figures read the seeded data: the dashboard's total agrees with the rows.
    let body: serde_json::Value = reqwest::get(app.url("/api/v1/open-data/statistics?from=2025-01-01&to=2026-12-31"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let received = entity::dossier::Entity::find()
        .filter(entity::dossier::Column::ReceivedAt.is_not_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(body["rows"][0]["received"].as_u64(), Some(received), "{body}");
}
