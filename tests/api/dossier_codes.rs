//! Dossier codes stay unique when many receptions happen at once.

use chrono::NaiveDate;

use crate::helpers::TestApp;

#[tokio::test]
async fn concurrent_receptions_get_distinct_consecutive_codes() {
    let app = TestApp::spawn_empty().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let txn = motcua::db::begin_write(&db).await.unwrap();
                let code = motcua::dossier::code::allocate(&txn, "000.00.20.H26", day).await.unwrap();
                txn.commit().await.unwrap();
                code.to_string()
            })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap());
    }
    codes.sort();
    let expected: Vec<_> = (1..=20).map(|n| format!("000.00.20.H26-261123-{n:04}")).collect();
    assert_eq!(codes, expected);
    // Another agency, or another day, counts from one again.
    let txn = motcua::db::begin_write(&app.db).await.unwrap();
    let other = motcua::dossier::code::allocate(&txn, "000.01.00.G12", day).await.unwrap();
    let next_day = motcua::dossier::code::allocate(&txn, "000.00.20.H26", day.succ_opt().unwrap()).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(other.as_str(), "000.01.00.G12-261123-0001");
    assert_eq!(next_day.as_str(), "000.00.20.H26-261124-0001");
}

#[tokio::test]
async fn a_rolled_back_reception_gives_its_number_back() {
    let app = TestApp::spawn_empty().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let txn = motcua::db::begin_write(&app.db).await.unwrap();
    motcua::dossier::code::allocate(&txn, "000.00.20.H26", day).await.unwrap();
    txn.rollback().await.unwrap();
    let txn = motcua::db::begin_write(&app.db).await.unwrap();
    let code = motcua::dossier::code::allocate(&txn, "000.00.20.H26", day).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(code.as_str(), "000.00.20.H26-261123-0001");
}
