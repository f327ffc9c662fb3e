//! A dossier's whole journey in headless Chromium (`tests/browser/journey.mjs`)
//! against `motcua serve` as its own process, with the mock national portal
//! as that process's child (SSO, payment gateway, dossier sync): online from
//! a citizen at a desktop and at a phone, and taken at the counter. The
//! fixtures are this test's own: an agency, one procedure, three officials.
//!
//! It runs once, on PostgreSQL (the production database): with
//! `MOTCUA_TEST_DATABASE_URL` set, as `.ci/run`'s second pass does.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::browser::{browser_available, run_script};
use crate::builders::{ProcedureBuilder, official_with};
use crate::dossier_support::pdf;
use crate::helpers::{Options, PASSWORD, TestApp};
use crate::processes::{PortalProcess, free_port};
use entity::values::{Channel, DossierStatus};
use motcua::auth::role::Role;

/// A national procedure code (the national portal refuses dossiers of codes its
/// procedure database does not hold); the agency and the rest are this test's.
const PROCEDURE: &str = "1.004255";
const PROCEDURE_NAME: &str = "Cấp giấy phép xuất bản bản tin";
const AGENCY: &str = "T99";

struct Journey {
    /// Holds the database, the data folder and the fixtures' portal.
    app: TestApp,
    portal: PortalProcess,
    env: Vec<(&'static str, String)>,
    _files: tempfile::TempDir,
}

/// The fixtures, then the portal as operators run it on the same database.
async fn journey() -> Option<Journey> {
    if std::env::var_os("MOTCUA_TEST_DATABASE_URL").is_none() {
        eprintln!("the browser journey runs on PostgreSQL (MOTCUA_TEST_DATABASE_URL): skipped on SQLite");
        return None;
    }
    if !browser_available() {
        return None;
    }
    let app = TestApp::spawn_with(Options { press_office: false, ..Options::default() }).await;
    ProcedureBuilder::new(PROCEDURE, AGENCY)
        .named(PROCEDURE_NAME)
        .person_form()
        .fee("Lệ phí cấp giấy phép", 100_000, "submission")
        .create(&app)
        .await;
    official_with(&app, "tiepnhan.t99", &[Role::Reception], AGENCY).await;
    official_with(&app, "chuyenvien.t99", &[Role::Specialist], AGENCY).await;
    official_with(&app, "lanhdao.t99", &[Role::Leader], AGENCY).await;
    let files = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("don.pdf", pdf(3000, "don de nghi")),
        ("bo-sung.pdf", pdf(3000, "don co chu ky")),
        ("ket-qua.pdf", pdf(3000, "giay phep")),
        ("khong-phai-pdf.pdf", b"day khong phai la tep PDF\n".repeat(20)),
    ] {
        std::fs::write(files.path().join(name), bytes).unwrap();
    }
    let (port, mock_port) = (free_port(), free_port());
    let portal = PortalProcess::start(app.data_dir(), &app.database_url, port, Some(mock_port)).await;
    let env = vec![
        ("MOTCUA_PORTAL", format!("http://127.0.0.1:{port}")),
        ("MOTCUA_MOCK", format!("http://127.0.0.1:{mock_port}")),
        ("MOTCUA_PROCEDURE", PROCEDURE.to_owned()),
        ("MOTCUA_PROCEDURE_NAME", PROCEDURE_NAME.to_owned()),
        // What a citizen types on a phone without a Vietnamese keyboard.
        ("MOTCUA_QUERY", "giay phep xuat ban ban tin".to_owned()),
        ("MOTCUA_IDENTITY", "nguyen-van-an".to_owned()),
        ("MOTCUA_RECEPTION", "tiepnhan.t99".to_owned()),
        ("MOTCUA_SPECIALIST", "chuyenvien.t99".to_owned()),
        ("MOTCUA_LEADER", "lanhdao.t99".to_owned()),
        ("MOTCUA_PASSWORD", PASSWORD.to_owned()),
        ("MOTCUA_FILES", files.path().display().to_string()),
    ];
    Some(Journey { app, portal, env, _files: files })
}

