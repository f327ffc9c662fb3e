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
    assert_eq!(client.get(format!("{other}/thu-tuc/9.770001")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // The catalogue page, rendered and kept for visitors (`public_pages`), does not list it.
    let page = client.get(format!("{other}/thu-tuc?q=dong+bo+ban+sao")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Cấp phép thử đồng bộ bản sao"));

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
    // The page of the other process too: the page it kept is of the old catalogue.
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

/// The kept page's validators, and its body.
async fn page(client: &reqwest::Client, url: &str, etag: Option<&str>) -> (StatusCode, Option<String>, String) {
    let mut get = client.get(url);
    if let Some(tag) = etag {
        get = get.header(IF_NONE_MATCH, tag);
    }
    let res = get.send().await.unwrap();
    let status = res.status();
    if status == StatusCode::OK || status == StatusCode::NOT_MODIFIED {
        assert_eq!(res.headers()["cache-control"], "no-cache", "stored, but asked again each time");
        assert_eq!(res.headers()["vary"], "Cookie", "the language and the session change the page");
    }
    let tag = res.headers().get(ETAG).map(|v| v.to_str().unwrap().to_owned());
    (status, tag, res.text().await.unwrap())
}

#[tokio::test]
async fn a_visitor_revalidates_the_public_pages_and_a_signed_in_person_never_gets_a_visitors_page() {
    let app = TestApp::spawn().await;
    let published = catalogue("Cấp phép thử trang lưu sẵn", "Sở kiểm thử", "published");
    assert_eq!(app.import(&published).await.status(), 200);
    let visitor = TestApp::new_client();
    let admin = app.admin().await;
    for path in ["/", "/thu-tuc?q=trang+luu+san", "/thu-tuc/9.770001"] {
        let url = app.url(path);
        let (status, etag, body) = page(&visitor, &url, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let etag = etag.expect("a visitor's page has an ETag");
        assert!(!body.contains("/dang-xuat"), "{path}: nobody is signed in");
        let (status, again, body) = page(&visitor, &url, Some(&etag)).await;
        assert_eq!((status, again.as_deref(), body.as_str()), (StatusCode::NOT_MODIFIED, Some(etag.as_str()), ""));
        // In English it is another page, with its own ETag.
        let (status, english, body) = page(
            &visitor,
            &app.url(&format!("{path}{}lang=en", if path.contains('?') { "&" } else { "?" })),
            Some(&etag),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path} in English");
        assert_ne!(english.as_deref(), Some(etag.as_str()));
        assert!(body.contains("lang=\"en\""), "{path}");
        // The admin, signed in, gets a page of their own: their sign-out form, no ETag, even when
        // their browser sends the visitor's.
        let res = admin.get(&url).header(IF_NONE_MATCH, &etag).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res.headers().get(ETAG).is_none(), "{path}");
        assert!(res.text().await.unwrap().contains("action=\"/dang-xuat\""), "{path}: the admin's own header");
    }
    // A change of the catalogue: the browser's copy no longer stands; the page shows the change.
    let url = app.url("/thu-tuc/9.770001");
    let (_, etag, _) = page(&visitor, &url, None).await;
    let renamed = catalogue("Cấp phép thử trang lưu sẵn, tên mới", "Sở kiểm thử", "published");
    assert_eq!(app.import(&renamed).await.status(), 200);
    let (status, after, body) = page(&visitor, &url, etag.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(after, etag);
    assert!(body.contains("Cấp phép thử trang lưu sẵn, tên mới"));
    let (_, _, body) = page(&visitor, &app.url("/thu-tuc?q=trang+luu+san"), None).await;
    assert!(body.contains("Cấp phép thử trang lưu sẵn, tên mới"), "the search page too");
}

#[tokio::test]
async fn under_load_a_search_that_begins_after_a_change_commits_sees_it() {
    // Searches share their reads of the counter (`change_counter::Shared`); the one that begins
    // after the admin's change has committed must still see it, however many are on their way.
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = TestApp::spawn_with(Options { press_office: false, ..Options::default() }).await;
    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..8)
        .map(|_| {
            let (stop, url) = (stop.clone(), app.url("/api/v1/procedures?q=cap+phep+thu+tai"));
            tokio::spawn(async move {
                let client = TestApp::new_client();
                let mut answered = 0;
                while !stop.load(Ordering::Relaxed) {
                    assert_eq!(client.get(&url).send().await.unwrap().status(), StatusCode::OK);
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    let client = TestApp::new_client();
    for word in ["một", "hai", "ba", "bốn", "năm"] {
        let name = format!("Cấp phép thử tải {word}");
        assert_eq!(app.import(&catalogue(&name, "Sở kiểm thử", "published")).await.status(), 200);
        let (_, _, body) = search(&client, &app.url(""), &format!("cap phep thu tai {word}"), None).await;
        assert_eq!(body["total"].as_u64(), Some(1), "{word}: {body}");
        assert_eq!(body["items"][0]["name"], name.as_str());
    }
    stop.store(true, Ordering::Relaxed);
    for task in load {
        assert!(task.await.unwrap() > 0, "the load ran beside the changes");
    }
}
