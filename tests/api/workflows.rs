//! Workflow definitions: `motcua workflow check` reports every problem with
//! file, line and reason; the portal records each file's content as a
//! version, and a dossier keeps the version it started with.

use reqwest::StatusCode;

use crate::dossier_support::*;
use crate::helpers::TestApp;

fn workflow_check(dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["workflow", "check"])
        .arg(dir)
        .env("MOTCUA_SSO_CLIENT_SECRET", "test-sso-secret-0123456789")
        .env("MOTCUA_LOG", "warn")
        .output()
        .unwrap()
}

#[test]
fn the_command_line_checks_a_folder_of_workflows() {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let out = workflow_check(&shipped);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("4 workflows") && text.contains("mot-cua-3-buoc"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(shipped.join("mot-cua-3-buoc.yaml")).unwrap();
    let broken =
        good.replacen("roles: [leader]", "roles: [giam_doc]", 1).replacen("to: tham_dinh\n", "to: tham_dinh_lai\n", 1);
    std::fs::write(dir.path().join("mot-cua-3-buoc.yaml"), broken).unwrap();
    let out = workflow_check(dir.path());
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| {
        std::fs::read_to_string(dir.path().join("mot-cua-3-buoc.yaml"))
            .unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    assert!(report.contains(&format!("mot-cua-3-buoc.yaml:{}: action", line_of("giam_doc"))), "{report}");
    assert!(report.contains("no role \"giam_doc\""), "{report}");
    assert!(report.contains(&format!("mot-cua-3-buoc.yaml:{}:", line_of("tham_dinh_lai"))), "{report}");
    assert!(report.contains("2 problems"), "{report}");
}

#[tokio::test]
async fn a_dossier_keeps_the_workflow_version_it_started_with() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (first, _) = submitted_press_card(&app, &app.client).await;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let row = |id: String| {
        let db = app.db.clone();
        async move {
            entity::dossier::Entity::find()
                .filter(entity::dossier::Column::PublicId.eq(id))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let started = row(first.clone()).await;
    assert_eq!(started.workflow_state.as_deref(), Some("tiep_nhan"));
    let old_version = started.workflow_version_id.expect("a workflow version");

    // The file changes (a step renamed): a new version is recorded, the old one kept.
    let (_, current) = app.state.workflows.get("mot-cua-3-buoc").unwrap();
    let edited = current.source.replacen("label: Phê duyệt\n", "label: Lãnh đạo phê duyệt\n", 1);
    let changed = motcua::workflow::check::check("mot-cua-3-buoc.yaml", &edited).unwrap();
    let mut loaded = std::collections::BTreeMap::new();
    loaded.insert(changed.key.clone(), changed);
    let registry = motcua::workflow::registry::register(&app.db, loaded.clone(), chrono::Utc::now()).await.unwrap();
    let (new_version, _) = registry.get("mot-cua-3-buoc").unwrap();
    assert_ne!(new_version, old_version);
    // Loading the same content again adds nothing.
    motcua::workflow::registry::register(&app.db, loaded, chrono::Utc::now()).await.unwrap();
    let versions = entity::workflow_version::Entity::find()
        .filter(entity::workflow_version::Column::Key.eq("mot-cua-3-buoc"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(versions, 2);

    let old = motcua::workflow::registry::version(&app.db, old_version).await.unwrap();
    assert!(old.states.iter().any(|s| s.label == "Phê duyệt"), "the running dossier's rules are unchanged");
    assert_eq!(row(first).await.workflow_version_id, Some(old_version));
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}
