//! The KPI dashboard: a leader's (`/can-bo/thong-ke`) covers their unit and
//! the agencies below it, an admin's (`/quan-tri/thong-ke`) any agency. Figures for a period
//! and optionally one procedure, in total and by unit, procedure and month;
//! charts drawn here as SVG with their tables beside them; every table as CSV.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::web::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::render::Ui;
use crate::auth::role::Role;
use crate::error::{AppError, FieldError};
use crate::statistics::dashboard::{self, Answers, By, Figures, Scope};
use crate::statistics::{measure, period::Period};

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    agency: Option<String>,
    procedure: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Which table a CSV export holds.
    bang: Option<String>,
}

/// The columns of every figures table, in order: the key of the figure and of its heading.
pub const COLUMNS: &[&str] = &[
    "received",
    "online",
    "counter",
    "post",
    "national",
    "early",
    "on_time",
    "late",
    "open_on_time",
    "overdue",
    "online_share",
    "fully_online_share",
    "paid_online_share",
    "on_time_share",
    "rated",
    "satisfied_share",
    "average_days",
    "average_allowed_days",
];

/// The cells of one row, in the order of [`COLUMNS`].
pub fn cells(f: &Figures) -> Vec<serde_json::Value> {
    let s = f.shares();
    vec![
        f.received.into(),
        f.online.into(),
        f.counter.into(),
        f.post.into(),
        f.national.into(),
        f.early.into(),
        f.on_time.into(),
        f.late.into(),
        f.open_on_time.into(),
        f.overdue.into(),
        s.online.into(),
        s.fully_online.into(),
        s.paid_online.into(),
        s.on_time.into(),
        f.rated.into(),
        s.satisfied.into(),
        s.average_days.into(),
        s.average_allowed_days.into(),
    ]
}

/// A row of a table: what it is about, and its cells.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub code: String,
    pub cells: Vec<serde_json::Value>,
}

/// The rows of `figures`, each named by its agency, procedure or month.
pub async fn rows(db: &impl ConnectionTrait, by: By, figures: &[Figures]) -> Result<Vec<Row>, AppError> {
    let ids: Vec<i32> = figures.iter().filter_map(|f| f.group_key.parse().ok()).collect();
    let names: HashMap<String, (String, String)> = match by {
        By::Agency => entity::agency::Entity::find()
            .filter(entity::agency::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), (a.code, a.name)))
            .collect(),
        By::Procedure => entity::procedure::Entity::find()
            .filter(entity::procedure::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), (p.code, p.name)))
            .collect(),
        By::Month | By::Total => HashMap::new(),
    };
    Ok(figures
        .iter()
        .map(|f| {
            let (code, name) = match by {
                By::Month => (f.group_key.clone(), month_label(&f.group_key)),
                _ => names.get(&f.group_key).cloned().unwrap_or_default(),
            };
            Row { name, code, cells: cells(f) }
        })
        .collect())
}

/// `2026-11` as a Vietnamese reader writes it: 11/2026.
fn month_label(key: &str) -> String {
    match key.split_once('-') {
        Some((y, m)) => format!("{m}/{y}"),
        None => key.to_owned(),
    }
}

/// One bar of a chart.
#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// In the chart's units: the largest value is [`BAR_WIDTH`] long, any other above zero at least 2.
    pub width: f64,
}

pub const BAR_WIDTH: f64 = 250.0;

#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
    /// The largest value, which the longest bar stands for.
    pub scale: f64,
    pub unit: &'static str,
}

impl Chart {
    pub fn new(id: &'static str, title: String, mut bars: Vec<Bar>, unit: &'static str) -> Chart {
        let scale = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
        for b in &mut bars {
            let w = b.value.max(0.0) * BAR_WIDTH / scale;
            b.width = if w > 0.0 { ((w * 10.0).round() / 10.0).max(2.0) } else { 0.0 };
        }
        Chart { id, title, bars, scale, unit }
    }
}

