//! The KPI dashboard over a data set built for it: every figure of every
//! table is worked out here from the set's own description and compared
//! with the CSV the portal exports; the page draws the same figures.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::builders::{Built, ProcedureBuilder, official_with};
use crate::helpers::{TestApp, get_html_with};
use crate::statistics::{BASE, Spec, at, insert};
use motcua::auth::role::Role;

const PARENT: &str = "000.00.79.H99";
const CHILD: &str = "000.01.79.H99";

/// Which procedure a spec's dossier belongs to: 'a' (parent, fully online), 'b' (parent, partly online, a fee),
/// 'd' (child, fully online).
fn set() -> Vec<(char, Spec)> {
    let open = Spec { status: "in_progress", finished: None, ..BASE.clone() };
    vec![
        // Early, rated well.
        ('a', Spec { answers: &["rat_hai_long", "hai_long"], ..BASE.clone() }),
        // Finished on the appointment's day: on time, not early; at the counter.
        ('a', Spec { channel: "counter", finished: Some(10), ..BASE.clone() }),
        // Late, by post, rated with a dislike.
        ('a', Spec { channel: "post", finished: Some(12), answers: &["khong_hai_long", "hai_long"], ..BASE.clone() }),
        // Early by the date but asked twice for a supplement: late.
        ('a', Spec { supplements: 2, pause_days: 2, ..BASE.clone() }),
        // One supplement, its three days out of the time; the fee paid online.
        ('b', Spec { fee: true, paid_online: true, supplements: 1, pause_days: 3, finished: Some(9), ..BASE.clone() }),
        // Open, due far ahead; the fee not paid online.
        ('b', Spec { fee: true, channel: "counter", due: 60, ..open.clone() }),
        // Open and overdue, forwarded by the national portal.
        ('d', Spec { channel: "national", received: 1, due: 5, ..open.clone() }),
        // In October, early, rated.
        ('d', Spec { received: -5, answers: &["hai_long"], ..BASE.clone() }),
        // An apology moved the date, but it was late by the first one.
        ('a', Spec { due: 15, apology_from: Some(8), finished: Some(12), ..BASE.clone() }),
        // Refused after reception, early; no result, so no processing time.
        ('a', Spec { status: "refused", e_result: false, ..BASE.clone() }),
        // Received before the period: not counted.
        ('a', Spec { received: -40, ..BASE.clone() }),
    ]
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn pct(a: i64, b: i64) -> f64 {
    if b == 0 { 0.0 } else { round2(a as f64 * 100.0 / b as f64) }
}

/// A table row as the dashboard's columns order it, from the specs alone.
fn expected(specs: &[&(char, Spec)], now: chrono::DateTime<chrono::Utc>) -> Vec<f64> {
    let n = |f: &dyn Fn(char, &Spec) -> bool| specs.iter().filter(|(p, s)| f(*p, s)).count() as i64;
    let due = |s: &Spec| s.apology_from.unwrap_or(s.due);
    let rule = |s: &Spec| {
        s.supplements <= 1
            && match s.finished {
                Some(f) => f <= due(s),
                None => at(s.received + due(s)) >= now,
            }
    };
    let received = specs.len() as i64;
    let channel = |c: &'static str| n(&move |_, s| s.channel == c);
    let early = n(&|_, s| s.finished.is_some_and(|f| f < due(s)) && rule(s));
    let on_time = n(&|_, s| s.finished.is_some_and(|f| f == due(s)) && rule(s));
    let late = n(&|_, s| s.finished.is_some() && !rule(s));
    let open_on_time = n(&|_, s| s.finished.is_none() && rule(s));
    let overdue = n(&|_, s| s.finished.is_none() && !rule(s));
    let online = channel("online") + channel("national");
    let fully = n(&|p, s| p != 'b' && matches!(s.channel, "online" | "national"));
    let fee = n(&|_, s| s.fee);
    let paid = n(&|_, s| s.fee && s.paid_online);
    let rated = n(&|_, s| !s.answers.is_empty());
    let satisfied = n(&|_, s| !s.answers.is_empty() && !s.answers.contains(&"khong_hai_long"));
    let timed: Vec<&Spec> = specs.iter().map(|(_, s)| s).filter(|s| s.status == "returned").collect();
    let average = |f: &dyn Fn(&Spec) -> i64| {
        if timed.is_empty() { 0.0 } else { round2(timed.iter().map(|s| f(s)).sum::<i64>() as f64 / timed.len() as f64) }
    };
    vec![
        received as f64,
        channel("online") as f64,
        channel("counter") as f64,
        channel("post") as f64,
        channel("national") as f64,
        early as f64,
        on_time as f64,
        late as f64,
        open_on_time as f64,
        overdue as f64,
        pct(online, received),
        pct(fully, received),
        pct(paid, fee),
        pct(early + on_time, early + on_time + late),
        rated as f64,
        pct(satisfied, rated),
        average(&|s| s.finished.unwrap() - s.pause_days),
        average(&|s| due(s)),
    ]
}

/// The rows of a CSV export: each row's code and its figures.
fn parse_csv(text: &str) -> Vec<(String, Vec<f64>)> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark for spreadsheets");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header = lines.next().unwrap();
    assert!(header.starts_with("Mã,") && header.contains("Tỷ lệ hài lòng (%)"), "{header}");
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_owned(), cells[2..].iter().map(|c| c.parse::<f64>().expect(c)).collect())
        })
        .collect()
}

