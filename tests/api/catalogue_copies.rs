//! Each portal process answers the public catalogue search from its own copy
//! in memory (`catalogue::published`): a change an admin makes through one
//! process is seen by another as soon as it commits, because the change moves
//! the catalogue's counter in its own transaction; nothing waits for a timer.
//! The same holds for the procedures a process keeps (`catalogue::views`).

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp};
use crate::processes::{PortalProcess, free_port};
use crate::sql_budgets::statements;

fn catalogue(name: &str, agency_name: &str, status: &str) -> Value {
    json!({
        "format": "motcua-catalogue",
        "version": 1,
        "agencies": [{"code": "K77", "name": agency_name, "level": "provincial"}],
        "fields": [{"code": "KTH", "name": "Lĩnh vực kiểm thử"}],
        "procedures": [{
            "code": "9.770001", "name": name, "agency_code": "K77",
            "field_code": "KTH", "online_mode": "full_online", "applicant_types": ["citizen"],
            "description": "Thủ tục dựng cho kiểm thử.", "steps": "Nộp, tiếp nhận.",
            "time_limit": {"hours": 40, "unit": "working_days"},
            "legal_basis": "Nghị định số 118/2025/NĐ-CP", "result": "Giấy xác nhận",
            "presence_required": false, "status": status,
            "eform_schema": {"fields": []}, "workflow_key": "mot-cua-3-buoc",
            "documents": [], "fees": [],
        }],
    })
}

async fn search(
    client: &reqwest::Client,
    base: &str,
    q: &str,
    etag: Option<&str>,
) -> (StatusCode, Option<String>, Value) {
    let mut get = client.get(format!("{base}/api/v1/procedures")).query(&[("q", q)]);
    if let Some(tag) = etag {
        get = get.header(IF_NONE_MATCH, tag);
    }
    let res = get.send().await.unwrap();
    let status = res.status();
    let tag = res.headers().get(ETAG).map(|v| v.to_str().unwrap().to_owned());
    let body = if status == StatusCode::OK { res.json().await.unwrap() } else { Value::Null };
    (status, tag, body)
}