/// The charts of a total and its months.
pub fn charts(ui: &Ui, total: &Figures, months: &[Row], answers: &[Answers]) -> Vec<Chart> {
    let bar = |key: &str, value: i64| Bar { label: ui.t(key).to_owned(), value: value as f64, width: 0.0 };
    let mut charts = vec![
        Chart::new(
            "kenh",
            ui.t("kpi_chart_channels").to_owned(),
            vec![
                bar("kpi_online", total.online),
                bar("kpi_counter", total.counter),
                bar("kpi_post", total.post),
                bar("kpi_national", total.national),
            ],
            "",
        ),
        Chart::new(
            "ket-qua",
            ui.t("kpi_chart_outcomes").to_owned(),
            vec![
                bar("kpi_early", total.early),
                bar("kpi_on_time", total.on_time),
                bar("kpi_late", total.late),
                bar("kpi_open_on_time", total.open_on_time),
                bar("kpi_overdue", total.overdue),
            ],
            "",
        ),
        Chart::new(
            "thang",
            ui.t("kpi_chart_months").to_owned(),
            months
                .iter()
                .map(|m| Bar { label: m.name.clone(), value: m.cells[0].as_f64().unwrap_or(0.0), width: 0.0 })
                .collect(),
            "",
        ),
    ];
    let levels = answers
        .iter()
        .fold((0, 0, 0), |acc, a| (acc.0 + a.very_satisfied, acc.1 + a.satisfied, acc.2 + a.dissatisfied));
    charts.push(Chart::new(
        "hai-long",
        ui.t("kpi_chart_satisfaction").to_owned(),
        vec![
            bar("rating_level_rat_hai_long", levels.0),
            bar("rating_level_hai_long", levels.1),
            bar("rating_level_khong_hai_long", levels.2),
        ],
        "",
    ));
    charts
}

/// A rating criterion's name in the reader's language; its key if the portal no longer asks it.
pub fn criterion_label(ui: &Ui, key: &str) -> String {
    let found = ui.state.settings.ratings.criteria.iter().find(|c| c.key == key);
    match (found, ui.lang) {
        (Some(c), crate::i18n::Lang::En) => c.label_en.clone(),
        (Some(c), _) => c.label_vi.clone(),
        (None, _) => key.to_owned(),
    }
}

/// The admin's dashboard, rather than a leader's.
fn is_admin_view(ui: &Ui) -> bool {
    ui.path().starts_with("/quan-tri/")
}

/// What a dashboard request covers, checked against who asks.
struct Resolved {
    scope: Scope,
    agency: Option<entity::agency::Model>,
    procedure: Option<entity::procedure::Model>,
    /// The agencies the official may choose.
    agencies: Vec<entity::agency::Model>,
}

async fn resolve(ui: &Ui, query: &DashboardQuery) -> Result<Resolved, AppError> {
    let db = &ui.state.db;
    let principal = ui.principal()?;
    let period = Period::parse(query.from.as_deref(), query.to.as_deref(), ui.now())?;
    // An admin sees every agency; a leader their unit and what lies below it.
    let admin = is_admin_view(ui) && principal.has_role(Role::Admin);
    let allowed: Vec<i32> = if admin {
        entity::agency::Entity::find().all(db).await?.into_iter().map(|a| a.id).collect()
    } else {
        measure::subtree(db, principal.unit_id.ok_or(AppError::Forbidden)?).await?
    };
    let agencies = entity::agency::Entity::find()
        .filter(entity::agency::Column::Id.is_in(allowed.clone()))
        .order_by_asc(entity::agency::Column::Code)
        .all(db)
        .await?;
    let code = query.agency.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let default = (!admin).then_some(principal.unit_id).flatten();
    let agency = match code {
        Some(code) => Some(
            entity::agency::Entity::find()
                .filter(entity::agency::Column::Code.eq(code))
                .one(db)
                .await?
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("agency", "invalid_choice")]))?,
        ),
        None => agencies.iter().find(|a| Some(a.id) == default).cloned(),
    };
    let scope_agencies = match &agency {
        Some(a) if !allowed.contains(&a.id) => return Err(AppError::Forbidden),
        Some(a) => measure::subtree(db, a.id).await?,
        None => allowed,
    };
    let procedure = match query.procedure.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(code) => Some(
            entity::procedure::Entity::find()
                .filter(entity::procedure::Column::Code.eq(code))
                .filter(entity::procedure::Column::AgencyId.is_in(scope_agencies.clone()))
                .one(db)
                .await?
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("procedure", "invalid_choice")]))?,
        ),
    };
    Ok(Resolved {
        scope: Scope { agencies: scope_agencies, procedure: procedure.as_ref().map(|p| p.id), period },
        agency,
        procedure,
        agencies,
    })
}

