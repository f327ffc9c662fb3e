//! A procedure sets its own step budgets (working days, whole or half, or
//! working hours) in place of its workflow's: checked against its legal limit
//! along every way through the workflow, refused with nothing saved when they
//! do not fit; a dossier's step deadline and the dry run then follow them.

use chrono::NaiveDateTime;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::builders::{DossierBuilder, ProcedureBuilder, official_with};
use crate::dossier_support::{act, official, state_of};
use crate::helpers::{Options, TestApp, decode_entities, get_html_with};
use motcua::auth::role::Role;
use motcua::sla::local_time::to_local;

const PAGE: &str = "/quan-tri/thu-tuc/9.900401/thoi-han-buoc";

/// The moments of the dry run's first action (when it is taken, and when the step it enters is due).
fn first_step(html: &str) -> (NaiveDateTime, NaiveDateTime) {
    let table = html.split("id=\"dry-run\"").nth(1).expect("a dry run");
    let row = table.split("<tr").nth(3).expect("the first action's row");
    let cells: Vec<&str> = row.split("<td>").skip(1).map(|c| c.split('<').next().unwrap().trim()).collect();
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%H:%M %d/%m/%Y").unwrap();
    (at(cells[3]), at(cells[5]))
}

#[tokio::test]
async fn a_procedures_own_step_budgets_must_fit_its_limit_and_set_its_step_deadlines_and_dry_run() {
    let app = TestApp::spawn_with(Options { press_office: false, sso: false, ..Default::default() }).await;
    let p = ProcedureBuilder::new("9.900401", "000.00.44.H01").create(&app).await;
    let stored = || async { entity::procedure_step_budget::Entity::find().count(&app.db).await.unwrap() };
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let dry_run = "/quan-tri/quy-trinh/mot-cua-3-buoc?procedure=9.900401&path=chuyen_tham_dinh";
    let (_, html) = get_html_with(app.admin().await, &app.url(dry_run)).await;
    let (at, due) = first_step(&html);
    assert_eq!(cal.working_minutes_between(at, due), 6 * cal.minutes_per_day(), "the workflow's 60 % of ten days");

    // Refused, nothing saved: twelve days of appraisal in a ten-day procedure, a third of a day, no hours.
    for (amount, unit, message) in [
        ("12", "days", "Tổng thời hạn các bước của quy trình vượt thời hạn giải quyết"),
        ("1,3", "days", "tròn hoặc nửa ngày"),
        ("0", "hours", "số giờ làm việc tròn"),
    ] {
        let res = app
            .post_form_with(app.admin().await, PAGE, &[("budget.tham_dinh", amount), ("unit.tham_dinh", unit)])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{amount} {unit}");
        let html = decode_entities(&res.text().await.unwrap());
        assert!(html.contains(message), "{amount} {unit}: {message}");
        assert!(html.contains(&format!("value=\"{amount}\"")), "what was typed is kept");
    }
    assert_eq!(stored().await, 0);

    // A dossier entering appraisal now is due in the workflow's six days (and this process now
    // keeps the procedure's view: the budgets saved next must reach it all the same).
    official_with(&app, "tn.h44", &[Role::Reception], "000.00.44.H01").await;
    let reception = official(&app, "tn.h44").await;
    let before = DossierBuilder::in_step(&p, "tiep_nhan", "received").insert_complete(&app, 2).await;
    let res = act(&app, &reception, &before.public_id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let before = state_of(&app, &before.public_id).await;
    let (entered, due) = (to_local(before.step_started_at.unwrap()), to_local(before.step_due_at.unwrap()));
    assert_eq!(cal.working_minutes_between(entered, due), 6 * cal.minutes_per_day());

    // Appraisal three working days and a half, approval four working hours.
    let fields = [
        ("budget.tham_dinh", "3,5"),
        ("unit.tham_dinh", "days"),
        ("budget.phe_duyet", "4"),
        ("unit.phe_duyet", "hours"),
    ];
    assert_eq!(app.post_form_with(app.admin().await, PAGE, &fields).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored().await, 2);
    let (_, html) = get_html_with(app.admin().await, &app.url(PAGE)).await;
    assert!(html.contains("value=\"3,5\"") && html.contains("value=\"4\""), "the page shows them");
    let entry = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("procedure.step_budgets"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let detail: Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!(detail["before"], serde_json::json!([]));
    assert_eq!(detail["after"], serde_json::json!([["tham_dinh", {"Days": 3.5}], ["phe_duyet", {"Hours": 4.0}]]));

    // The dry run follows them.
    let (_, html) = get_html_with(app.admin().await, &app.url(dry_run)).await;
    let (at, due) = first_step(&html);
    assert_eq!(cal.working_minutes_between(at, due), 7 * cal.minutes_per_day() / 2);

    // So does a dossier: its appraisal is due three and a half working days after it enters it.
    let d = DossierBuilder::in_step(&p, "tiep_nhan", "received").insert_complete(&app, 1).await;
    let res = act(&app, &reception, &d.public_id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &d.public_id).await;
    let (entered, due) = (to_local(d.step_started_at.unwrap()), to_local(d.step_due_at.unwrap()));
    assert_eq!(cal.working_minutes_between(entered, due), 7 * cal.minutes_per_day() / 2);

    // The procedure's limit cannot then fall below its steps' own budgets: four days is too short
    // (0.2 × 4 + 3.5 + 0.5 = 4.8), six is not (0.2 × 6 + 3.5 + 0.5 = 5.2).
    let version = motcua::catalogue::view::any(&app.db, "9.900401").await.unwrap().version.to_string();
    let mut form = crate::helpers::procedure_form("9.900401", "Thủ tục thử nghiệm 9.900401");
    for (k, v) in form.iter_mut() {
        match *k {
            "agency_code" => *v = "000.00.44.H01".into(),
            "field_code" => *v = "THU".into(),
            "version" => *v = version.clone(),
            "time_limit_days" => *v = "4".into(),
            _ => {}
        }
    }
    let edit = "/quan-tri/thu-tuc/9.900401/sua";
    let res = app.post_form_with(app.admin().await, edit, &crate::helpers::as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("ngắn hơn tổng thời hạn riêng của các bước"));
    form.iter_mut().filter(|(k, _)| *k == "time_limit_days").for_each(|(_, v)| *v = "6".into());
    let res = app.post_form_with(app.admin().await, edit, &crate::helpers::as_pairs(&form)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
