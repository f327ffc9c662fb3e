//! Admins set the time rules of the dossier's life per agency and procedure,
//! from an effective moment, on the portal's pages: a rule applies to the new
//! dossiers of that agency (and those below it) and to no other, never to a
//! running dossier; a bad rule is refused with nothing saved; every change is
//! in the audit log with what it replaced.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::builders::{ProcedureBuilder, official_with};
use crate::dossier_support::{official, pdf, reception_action, state_of};
use crate::helpers::{Options, TestApp, get_html_with};
use motcua::auth::role::Role;
use motcua::sla::local_time::{to_local, to_utc};

const PAGE: &str = "/quan-tri/quy-tac-thoi-han";

/// A citizen files an online dossier of `procedure` with its one document; its public id.
pub async fn file_online(app: &TestApp, procedure: &str, n: usize) -> String {
    app.sso_sign_in("nguyen-van-an").await;
    let csrf = app.csrf_of(&app.client).await;
    let part = reqwest::multipart::Part::bytes(pdf(2000, &format!("don-{n}"))).file_name("don.pdf");
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = app.client.post(app.url("/api/v1/uploads")).header("X-CSRF-Token", &csrf).multipart(form).send().await;
    let upload: Value = res.unwrap().json().await.unwrap();
    let body = json!({"procedure": procedure, "form": {"ho_ten": "Nguyễn Văn An"},
                      "documents": [{"slot": 1, "upload": upload["id"]}]});
    let res = app
        .client
        .post(app.url("/api/v1/dossiers"))
        .header("X-CSRF-Token", &csrf)
        .header("Idempotency-Key", format!("time-rules-{n}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn save_rules(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_with(app.admin().await, PAGE, fields).await
}

/// Hà Nội wall-clock `h:00` on `day`, as UTC.
fn local(day: NaiveDate, h: u32) -> DateTime<Utc> {
    to_utc(day.and_hms_opt(h, 0, 0).unwrap())
}

/// The national calendar's next working day after `day`, skipping `also_off`.
async fn next_working(app: &TestApp, day: NaiveDate, also_off: Option<NaiveDate>) -> NaiveDate {
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let mut next = day + Duration::days(1);
    while !cal.is_working_day(next) || Some(next) == also_off {
        next += Duration::days(1);
    }
    next
}

/// `t` without its seconds: the test portal's clock runs on from its start.
fn to_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap()
}

/// When an online dossier submitted at `d`'s moment is due to be accepted within `hours`,
/// on the national calendar with `day_off` taken out.
async fn accept_due(
    app: &TestApp,
    d: &entity::dossier::Model,
    hours: u32,
    day_off: Option<NaiveDate>,
) -> DateTime<Utc> {
    let hours_set = &app.state.settings.office_hours;
    let mut special = motcua::work_calendar::special_days(&app.db).await.unwrap();
    special.extend(day_off.map(|day| (day, motcua::sla::DayKind::Holiday)));
    let cal =
        motcua::sla::Calendar::new(hours_set.sessions.clone(), hours_set.rest_days.clone(), special, hours_set.cutoff)
            .unwrap();
    let rules = motcua::sla::rules::TimeRules { accept_within_hours: hours, ..Default::default() };
    motcua::dossier::policy::accept_due(&cal, &rules, d.submitted_at.unwrap())
}

fn kept_rules(d: &entity::dossier::Model) -> Value {
    serde_json::from_str(d.sla_rules.as_deref().expect("the dossier keeps its rules")).unwrap()
}

#[tokio::test]
async fn an_agency_rule_applies_to_its_new_dossiers_and_those_below_it_from_its_moment_and_to_no_other() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: true, ..Default::default() }).await;
    let (agency, sibling, child) = ("000.00.41.H01", "000.00.41.H02", "000.00.41.H03");
    let a = ProcedureBuilder::new("9.900101", agency).create(&app).await;
    ProcedureBuilder::new("9.900102", sibling).create(&app).await;
    let c = ProcedureBuilder::new("9.900103", child).create(&app).await;
    // The child unit lies below the agency.
    let mut m: entity::agency::ActiveModel =
        entity::agency::Entity::find_by_id(c.agency_id).one(&app.db).await.unwrap().unwrap().into();
    m.parent_id = Set(Some(a.agency_id));
    m.update(&app.db).await.unwrap();
    official_with(&app, "tn.h01", &[Role::Reception], agency).await;
    let today = to_local(app.now()).date();
    assert_eq!(to_minute(app.now()), local(today, 9), "the test portal's day starts at 09:00 on a working day");

    // Filed before any rule: the settings' 8 working hours, 15 working days.
    let running = file_online(&app, "9.900101", 1).await;
    let d = state_of(&app, &running).await;
    assert_eq!(d.accept_due_at, Some(accept_due(&app, &d, 8, None).await));

    // The agency: 16 working hours to accept, 30 working days to supplement, from now; and its own day off tomorrow.
    let tomorrow = next_working(&app, today, None).await;
    let res = save_rules(
        &app,
        &[("cap", "agency"), ("ma", agency), ("accept_within_hours", "16"), ("supplement_timeout_days", "30")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let day = tomorrow.format("%Y-%m-%d").to_string();
    let fields = [("ma", agency), ("day", day.as_str()), ("kind", "holiday"), ("name", "Ngày hội địa phương")];
    let res = app.post_form_with(app.admin().await, &format!("{PAGE}/ngay"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // New dossiers: the agency's and its child unit's follow the rule and skip the day off; the sibling's do not.
    let after_day_off = next_working(&app, tomorrow, None).await;
    let (new_a, new_sibling, new_child) = (
        file_online(&app, "9.900101", 2).await,
        file_online(&app, "9.900102", 3).await,
        file_online(&app, "9.900103", 4).await,
    );
    for (id, hours, day_off) in
        [(&new_a, 16, Some(tomorrow)), (&new_child, 16, Some(tomorrow)), (&new_sibling, 8, None)]
    {
        let d = state_of(&app, id).await;
        assert_eq!(d.accept_due_at, Some(accept_due(&app, &d, hours, day_off).await), "{hours} hours");
    }
    let d = state_of(&app, &new_a).await;
    assert!(to_local(d.accept_due_at.unwrap()).date() > tomorrow, "the agency's day off is skipped");
    assert_eq!(kept_rules(&state_of(&app, &new_a).await)["supplement_timeout_days"], 30);
    assert_eq!(kept_rules(&state_of(&app, &new_sibling).await)["supplement_timeout_days"], 15);

    // Asked for a supplement now, the running dossier keeps its 15 days; the new one gets 30.
    let reception = official(&app, "tn.h01").await;
    for id in [&running, &new_a] {
        let res = reception_action(&app, &reception, id, "yeu-cau-bo-sung", "Bổ sung bản sao giấy tờ tùy thân").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let national = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let running_closes = state_of(&app, &running).await.supplement_due_at.unwrap();
    let new_closes = state_of(&app, &new_a).await.supplement_due_at.unwrap();
    let working_days = |until: DateTime<Utc>| {
        let minutes = national.working_minutes_between(to_local(app.now()), to_local(until));
        minutes / national.minutes_per_day()
    };
    // Counted on the national calendar: the agency's day off (a day of its calendar, for every
    // dossier it holds) adds one to each; the rule is each dossier's own.
    assert_eq!(working_days(running_closes), 16, "the running dossier's 15 working days");
    assert_eq!(working_days(new_closes), 31, "the new dossier's 30 working days");

    // A rule with a moment ahead applies from then: 4 hours from the day after tomorrow.
    let later = next_working(&app, after_day_off, None).await;
    let moment = format!("{}T08:00", later.format("%Y-%m-%d"));
    let res = save_rules(
        &app,
        &[("cap", "agency"), ("ma", agency), ("accept_within_hours", "4"), ("effective_from", &moment)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let before_it = file_online(&app, "9.900101", 5).await;
    assert_eq!(kept_rules(&state_of(&app, &before_it).await)["accept_within_hours"], 16, "the version in force now");
    app.state.clock.set(local(later, 9));
    let from_it = file_online(&app, "9.900101", 6).await;
    let d = state_of(&app, &from_it).await;
    assert_eq!(d.accept_due_at, Some(accept_due(&app, &d, 4, Some(tomorrow)).await));
    assert_eq!(to_local(d.accept_due_at.unwrap()).date(), later, "four working hours from the morning: the same day");

    // The page says what a procedure of the child unit ends up with and where each rule comes from.
    let admin = crate::helpers::ADMIN;
    app.sign_in_with(app.admin().await, admin, crate::helpers::password_of(admin)).await;
    let (status, html) = get_html_with(app.admin().await, &app.url(&format!("{PAGE}?cap=procedure&ma=9.900103"))).await;
    assert_eq!(status, StatusCode::OK);
    let row = html.split("<tr>").find(|r| r.contains("Thời hạn tiếp nhận hồ sơ trực tuyến")).unwrap();
    assert!(row.contains("<td>4</td>") && row.contains(&format!("Sở thử nghiệm {agency}")), "{row}");
    let row = html.split("<tr>").find(|r| r.contains("Giờ chốt tiếp nhận trong ngày")).unwrap();
    assert!(row.contains("15:00") && row.contains("Cấu hình hệ thống") && row.contains("MOTCUA_CUTOFF"), "{row}");
}

#[tokio::test]
async fn a_bad_rule_is_refused_with_its_reason_and_every_change_is_audited_with_before_and_after() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    ProcedureBuilder::new("9.900201", "000.00.42.H01").create(&app).await;
    let stored = || async { entity::sla_rule::Entity::find().count(&app.db).await.unwrap() };

    let res = save_rules(
        &app,
        &[
            ("cap", "procedure"),
            ("ma", "9.900201"),
            ("accept_within_hours", "0"),
            ("cutoff", "25:00"),
            ("due_soon_share", "1,5"),
            ("office_hours", "13:00-12:00"),
            ("rest_set", "1"),
            ("rest_mon", "1"),
            ("rest_tue", "1"),
            ("rest_wed", "1"),
            ("rest_thu", "1"),
            ("rest_fri", "1"),
            ("rest_sat", "1"),
            ("rest_sun", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "Thời hạn tiếp nhận phải là số giờ làm việc từ 1 đến 80.",
        "Giờ chốt phải có dạng GG:PP, ví dụ 15:00.",
        "Tỷ lệ cảnh báo phải lớn hơn 0 và nhỏ hơn 1",
        "các buổi theo thứ tự, không chồng lên nhau",
        "Tuần phải còn ít nhất một ngày làm việc.",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(html.contains("value=\"25:00\""), "what was typed is kept");
    // A moment in the past, an unknown agency: refused too.
    let res = save_rules(&app, &[("cap", "portal"), ("cutoff", "16:00"), ("effective_from", "2020-01-01T08:00")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không được ở trong quá khứ"));
    let res = save_rules(&app, &[("cap", "agency"), ("ma", "000.00.99.Z99"), ("cutoff", "16:00")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored().await, 0, "nothing saved");

    // Two changes of the procedure's rules: the second's audit entry carries the first as "before".
    for cutoff in ["16:00", "11:30"] {
        let res = save_rules(&app, &[("cap", "procedure"), ("ma", "9.900201"), ("cutoff", cutoff)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(stored().await, 2, "each change is a version; none is overwritten");
    let entries = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("sla_rule.save"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    let detail: Value = serde_json::from_str(&entries[1].detail).unwrap();
    assert_eq!(
        (detail["before"]["cutoff"].as_str(), detail["after"]["cutoff"].as_str()),
        (Some("16:00"), Some("11:30"))
    );
    let first: Value = serde_json::from_str(&entries[0].detail).unwrap();
    assert_eq!(first["before"], json!({}), "nothing was set before the first");
    let (_, html) = get_html_with(app.admin().await, &app.url(&format!("{PAGE}?cap=procedure&ma=9.900201"))).await;
    assert!(html.contains("11:30") && html.contains("Các phiên bản đã lưu"));
}

#[tokio::test]
async fn an_agencys_own_day_wins_over_the_days_above_it_and_over_the_national_calendar() {
    use motcua::sla_rules::{calendar_for, defaults};
    // The press office (000.01.00.G12) lies below the ministry (000.00.00.G12).
    let app = TestApp::spawn().await;
    let refs = motcua::catalogue::store::Refs::load(&app.db).await.unwrap();
    let (ministry, office) = (refs.agencies["000.00.00.G12"].id, refs.agencies["000.01.00.G12"].id);
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 30/4/2027, a Friday, is a national holiday; 14 and 15/6/2027 are an ordinary Monday and Tuesday.
    for (agency, on, kind) in [
        ("000.00.00.G12", "2027-06-14", "holiday"),
        ("000.00.00.G12", "2027-06-15", "holiday"),
        ("000.01.00.G12", "2027-04-30", "extra_working_day"),
        ("000.01.00.G12", "2027-06-15", "extra_working_day"),
    ] {
        let fields = [("ma", agency), ("day", on), ("kind", kind), ("name", "Ngày riêng của đơn vị")];
        let res = app.post_form_with(app.admin().await, &format!("{PAGE}/ngay"), &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{agency} {on}");
    }
    let rules = defaults(&app.state.settings);
    let works = |cal: &motcua::sla::Calendar, on: &str| cal.is_working_day(day(on));
    let national = calendar_for(&app.db, &rules, None).await.unwrap();
    let above = calendar_for(&app.db, &rules, Some(ministry)).await.unwrap();
    let below = calendar_for(&app.db, &rules, Some(office)).await.unwrap();
    assert_eq!(
        [works(&national, "2027-04-30"), works(&national, "2027-06-14"), works(&national, "2027-06-15")],
        [false, true, true]
    );
    assert_eq!(
        [works(&above, "2027-04-30"), works(&above, "2027-06-14"), works(&above, "2027-06-15")],
        [false, false, false]
    );
    // The office: its own working day over the national holiday and over the ministry's day off;
    // the ministry's other day off reaches it.
    assert_eq!(
        [works(&below, "2027-04-30"), works(&below, "2027-06-14"), works(&below, "2027-06-15")],
        [true, false, true]
    );
}

/// A portal process keeps each agency's special days under the catalogue's
/// counter (`sla_rules::kept`): a day off saved after it read them must still
/// count for the next step it takes, with no wait.
#[tokio::test]
async fn a_day_off_saved_after_a_step_counts_for_the_next_step_of_the_same_process() {
    use crate::builders::DossierBuilder;
    use crate::dossier_support::act;
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    let agency = "000.00.45.H01";
    let p = ProcedureBuilder::new("9.900451", agency).create(&app).await;
    official_with(&app, "tn.h45", &[Role::Reception], agency).await;
    let reception = official(&app, "tn.h45").await;
    let national = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let appraisal_days = |d: &entity::dossier::Model| {
        let (entered, due) = (to_local(d.step_started_at.unwrap()), to_local(d.step_due_at.unwrap()));
        national.working_minutes_between(entered, due) / national.minutes_per_day()
    };

    // Sent to appraisal now: due in the workflow's six working days (and the agency's days are now kept).
    let first = DossierBuilder::in_step(&p, "tiep_nhan", "received").insert_complete(&app, 1).await;
    let res = act(&app, &reception, &first.public_id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(appraisal_days(&state_of(&app, &first.public_id).await), 6);

    // The agency rests on the next working day.
    let today = to_local(app.now()).date();
    let day = next_working(&app, today, None).await.format("%Y-%m-%d").to_string();
    let fields = [("ma", agency), ("day", day.as_str()), ("kind", "holiday"), ("name", "Ngày nghỉ riêng của sở")];
    let res = app.post_form_with(app.admin().await, &format!("{PAGE}/ngay"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The next dossier sent to appraisal is due a national working day later: the agency's day is not worked.
    let second = DossierBuilder::in_step(&p, "tiep_nhan", "received").insert_complete(&app, 2).await;
    let res = act(&app, &reception, &second.public_id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(appraisal_days(&state_of(&app, &second.public_id).await), 7, "the day off saved is counted");
    // The first dossier's due time stays as it was set.
    assert_eq!(appraisal_days(&state_of(&app, &first.public_id).await), 6);
}