/// GET /can-bo/thong-ke
pub async fn page(ui: Ui, query: Query<DashboardQuery>) -> Result<HttpResponse, AppError> {
    let r = resolve(&ui, &query).await?;
    let (db, now) = (&ui.state.db, ui.now());
    let breakdown = dashboard::Breakdown::of(db, &r.scope, now).await?;
    let total = breakdown.roll(By::Total).pop().unwrap_or_default();
    let by_agency = rows(db, By::Agency, &breakdown.roll(By::Agency)).await?;
    let by_procedure = rows(db, By::Procedure, &breakdown.roll(By::Procedure)).await?;
    let by_month = rows(db, By::Month, &breakdown.roll(By::Month)).await?;
    let answers = dashboard::answers(db, &r.scope).await?;
    let procedures = entity::procedure::Entity::find()
        .filter(entity::procedure::Column::AgencyId.is_in(r.scope.agencies.clone()))
        .order_by_asc(entity::procedure::Column::Name)
        .all(db)
        .await?;
    let mut ctx = ui.context();
    ctx.insert("charts", &charts(&ui, &total, &by_month, &answers));
    ctx.insert("shares", &total.shares());
    ctx.insert("total", &total);
    ctx.insert("total_cells", &cells(&total));
    ctx.insert("columns", COLUMNS);
    ctx.insert("by_agency", &by_agency);
    ctx.insert("by_procedure", &by_procedure);
    ctx.insert("by_month", &by_month);
    let labelled: Vec<(String, &Answers)> = answers.iter().map(|a| (criterion_label(&ui, &a.criterion), a)).collect();
    ctx.insert("answers", &labelled);
    ctx.insert("agencies", &r.agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect::<Vec<_>>());
    ctx.insert("procedures", &procedures.iter().map(|p| (p.code.clone(), p.name.clone())).collect::<Vec<_>>());
    ctx.insert("agency", &r.agency.as_ref().map(|a| a.code.clone()).unwrap_or_default());
    ctx.insert("agency_name", &r.agency.as_ref().map(|a| a.name.clone()).unwrap_or_default());
    ctx.insert("procedure", &r.procedure.as_ref().map(|p| p.code.clone()).unwrap_or_default());
    ctx.insert("from", &r.scope.period.from.to_string());
    ctx.insert("to", &r.scope.period.to.to_string());
    ctx.insert("csv_query", &csv_query(&query, &r));
    ctx.insert("base", if is_admin_view(&ui) { "/quan-tri/thong-ke" } else { "/can-bo/thong-ke" });
    ctx.insert("all_units", &is_admin_view(&ui));
    ui.render("statistics/dashboard.html", &ctx)
}

fn csv_query(query: &DashboardQuery, r: &Resolved) -> String {
    let mut pairs = vec![("from", r.scope.period.from.to_string()), ("to", r.scope.period.to.to_string())];
    if let Some(a) = &r.agency {
        pairs.push(("agency", a.code.clone()));
    }
    if let Some(p) = query.procedure.as_deref().filter(|p| !p.trim().is_empty()) {
        pairs.push(("procedure", p.trim().to_owned()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// GET /can-bo/thong-ke.csv?bang=tong|don-vi|thu-tuc|thang|danh-gia
pub async fn csv(ui: Ui, query: Query<DashboardQuery>) -> Result<HttpResponse, AppError> {
    let r = resolve(&ui, &query).await?;
    let (db, now) = (&ui.state.db, ui.now());
    let table = query.bang.as_deref().unwrap_or("tong");
    let mut out = super::csv::Table::default();
    if table == "danh-gia" {
        out.header(
            ["rating_criterion", "rating_level_rat_hai_long", "rating_level_hai_long", "rating_level_khong_hai_long"]
                .map(|k| ui.t(k).to_owned()),
        );
        for a in dashboard::answers(db, &r.scope).await? {
            out.row([
                criterion_label(&ui, &a.criterion),
                a.very_satisfied.to_string(),
                a.satisfied.to_string(),
                a.dissatisfied.to_string(),
            ]);
        }
        return Ok(out.response(&format!("danh-gia-{}-{}.csv", r.scope.period.from, r.scope.period.to)));
    }
    let by = match table {
        "tong" => By::Total,
        "don-vi" => By::Agency,
        "thu-tuc" => By::Procedure,
        "thang" => By::Month,
        _ => return Err(AppError::Validation(vec![FieldError::new("bang", "invalid_choice")])),
    };
    let figures = dashboard::figures(db, &r.scope, by, now).await?;
    let first = match by {
        By::Month => "kpi_month",
        By::Procedure => "procedure",
        _ => "kpi_unit",
    };
    let mut header = vec![ui.t("kpi_code").to_owned(), ui.t(first).to_owned()];
    header.extend(COLUMNS.iter().map(|c| ui.t(&format!("kpi_{c}")).to_owned()));
    out.header(header);
    for row in rows(db, by, &figures).await? {
        let name = if by == By::Total { ui.t("kpi_total").to_owned() } else { row.name };
        let mut cells = vec![row.code, name];
        cells.extend(row.cells.iter().map(ToString::to_string));
        out.row(cells);
    }
    Ok(out.response(&format!("thong-ke-{table}-{}-{}.csv", r.scope.period.from, r.scope.period.to)))
}
