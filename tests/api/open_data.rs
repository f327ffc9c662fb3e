//! Open data and the public statistics page: the figures agree with the
//! dashboard's, and no answer carries anything personal — the applicants'
//! names, ID numbers, phones, e-mails and addresses, the officials' names,
//! the rating comments, the dossiers' codes.

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::Value;

use crate::builders::{ProcedureBuilder, official_with};
use crate::helpers::{TestApp, get_html_with};
use crate::statistics::{BASE, Spec, insert};
use motcua::auth::role::Role;

const PERSONAL: &[&str] = &[
    "Trần Thị Bí Mật",
    "079188001234",
    "0912345678",
    "bimat@example.vn",
    "12 ngõ Riêng Tư",
    "Lê Văn Cán Bộ",
    "góp ý rất riêng",
];

#[tokio::test]
async fn open_data_gives_the_figures_and_nothing_personal() {
    let app = TestApp::spawn_empty().await;
    let agency = "000.00.80.H99";
    let p = ProcedureBuilder::new("9.908001", agency).fee("Lệ phí", 50_000, "submission").create(&app).await;
    let specs = [
        Spec { answers: &["hai_long"], ..BASE.clone() },
        Spec { channel: "counter", finished: Some(12), answers: &["khong_hai_long"], ..BASE.clone() },
        Spec { status: "in_progress", finished: None, due: 60, paid_online: true, ..BASE.clone() },
    ];
    for (n, spec) in specs.iter().enumerate() {
        insert(&app, spec, &p, n + 1, false).await;
    }
    // Every dossier of an applicant with everything a person can be known by, and a comment.
    entity::dossier::Entity::update_many()
        .col_expr(entity::dossier::Column::ApplicantName, Expr::value(PERSONAL[0]))
        .col_expr(entity::dossier::Column::ApplicantIdNumber, Expr::value(PERSONAL[1]))
        .col_expr(entity::dossier::Column::ApplicantPhone, Expr::value(PERSONAL[2]))
        .col_expr(entity::dossier::Column::ApplicantEmail, Expr::value(PERSONAL[3]))
        .col_expr(entity::dossier::Column::ApplicantAddress, Expr::value(PERSONAL[4]))
        .col_expr(
            entity::dossier::Column::FormData,
            Expr::value(serde_json::json!({"ho_ten": PERSONAL[0], "so_dinh_danh": PERSONAL[1]}).to_string()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    entity::rating::Entity::update_many()
        .col_expr(entity::rating::Column::Comment, Expr::value(PERSONAL[6]))
        .exec(&app.db)
        .await
        .unwrap();
    let official = official_with(&app, "cv.80", &[Role::Specialist], agency).await;
    let mut m: entity::account::ActiveModel =
        entity::account::Entity::find_by_id(official).one(&app.db).await.unwrap().unwrap().into();
    m.full_name = Set(PERSONAL[5].into());
    m.update(&app.db).await.unwrap();
    let codes: Vec<String> =
        entity::dossier::Entity::find().all(&app.db).await.unwrap().into_iter().filter_map(|d| d.code).collect();
    assert_eq!(codes.len(), 3);

    let period = format!("agency={agency}&from=2026-11-01&to=2026-11-30");
    let get = |path: String| {
        let url = app.url(&path);
        async move {
            let res = reqwest::get(url).await.unwrap();
            let status = res.status();
            let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            (status, kind, res.text().await.unwrap())
        }
    };
    let mut answers = Vec::new();
    for path in [
        "/api/v1/open-data/procedures".to_owned(),
        "/api/v1/open-data/procedures.csv".to_owned(),
        format!("/api/v1/statistics/766?{period}"),
        format!("/thong-ke?{period}"),
    ]
    .into_iter()
    .chain(["total", "agency", "procedure", "month"].iter().flat_map(|by| {
        [
            format!("/api/v1/open-data/statistics?by={by}&{period}"),
            format!("/api/v1/open-data/statistics.csv?by={by}&{period}"),
        ]
    })) {
        let (status, kind, body) = get(path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        for secret in PERSONAL.iter().map(|s| s.to_string()).chain(codes.iter().cloned()) {
            assert!(!body.contains(&secret), "{path} gives away {secret:?}");
        }
        answers.push((path, kind, body));
    }

    // The figures: the JSON by agency and the CSV say the same, as the set was written.
    let json: Value = serde_json::from_str(&answers[6].2).unwrap();
    assert_eq!(json["by"], "agency");
    let row = &json["rows"][0];
    assert_eq!(row["code"], agency);
    assert_eq!(row["name"], format!("Sở thử nghiệm {agency}"));
    let figures: Vec<(&str, f64)> = vec![
        ("received", 3.0),
        ("online", 2.0),
        ("counter", 1.0),
        ("early", 1.0),
        ("late", 1.0),
        ("open_on_time", 1.0),
        ("overdue", 0.0),
        ("online_share", 66.67),
        ("paid_online_share", 33.33),
        ("on_time_share", 50.0),
        ("rated", 2.0),
        ("satisfied_share", 50.0),
    ];
    for (key, value) in &figures {
        assert_eq!(row[key].as_f64(), Some(*value), "{key}: {row}");
    }
    let csv = &answers[7];
    assert!(csv.1.starts_with("text/csv"), "{}", csv.1);
    let mut lines = csv.2.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cells: Vec<&str> = lines.next().unwrap().split(',').collect();
    for (key, value) in &figures {
        let at = header.iter().position(|h| h == key).unwrap_or_else(|| panic!("{key} in {header:?}"));
        assert_eq!(cells[at].parse::<f64>().unwrap(), *value, "{key}");
    }
    let catalogue: Value = serde_json::from_str(&answers[0].2).unwrap();
    assert_eq!(catalogue["total"], 1);
    assert_eq!(catalogue["items"][0]["code"], "9.908001");
    assert!(answers[1].2.contains("9.908001,Thủ tục thử nghiệm 9.908001,000.00.80.H99"), "{}", answers[1].2);
    let page = &answers[3].2;
    assert!(page.contains("Dữ liệu mở") && page.contains("Chỉ số 766") && page.contains("<svg"), "{page}");

    // A clear refusal for a bad question, on the page too.
    for bad in ["by=khac", "agency=khong-co", "from=2026-12-01&to=2026-11-01"] {
        assert_eq!(get(format!("/api/v1/open-data/statistics?{bad}")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = get_html_with(&reqwest::Client::new(), &app.url("/thong-ke?by=khac")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
