//! Both storage backends keep exactly the bytes they were given.

use sha2::{Digest, Sha256};

use crate::helpers::{Options, TestApp};
use crate::services::service;

fn sample(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 31 % 251) as u8).collect()
}

async fn round_trip(app: &TestApp) {
    let storage = &app.state.storage;
    if let motcua::storage::Storage::S3(s3) = storage {
        s3.ensure_bucket().await.expect("bucket");
    }
    let bytes = sample(3 * 1024 * 1024 + 17);
    let file = app.data_dir().join("upload.tmp");
    std::fs::write(&file, &bytes).unwrap();
    storage.put_file("dossiers/1/ban-khai.pdf", &file, "application/pdf").await.unwrap();
    let back = storage.get("dossiers/1/ban-khai.pdf").await.unwrap();
    assert_eq!(Sha256::digest(&back), Sha256::digest(&bytes), "same bytes back from {}", storage.backend());
    storage.delete("dossiers/1/ban-khai.pdf").await.unwrap();
    assert!(matches!(storage.get("dossiers/1/ban-khai.pdf").await, Err(motcua::storage::StorageError::NotFound(_))));
    assert!(storage.put_file("../ngoai", &file, "application/pdf").await.is_err(), "keys cannot escape");
}

#[tokio::test]
async fn the_local_folder_keeps_the_same_bytes() {
    let app = TestApp::spawn_empty().await;
    assert_eq!(app.state.storage.backend(), "local");
    round_trip(&app).await;
}

#[tokio::test]
async fn an_s3_server_keeps_the_same_bytes_and_serves_them_by_presigned_url() {
    if service("MOTCUA_TEST_S3_ENDPOINT").is_none() {
        return;
    }
    let app = TestApp::spawn_with(Options { press_office: false, s3: true, ..Options::default() }).await;
    assert_eq!(app.state.storage.backend(), "s3");
    round_trip(&app).await;
    let file = app.data_dir().join("ket-qua.tmp");
    std::fs::write(&file, b"%PDF-1.7 ket qua").unwrap();
    app.state.storage.put_file("results/2/ket-qua.pdf", &file, "application/pdf").await.unwrap();
    let url = app
        .state
        .storage
        .presigned_get("results/2/ket-qua.pdf", std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let fetched = reqwest::get(&url).await.unwrap();
    assert_eq!(fetched.status(), reqwest::StatusCode::OK);
    assert_eq!(&fetched.bytes().await.unwrap()[..], b"%PDF-1.7 ket qua");
}