async fn csv(client: &reqwest::Client, app: &TestApp, query: &str) -> (StatusCode, String) {
    csv_at(client, app, "/can-bo", query).await
}

async fn csv_at(client: &reqwest::Client, app: &TestApp, area: &str, query: &str) -> (StatusCode, String) {
    let res = client.get(app.url(&format!("{area}/thong-ke.csv?{query}"))).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_dashboard_counts_every_figure_as_the_rules_say_and_exports_it() {
    let app = TestApp::spawn_empty().await;
    let a = ProcedureBuilder::new("9.907791", PARENT).create(&app).await;
    let b = ProcedureBuilder::new("9.907792", PARENT)
        .mode("partial_online")
        .fee("Lệ phí", 50_000, "submission")
        .create(&app)
        .await;
    let d = ProcedureBuilder::new("9.907793", CHILD).create(&app).await;
    let mut child: entity::agency::ActiveModel =
        entity::agency::Entity::find_by_id(d.agency_id).one(&app.db).await.unwrap().unwrap().into();
    child.parent_id = Set(Some(a.agency_id));
    child.update(&app.db).await.unwrap();
    let specs = set();
    let of = |p: char| -> &Built {
        match p {
            'a' => &a,
            'b' => &b,
            _ => &d,
        }
    };
    for (n, (p, spec)) in specs.iter().enumerate() {
        insert(&app, spec, of(*p), n + 1, false).await;
    }
    official_with(&app, "ld.79", &[Role::Leader], PARENT).await;
    official_with(&app, "ld.79c", &[Role::Leader], CHILD).await;
    official_with(&app, "cv.79", &[Role::Specialist], PARENT).await;
    official_with(&app, "qt.79", &[Role::Admin], PARENT).await;
    let leader = crate::dossier_support::official(&app, "ld.79").await;
    let now = app.now();
    let period = "from=2026-10-01&to=2026-11-30";
    let inside: Vec<&(char, Spec)> = specs.iter().filter(|(_, s)| (-31..30).contains(&s.received)).collect();
    let only = |f: &dyn Fn(char, &Spec) -> bool| -> Vec<&(char, Spec)> {
        inside.iter().copied().filter(|(p, s)| f(*p, s)).collect()
    };

    // The total, and each unit, procedure and month: the leader's unit is the parent and all below it.
    let (status, text) = csv(&leader, &app, &format!("bang=tong&{period}")).await;
    assert_eq!(status, StatusCode::OK);
    let total = parse_csv(&text);
    assert_eq!(total.len(), 1);
    assert_eq!(total[0].1, expected(&inside, now), "the total");
    assert_eq!(total[0].1[..10], [10.0, 6.0, 2.0, 1.0, 1.0, 4.0, 1.0, 3.0, 1.0, 1.0], "as the set was written");
    let (_, text) = csv(&leader, &app, &format!("bang=don-vi&{period}")).await;
    let units = parse_csv(&text);
    assert_eq!(units.len(), 2, "{text}");
    assert_eq!(units[0], (PARENT.to_owned(), expected(&only(&|p, _| p != 'd'), now)));
    assert_eq!(units[1], (CHILD.to_owned(), expected(&only(&|p, _| p == 'd'), now)));
    let (_, text) = csv(&leader, &app, &format!("bang=thu-tuc&{period}")).await;
    let procedures = parse_csv(&text);
    for (code, p) in [("9.907791", 'a'), ("9.907792", 'b'), ("9.907793", 'd')] {
        let row = procedures.iter().find(|r| r.0 == code).unwrap_or_else(|| panic!("{code}: {text}"));
        assert_eq!(row.1, expected(&only(&|q, _| q == p), now), "{code}");
    }
    let (_, text) = csv(&leader, &app, &format!("bang=thang&{period}")).await;
    let months = parse_csv(&text);
    assert_eq!(months.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["2026-10", "2026-11"]);
    assert_eq!(months[0].1, expected(&only(&|_, s| s.received < 0), now));
    assert_eq!(months[1].1, expected(&only(&|_, s| s.received >= 0), now));
    // One procedure only.
    let (_, text) = csv(&leader, &app, &format!("bang=tong&procedure=9.907792&{period}")).await;
    assert_eq!(parse_csv(&text)[0].1, expected(&only(&|p, _| p == 'b'), now));
    // The answers per criterion and level.
    let (_, text) = csv(&leader, &app, &format!("bang=danh-gia&{period}")).await;
    assert!(text.contains("\r\nMức độ hài lòng chung,1,1,1\r\n"), "{text}");
    assert!(text.contains("\r\nSự thuận tiện của dịch vụ trực tuyến,0,2,0\r\n"), "{text}");

    // The page: the same figures, charts with their tables, the months as a reader writes them.
    let (status, page) = get_html_with(&leader, &app.url(&format!("/can-bo/thong-ke?{period}"))).await;
    assert_eq!(status, StatusCode::OK);
    for text in
        ["<svg", "Hồ sơ tiếp nhận theo hình thức nộp", "Kết quả giải quyết", "Theo đơn vị", "10/2026", "11/2026"]
    {
        assert!(page.contains(text), "{text}");
    }
    assert!(page.contains("Sở thử nghiệm 000.01.79.H99"), "the child unit's row");

    // Who may see what.
    let child_leader = crate::dossier_support::official(&app, "ld.79c").await;
    let (status, _) = csv(&child_leader, &app, &format!("bang=tong&agency={PARENT}&{period}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a unit below does not see the one above");
    let (_, text) = csv(&child_leader, &app, &format!("bang=tong&{period}")).await;
    assert_eq!(parse_csv(&text)[0].1, expected(&only(&|p, _| p == 'd'), now), "its own unit by default");
    let specialist = crate::dossier_support::official(&app, "cv.79").await;
    assert_eq!(csv(&specialist, &app, &format!("bang=tong&{period}")).await.0, StatusCode::FORBIDDEN);
    let admin = crate::dossier_support::official(&app, "qt.79").await;
    let (_, text) = csv_at(&admin, &app, "/quan-tri", &format!("bang=tong&{period}")).await;
    assert_eq!(parse_csv(&text)[0].1, expected(&inside, now), "an admin sees every agency");
    assert_eq!(csv_at(&leader, &app, "/quan-tri", "bang=tong").await.0, StatusCode::FORBIDDEN);
    let (status, page) = get_html_with(&admin, &app.url(&format!("/quan-tri/thong-ke?{period}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Tất cả đơn vị") && page.contains("/quan-tri/thong-ke.csv?bang=don-vi"), "{page}");
    for bad in ["bang=khac", "procedure=1.000001", "from=2026-12-01&to=2026-11-01", "agency=khong-co"] {
        assert_eq!(csv(&leader, &app, bad).await.0, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // An empty period: a row of zeros, not an error.
    let (_, text) = csv(&leader, &app, "bang=tong&from=2025-01-01&to=2025-01-31").await;
    assert_eq!(parse_csv(&text)[0].1, vec![0.0; 18]);
}
