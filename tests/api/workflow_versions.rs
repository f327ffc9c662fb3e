//! Admins manage workflows in the portal: a broken text is refused with its
//! lines and reasons and changes nothing; a saved version is dry-run to an
//! end before it may be used; activated for a procedure from a moment, it is
//! what new dossiers start on, in every portal process once the change
//! counter moved; an earlier version can be activated again; running
//! dossiers keep theirs; each activation is audited with before and after.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::builders::ProcedureBuilder;
use crate::dossier_support::state_of;
use crate::helpers::{Options, TestApp, get_html_with, location};
use crate::time_rules::file_online;
use motcua::workflow_store::counter;

const KEY: &str = "mot-cua-3-buoc";
const TO_THE_END: &str = "chuyen_tham_dinh, trinh_phe_duyet, phe_duyet_ket_qua, xac_nhan_tra_ket_qua";

fn shipped_source(app: &TestApp) -> String {
    app.state.workflows.get(KEY).unwrap().1.source.clone()
}

async fn save(app: &TestApp, key: &str, source: &str) -> reqwest::Response {
    app.post_form_with(app.admin().await, &format!("/quan-tri/quy-trinh/{key}/sua"), &[("source", source)]).await
}

async fn saved_versions(app: &TestApp) -> u64 {
    entity::workflow_version::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_broken_workflow_is_refused_with_its_lines_and_reasons_and_nothing_changes() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    let (versions, counted) = (saved_versions(&app).await, counter::read(&app.db, counter::WORKFLOWS).await.unwrap());
    let source = shipped_source(&app);
    // An unknown role on one line, named with that line.
    let line = source.lines().position(|l| l.trim() == "role: specialist").unwrap() + 1;
    let broken = source.replacen("role: specialist", "role: lanh_dao_so", 1);
    let res = save(&app, KEY, &broken).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::helpers::decode_entities(&res.text().await.unwrap());
    assert!(html.contains(&format!("Dòng {line}</a>: Vai trò không tồn tại")), "the line and the reason");
    assert!(html.contains("lanh_dao_so"), "the text as typed is kept");
    // Broken YAML, and a key that is not the workflow's.
    let res = save(&app, KEY, &source.replacen("states:", "states: [", 1)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Sai cú pháp YAML"));
    let res = save(&app, KEY, &source.replacen(&format!("key: {KEY}"), "key: khac", 1)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Mã quy trình (key) phải giữ đúng mã"));
    assert_eq!(saved_versions(&app).await, versions, "no version saved");
    assert_eq!(counter::read(&app.db, counter::WORKFLOWS).await.unwrap(), counted, "no process told of a change");
    let audited = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("workflow.save"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 0);
}

#[tokio::test]
async fn an_activated_version_is_used_by_every_process_once_the_counter_moves_and_an_earlier_one_comes_back() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let p = ProcedureBuilder::new("9.900301", "000.00.43.H01").create(&app).await;
    let (shipped, _) = app.state.workflows.get(KEY).unwrap();
    // A second portal process: its own memory of the workflows in use, the same database.
    let second = motcua::app::job_state(app.db.clone(), app.state.settings.clone()).await.unwrap();
    let in_use = async |state: &motcua::app::AppState| {
        state.workflows_in_use.version_for(&app.db, p.procedure_id, app.now()).await.unwrap()
    };
    assert_eq!(in_use(&second).await, None, "the shipped workflow of the procedure's key");

    // A new version: the appraisal step renamed.
    let source = shipped_source(&app).replacen("label: Thẩm định hồ sơ", "label: Thẩm định hồ sơ (bản mới)", 1);
    let res = save(&app, KEY, &source).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    // Not dry-run yet: it cannot be put to use, and nothing is written.
    let activate = async |version: i64, from: String| {
        let path = format!("/quan-tri/quy-trinh/{KEY}/phien-ban/{version}/ap-dung");
        let fields = [("procedures", "9.900301"), ("effective_from", from.as_str())];
        app.post_form_with(app.admin().await, &path, &fields).await
    };
    let res = activate(id, String::new()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Hãy chạy thử phiên bản này đến bước kết thúc"));
    assert_eq!(entity::workflow_activation::Entity::find().count(&app.db).await.unwrap(), 0);
    // A dry run that stops midway does not count; one that reaches the end does.
    let query = |path: &str| {
        format!("{page}?{}", serde_urlencoded::to_string([("procedure", "9.900301"), ("path", path)]).unwrap())
    };
    let (status, _) = get_html_with(app.admin().await, &app.url(&query("chuyen_tham_dinh"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(entity::workflow_version::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().tried_at.is_none());
    let (status, html) = get_html_with(app.admin().await, &app.url(&query(TO_THE_END))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Thẩm định hồ sơ (bản mới)"), "the dry run is of the new version");
    assert_eq!(activate(id, String::new()).await.status(), StatusCode::SEE_OTHER);

    // The second process sees it at once: the counter moved. No restart, no waiting.
    assert_eq!(in_use(&second).await, Some(id));
    // A dossier submitted now starts on it.
    let running = file_online(&app, "9.900301", 1).await;
    assert_eq!(state_of(&app, &running).await.workflow_version_id, Some(id));

    // The shipped version again, from a moment ahead: new dossiers from then on; the running one keeps its own.
    let later = app.now() + chrono::Duration::days(3);
    let from = motcua::sla::local_time::to_local(later).format("%Y-%m-%dT%H:%M").to_string();
    assert_eq!(activate(shipped, from).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(in_use(&second).await, Some(id), "not yet");
    app.state.clock.set(later + chrono::Duration::minutes(5));
    assert_eq!(in_use(&second).await, Some(shipped));
    let after = file_online(&app, "9.900301", 2).await;
    assert_eq!(state_of(&app, &after).await.workflow_version_id, Some(shipped));
    assert_eq!(state_of(&app, &running).await.workflow_version_id, Some(id), "the running dossier keeps its version");

    // Each activation is audited with the version it replaced.
    let entries = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("workflow.activate"))
        .all(&app.db)
        .await
        .unwrap();
    let details: Vec<Value> = entries.iter().map(|e| serde_json::from_str(&e.detail).unwrap()).collect();
    assert_eq!(details.len(), 2);
    assert_eq!((details[0]["before"].clone(), details[0]["after"]["version"].as_i64()), (Value::Null, Some(id)));
    assert_eq!((details[1]["before"].as_i64(), details[1]["after"]["version"].as_i64()), (Some(id), Some(shipped)));

    // A process rereads only when the counter moves: a row written behind its back is not seen until it does.
    let seen = second.workflows_in_use.seen();
    entity::workflow_activation::ActiveModel {
        procedure_id: Set(p.procedure_id),
        workflow_version_id: Set(id),
        effective_from: Set(app.now()),
        created_by: Set("kiểm thử".into()),
        created_at: Set(app.now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert_eq!(in_use(&second).await, Some(shipped), "still what it read at counter {seen:?}");
    counter::bump(&app.db, counter::WORKFLOWS).await.unwrap();
    assert_eq!(in_use(&second).await, Some(id));
}

#[tokio::test]
async fn a_version_too_long_for_a_procedures_limit_is_not_put_to_use_for_it() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    let mut short = ProcedureBuilder::new("9.900302", "000.00.43.H02");
    short.days = 1;
    short.create(&app).await;
    // Appraisal takes five working days whatever the procedure's limit.
    let res = save(&app, KEY, &shipped_source(&app).replacen("budget_share: 0.6", "budget_days: 5", 1)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    let query = serde_urlencoded::to_string([("procedure", "9.900302"), ("path", TO_THE_END)]).unwrap();
    let (status, _) = get_html_with(app.admin().await, &app.url(&format!("{page}?{query}"))).await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("{page}/ap-dung");
    let res = app.post_form_with(app.admin().await, &path, &[("procedures", "9.900302"), ("effective_from", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Tổng thời hạn các bước của quy trình vượt thời hạn giải quyết"));
    let res = app.post_form_with(app.admin().await, &path, &[("procedures", "9.999999"), ("effective_from", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(entity::workflow_activation::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_second_portal_process_starts_new_dossiers_on_the_activated_version_once_the_counter_moves() {
    use crate::processes::{PortalProcess, free_port};
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    ProcedureBuilder::new("9.900303", "000.00.43.H03").create(&app).await;
    // The second process keeps the wall clock: this one's is set to it, so that "now" is the same moment for both.
    app.state.clock.set(chrono::Utc::now());
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _second = PortalProcess::start(dir.path(), &app.database_url, port, None).await;
    let other = format!("http://127.0.0.1:{port}");
    let admin = TestApp::new_client();
    let (_, page) = get_html_with(&admin, &format!("{other}/can-bo/dang-nhap")).await;
    let csrf = crate::helpers::extract_csrf(&page);
    let password = crate::helpers::password_of(crate::helpers::ADMIN);
    let form = [("username", crate::helpers::ADMIN), ("password", password), ("next", "/can-bo"), ("_csrf", &csrf)];
    let res = admin.post(format!("{other}/can-bo/dang-nhap")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the admin signs in at the second process");
    // What the second process starts the procedure's new dossiers on, as its step-budget page says.
    let in_use_there = async || {
        let (status, page) = get_html_with(&admin, &format!("{other}/quan-tri/thu-tuc/9.900303/thoi-han-buoc")).await;
        assert_eq!(status, StatusCode::OK);
        page.split("href=\"/quan-tri/quy-trinh/").nth(1).unwrap().split('?').next().unwrap().to_owned()
    };
    assert_eq!(in_use_there().await, KEY, "the shipped version");

    // Through this process: a new version, dry-run to its end, activated from now.
    let res =
        save(&app, KEY, &shipped_source(&app).replacen("label: Phê duyệt", "label: Phê duyệt (bản mới)", 1)).await;
    let page = location(&res);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let query = serde_urlencoded::to_string([("procedure", "9.900303"), ("path", TO_THE_END)]).unwrap();
    assert_eq!(get_html_with(app.admin().await, &app.url(&format!("{page}?{query}"))).await.0, StatusCode::OK);
    let fields = [("procedures", "9.900303"), ("effective_from", "")];
    assert_eq!(
        app.post_form_with(app.admin().await, &format!("{page}/ap-dung"), &fields).await.status(),
        StatusCode::SEE_OTHER
    );

    // The second process's next request sees it: the counter moved. No restart, no waiting.
    assert_eq!(in_use_there().await, format!("{KEY}/phien-ban/{id}"));
}
