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
        .env("MOTCUA_VNPAY_HASH_SECRET", crate::helpers::VNPAY_SECRET)
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
    assert!(text.contains("5 workflows") && text.contains("thu-phi-khi-nop"), "{text}");

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
    let registry = motcua::workflow_registry::register(&app.db, loaded.clone(), app.now()).await.unwrap();
    let (new_version, _) = registry.get("mot-cua-3-buoc").unwrap();
    assert_ne!(new_version, old_version);
    // Loading the same content again adds nothing.
    motcua::workflow_registry::register(&app.db, loaded, app.now()).await.unwrap();
    let versions = entity::workflow_version::Entity::find()
        .filter(entity::workflow_version::Column::Key.eq("mot-cua-3-buoc"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(versions, 2);

    let old = motcua::workflow_registry::version(&app.db, old_version).await.unwrap();
    assert!(old.states.iter().any(|s| s.label == "Phê duyệt"), "the running dossier's rules are unchanged");
    assert_eq!(row(first).await.workflow_version_id, Some(old_version));
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn admins_see_each_workflow_drawn_and_can_dry_run_a_path() {
    let app = TestApp::spawn().await;
    app.sign_in_admin().await;
    let (status, list) = app.get_html("/quan-tri/quy-trinh").await;
    assert_eq!(status, StatusCode::OK);
    for key in ["mot-cua-3-buoc", "lien-thong", "thu-phi-sau-tham-dinh", "tham-dinh-thuc-te"] {
        assert!(list.contains(&format!("/quan-tri/quy-trinh/{key}")), "{key} listed");
    }
    let (_, page) = app.get_html("/quan-tri/quy-trinh/mot-cua-3-buoc").await;
    let svg = &page[page.find("<svg").expect("an SVG diagram")..page.find("</svg>").unwrap()];
    assert_eq!(svg.matches("class=\"wf-state\"").count(), 9, "every state drawn");
    assert!(svg.contains("Thẩm định hồ sơ") && svg.contains("Trình phê duyệt"), "states and actions labelled");
    assert!(page.contains("1.004227"), "the procedures on it are listed");
    let actions = page.split("id=\"actions-h\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(actions.contains("Đủ thành phần hồ sơ") && !actions.contains("documents_complete"), "guards in words");
    assert!(!actions.contains("<td><code>tiep_nhan</code>"), "steps by their names");

    let path = "chuyen_tham_dinh, trinh_phe_duyet\nphe_duyet_ket_qua xac_nhan_tra_ket_qua";
    let url = format!(
        "/quan-tri/quy-trinh/mot-cua-3-buoc?procedure=1.004227&received=2026-12-07T09:00&path={}",
        motcua::web::render::urlencode(path)
    );
    let (status, run) = app.get_html(&url).await;
    assert_eq!(status, StatusCode::OK);
    let table = &run[run.find("id=\"dry-run\"").expect("the dry run's table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr").count(), 1 + 1 + 4, "header, reception and four actions");
    assert!(table.contains("Phê duyệt kết quả") && table.contains("Lãnh đạo"), "who acts");
    // 30 working days from Monday 7 December 2026, 9:00.
    let cal = motcua::sla::holidays::office_calendar();
    let due = cal.add_working_minutes(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        30 * cal.minutes_per_day(),
    );
    assert!(table.contains(&due.format("%H:%M %d/%m/%Y").to_string()), "the appointment it gives");
    // The same path chosen action by action from the workflow's actions, by their names: the same run.
    let chosen = "/quan-tri/quy-trinh/mot-cua-3-buoc?procedure=1.004227&received=2026-12-07T09:00\
                  &b1=chuyen_tham_dinh&b2=trinh_phe_duyet&b3=phe_duyet_ket_qua&b4=xac_nhan_tra_ket_qua";
    let (status, again) = app.get_html(chosen).await;
    assert_eq!(status, StatusCode::OK);
    let again_table = &again[again.find("id=\"dry-run\"").unwrap()..];
    assert_eq!(&again_table[..again_table.find("</table>").unwrap()], table);
    assert!(again.contains("<option value=\"trinh_phe_duyet\" selected>Trình phê duyệt</option>"), "offered by name");

    let url = "/quan-tri/quy-trinh/mot-cua-3-buoc?procedure=1.004227&received=2026-12-07T09:00&path=chuyen_tham_dinh,xac_nhan_tra_ket_qua";
    let (status, stopped) = app.get_html(url).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stopped.contains("Dừng ở thao tác thứ 2"), "says where the path breaks");
    let (status, _) = app
        .get_html("/quan-tri/quy-trinh/mot-cua-3-buoc?procedure=1.004227&received=hom-qua&path=chuyen_tham_dinh")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get_html("/quan-tri/quy-trinh/khong-co").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