impl Journey {
    async fn walk(&self, journey: &str, viewport: &str) -> serde_json::Value {
        let mut env = self.env.clone();
        env.push(("MOTCUA_JOURNEY", journey.to_owned()));
        env.push(("MOTCUA_CITIZEN_VIEWPORT", viewport.to_owned()));
        run_script("journey.mjs", &format!("journey-{journey}-{viewport}"), &env).await
    }

    async fn dossier(&self, code: &str) -> entity::dossier::Model {
        entity::dossier::Entity::find()
            .filter(entity::dossier::Column::Code.eq(code))
            .one(&self.app.db)
            .await
            .unwrap()
            .expect("the dossier of the journey")
    }
}

fn said(findings: &serde_json::Value, key: &str) -> String {
    findings[key].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_citizen_applies_online_and_officials_process_it_in_a_real_browser_at_a_desktop_and_at_a_phone() {
    let Some(j) = journey().await else { return };
    for viewport in ["desktop", "phone"] {
        let f = j.walk("online", viewport).await;
        let code = said(&f, "code");
        let header = f["headerHeight"].as_f64().unwrap_or(f64::MAX);
        assert!(header <= if viewport == "phone" { 130.0 } else { 80.0 }, "{viewport}: the header takes {header} px");
        assert!(said(&f, "submitted").contains("100.000 đ"), "{viewport}: the panel says what to pay: {f:#}");
        let receipt = said(&f, "receipt");
        assert!(receipt.contains("100.000 đ"), "{viewport}: {f:#}");
        assert_eq!(
            receipt.matches("SỞ THỬ NGHIỆM T99").count(),
            1,
            "an agency without a parent heads it once: {receipt}"
        );
        assert!(!receipt.contains("Ký, ghi rõ họ tên"), "no signature asked on an e-receipt: {receipt}");
        assert!(said(&f, "asked").contains("Lý do: Bản sao đơn chưa có chữ ký"), "{viewport}: {f:#}");
        assert!(said(&f, "leaderSaw").contains("Bạn đang xử lý hồ sơ này"), "assigned, nothing to claim: {f:#}");
        assert!(!said(&f, "leaderSaw").contains("Nhận xử lý"), "nothing to claim: {f:#}");
        // The step's main action is the primary button, not the request for papers or the way back.
        assert_eq!(
            (said(&f, "specialistPrimary"), said(&f, "leaderPrimary")),
            ("Trình phê duyệt".into(), "Phê duyệt kết quả".into())
        );
        assert!(said(&f, "ready").contains("Tải kết quả giải quyết"), "{viewport}: {f:#}");
        assert!(said(&f, "resultName").ends_with(".pdf"), "{viewport}: {f:#}");
        assert!(said(&f, "rated").contains("Cảm ơn"), "{viewport}: {f:#}");
        let national = said(&f, "national");
        assert!(national.contains("Giấy tờ cần bổ sung, hoàn thiện: Đơn đề nghị có chữ ký"), "labelled: {national}");
        for status in ["Mới đăng ký", "Được tiếp nhận", "Yêu cầu bổ sung giấy tờ", "Đã có kết quả", "Đã trả kết quả"]
        {
            assert!(national.contains(status), "{viewport}: the national portal shows {status:?}: {national}");
        }
        let d = j.dossier(&code).await;
        assert_eq!((d.status, d.channel), (DossierStatus::Returned, Channel::Online), "{viewport}");
        assert!(d.paid_online && d.rating_answers.is_some() && d.synced_at.is_some(), "{viewport}: its facts: {d:?}");
    }
    drop(j.portal);
}

#[tokio::test]
async fn reception_takes_a_dossier_at_the_counter_and_the_citizen_follows_it_on_a_phone_in_a_real_browser() {
    let Some(j) = journey().await else { return };
    let f = j.walk("counter", "phone").await;
    let code = said(&f, "code");
    assert!(said(&f, "slip").contains("Trần Thị Bình"), "the slip names the applicant: {f:#}");
    assert!(said(&f, "found").contains("Đã trả kết quả"), "{f:#}");
    let national = said(&f, "national");
    assert!(national.contains("Đã trả kết quả"), "{national}");
    let d = j.dossier(&code).await;
    assert_eq!((d.status, d.channel), (DossierStatus::Returned, Channel::Counter));
    drop(j.portal);
}
