//! Open data and the public statistics page: the published catalogue and
//! the aggregate figures of any agency and period, as JSON and CSV with
//! stable English keys (documented in openapi.json), and a page for people.
//! Only aggregates and the catalogue leave here: no applicant, official or
//! dossier is named, numbered or reachable from an answer.

use actix_web::HttpResponse;
use actix_web::web::{Data, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::dashboard::{COLUMNS, Row, charts, rows};
use super::render::Ui;
use crate::app::AppState;
use crate::catalogue::search::{self, Filter, Scope as CatalogueScope, Summary};
use crate::catalogue::store::Refs;
use crate::error::{AppError, FieldError};
use crate::statistics::dashboard::{self, By, Scope};
use crate::statistics::{index, measure, period::Period};

/// Every published procedure, in the catalogue's order.
async fn catalogue(state: &AppState) -> Result<Vec<Summary>, AppError> {
    let refs = Refs::load(&state.db).await?;
    let mut all = Vec::new();
    for page in 1.. {
        let found =
            search::search(&state.db, &refs, &Filter::default(), CatalogueScope::Public, page, search::MAX_PER_PAGE)
                .await?;
        let last = page >= found.pages;
        all.extend(found.items);
        if last {
            break;
        }
    }
    Ok(all)
}

#[derive(Serialize)]
struct Procedures {
    items: Vec<Summary>,
    total: usize,
}

/// GET /api/v1/open-data/procedures
pub async fn procedures_json(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let items = catalogue(&state).await?;
    Ok(HttpResponse::Ok().json(Procedures { total: items.len(), items }))
}

/// GET /api/v1/open-data/procedures.csv
pub async fn procedures_csv(state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let mut out = super::csv::Table::default();
    out.header(
        [
            "code",
            "name",
            "agency_code",
            "agency_name",
            "field_code",
            "field_name",
            "online_mode",
            "applicant_types",
            "time_limit_hours",
            "time_limit_unit",
        ]
        .map(str::to_owned),
    );
    for p in catalogue(&state).await? {
        out.row([
            p.code,
            p.name,
            p.agency_code,
            p.agency_name,
            p.field_code,
            p.field_name,
            p.online_mode.as_str().to_owned(),
            p.applicant_types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(";"),
            p.time_limit.hours.to_string(),
            p.time_limit.unit.as_str().to_owned(),
        ]);
    }
    Ok(out.response("thu-tuc-hanh-chinh.csv"))
}

#[derive(Debug, Deserialize)]
pub struct StatisticsQuery {
    agency: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// `total` (the default), `agency`, `procedure` or `month`.
    by: Option<String>,
}

struct Asked {
    scope: Scope,
    agency: Option<String>,
    by: By,
}

async fn asked(state: &AppState, query: &StatisticsQuery) -> Result<Asked, AppError> {
    let period = Period::parse(query.from.as_deref(), query.to.as_deref(), state.clock.now())?;
    let by = match query.by.as_deref().map(str::trim).unwrap_or("") {
        "" | "total" => By::Total,
        "agency" => By::Agency,
        "procedure" => By::Procedure,
        "month" => By::Month,
        _ => return Err(AppError::Validation(vec![FieldError::new("by", "invalid_choice")])),
    };
    let agencies = super::statistics::agencies_of(&state.db, query.agency.as_deref()).await?;
    let agency = query.agency.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    Ok(Asked { scope: Scope { agencies, procedure: None, period }, agency, by })
}

/// A row with the open data's keys: `code`, `name`, then [`COLUMNS`].
fn keyed(row: &Row) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), row.code.clone().into());
    m.insert("name".into(), row.name.clone().into());
    for (k, v) in COLUMNS.iter().zip(&row.cells) {
        m.insert((*k).into(), v.clone());
    }
    Value::Object(m)
}

async fn statistics_rows(state: &AppState, a: &Asked) -> Result<Vec<Row>, AppError> {
    let figures = dashboard::figures(&state.db, &a.scope, a.by, state.clock.now()).await?;
    rows(&state.db, a.by, &figures).await
}

/// GET /api/v1/open-data/statistics?agency=&from=&to=&by=
pub async fn statistics_json(state: Data<AppState>, query: Query<StatisticsQuery>) -> Result<HttpResponse, AppError> {
    let a = asked(&state, &query).await?;
    let rows: Vec<Value> = statistics_rows(&state, &a).await?.iter().map(keyed).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "agency": a.agency,
        "from": a.scope.period.from.to_string(),
        "to": a.scope.period.to.to_string(),
        "by": query.by.as_deref().map(str::trim).filter(|b| !b.is_empty()).unwrap_or("total"),
        "rows": rows,
    })))
}

/// GET /api/v1/open-data/statistics.csv?agency=&from=&to=&by=
pub async fn statistics_csv(state: Data<AppState>, query: Query<StatisticsQuery>) -> Result<HttpResponse, AppError> {
    let a = asked(&state, &query).await?;
    let mut out = super::csv::Table::default();
    out.header(["code", "name"].into_iter().chain(COLUMNS.iter().copied()).map(str::to_owned));
    for row in statistics_rows(&state, &a).await? {
        out.row([row.code, row.name].into_iter().chain(row.cells.iter().map(ToString::to_string)));
    }
    Ok(out.response(&format!("thong-ke-{}-{}.csv", a.scope.period.from, a.scope.period.to)))
}

/// GET /thong-ke: the figures and the QĐ 766 index of any agency, for anyone.
pub async fn page(ui: Ui, query: Query<StatisticsQuery>) -> Result<HttpResponse, AppError> {
    let a = asked(&ui.state, &query).await?;
    let (db, now) = (&ui.state.db, ui.now());
    let breakdown = dashboard::Breakdown::of(db, &a.scope, now).await?;
    let total = breakdown.roll(By::Total).pop().unwrap_or_default();
    let by_agency = rows(db, By::Agency, &breakdown.roll(By::Agency)).await?;
    let by_month = rows(db, By::Month, &breakdown.roll(By::Month)).await?;
    let answers = dashboard::answers(db, &a.scope).await?;
    let counts = measure::counts(db, &a.scope.agencies, &a.scope.period, now).await?;
    let agencies = Refs::load(db).await?;
    let mut choices: Vec<(String, String)> =
        agencies.agencies.values().map(|x| (x.code.clone(), x.name.clone())).collect();
    choices.sort();
    let mut ctx = ui.context();
    ctx.insert("charts", &charts(&ui, &total, &by_month, &answers));
    ctx.insert("shares", &total.shares());
    ctx.insert("total", &total);
    ctx.insert("columns", COLUMNS);
    ctx.insert("by_agency", &by_agency);
    ctx.insert("by_month", &by_month);
    ctx.insert("index", &index::compute(&counts));
    ctx.insert("agencies", &choices);
    ctx.insert("agency", &a.agency.clone().unwrap_or_default());
    ctx.insert("from", &a.scope.period.from.to_string());
    ctx.insert("to", &a.scope.period.to.to_string());
    let mut pairs = vec![("from", a.scope.period.from.to_string()), ("to", a.scope.period.to.to_string())];
    if let Some(code) = &a.agency {
        pairs.push(("agency", code.clone()));
    }
    ctx.insert("open_query", &serde_urlencoded::to_string(pairs).unwrap_or_default());
    ui.render("statistics/public.html", &ctx)
}