#[tokio::test]
async fn a_second_portal_process_sees_an_admins_catalogue_change_as_soon_as_it_commits() {
    let app = TestApp::spawn_with(Options { press_office: false, ..Options::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _other = PortalProcess::start(dir.path(), &app.database_url, port, None).await;
    let other = format!("http://127.0.0.1:{port}");
    let client = TestApp::new_client();

    // The draft is not public: the other process's copy (read now) does not list it.
    assert_eq!(app.import(&catalogue("Cấp phép thử đồng bộ bản sao", "Sở kiểm thử", "draft")).await.status(), 200);
    let (status, before, body) = search(&client, &other, "dong bo ban sao", None).await;
    assert_eq!((status, body["total"].as_u64()), (StatusCode::OK, Some(0)));
    let before = before.expect("an ETag");
    let (status, _, _) = search(&client, &other, "dong bo ban sao", Some(&before)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "nothing changed: the browser's copy stands");
    // Its page is not found either; the other process now holds the draft's view in memory.
    let procedure = format!("{other}/api/v1/procedures/9.770001");
    assert_eq!(client.get(&procedure).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // The admin publishes it (and renames its agency) through the first process; the other
    // process answers its next request with the change, without any wait.
    let res = app.import(&catalogue("Cấp phép thử đồng bộ bản sao", "Sở kiểm thử đã đổi tên", "published")).await;
    assert_eq!(res.status(), 200);
    let (status, after, body) = search(&client, &other, "dong bo ban sao", Some(&before)).await;
    assert_eq!(status, StatusCode::OK, "the ETag of the old catalogue no longer matches");
    assert_ne!(after.as_deref(), Some(before.as_str()));
    assert_eq!(body["total"].as_u64(), Some(1), "{body}");
    assert_eq!(body["items"][0]["code"], "9.770001");
    assert_eq!(body["items"][0]["agency_name"], "Sở kiểm thử đã đổi tên");
    // The page of the other process too.
    let page = client.get(format!("{other}/thu-tuc?q=dong+bo+ban+sao")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Cấp phép thử đồng bộ bản sao"), "the catalogue page lists it");
    // The procedure itself, as the other process keeps it (`catalogue::views`): published, renamed.
    let read = || async { client.get(&procedure).send().await.unwrap().json::<Value>().await.unwrap() };
    assert_eq!(read().await["agency_name"], "Sở kiểm thử đã đổi tên");
    let res = app.import(&catalogue("Cấp phép thử đồng bộ, tên mới", "Sở kiểm thử đã đổi tên", "published")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(read().await["name"], "Cấp phép thử đồng bộ, tên mới", "the other process's next read");
    let page = client.get(format!("{other}/thu-tuc/9.770001")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Cấp phép thử đồng bộ, tên mới"), "and its page");
}

#[tokio::test]
async fn the_copy_in_memory_answers_as_the_database_search_does() {
    use motcua::catalogue::model::{ApplicantType, OnlineMode, ProcedureStatus};
    use motcua::catalogue::search::{Filter, Scope, search};
    // The same questions to the copy and to the SQL search over published procedures:
    // the same procedures in the same order, the same totals and pages.
    let app = TestApp::spawn_demo().await;
    let refs = motcua::catalogue::store::Refs::load(&app.db).await.unwrap();
    let copy = app.state.catalogue.current(&app.db).await.unwrap();
    let filters = [
        Filter::default(),
        Filter { mode: Some(OnlineMode::FullOnline), ..Filter::default() },
        Filter { applicant: Some(ApplicantType::Business), ..Filter::default() },
        Filter { agency: Some("000.01.00.G12".into()), ..Filter::default() },
        Filter { agency: Some("KHONG-CO".into()), ..Filter::default() },
    ];
    let mut compared = 0;
    for q in ["", "giay phep", "Giấy phép bưu chính", "THẺ NHÀ BÁO", "đăng ký", "1.004227", "xuat ban pham", "zzz"]
    {
        for f in &filters {
            let filter = Filter { q: (!q.is_empty()).then(|| q.to_owned()), ..f.clone() };
            for (page, per_page) in [(1, 100), (2, 5), (40, 20)] {
                let sql_filter = Filter { status: Some(ProcedureStatus::Published), ..filter.clone() };
                let sql = search(&app.db, &refs, &sql_filter, Scope::All, page, per_page).await.unwrap();
                let mem = copy.search(&filter, page, per_page);
                let codes = |items: &[motcua::catalogue::search::Summary]| {
                    items.iter().map(|i| i.code.clone()).collect::<Vec<_>>()
                };
                assert_eq!(codes(&mem.items), codes(&sql.items), "{q:?} {filter:?} page {page}");
                assert_eq!((mem.total, mem.pages), (sql.total, sql.pages), "{q:?} {filter:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 8 * 5 * 3);
}

#[tokio::test]
async fn once_its_copy_is_read_a_process_answers_a_search_with_one_statement() {
    let options = Options { env: &[("MOTCUA_SERVER_TIMING", "on")], ..Options::default() };
    let app = TestApp::spawn_with(options).await;
    let url = app.url("/api/v1/procedures?q=giay+phep&mode=full_online");
    let first = app.client.get(&url).send().await.unwrap();
    assert!(statements(&first) > 1, "the first search reads the catalogue");
    for path in
        ["/api/v1/procedures?q=giay+phep&mode=full_online", "/api/v1/procedures?q=the+nha+bao", "/thu-tuc?q=buu+chinh"]
    {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // The catalogue's counter, nothing else.
        assert_eq!(statements(&res), 1, "{path}");
    }
    // A change moves the counter: the next search reads the catalogue again, once.
    let changed = catalogue("Cấp phép thử đếm câu lệnh", "Sở kiểm thử", "published");
    assert_eq!(app.import(&changed).await.status(), 200);
    assert!(statements(&app.client.get(&url).send().await.unwrap()) > 1);
    assert_eq!(statements(&app.client.get(&url).send().await.unwrap()), 1);
}
