//! Catalogue search: filters, diacritic-insensitive text search and paging.
//!
//! Both the query and the stored text are folded (see `text::fold`), and each
//! query word must occur in the text. SQLite answers from an FTS5 trigram
//! index, PostgreSQL from pg_trgm GIN indexes; procedures whose name holds
//! every word come first.

use entity::procedure;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::model::{ApplicantType, OnlineMode, ProcedureStatus, TimeLimit, TimeUnit};
use super::store::Refs;
use crate::error::AppError;
use crate::text::search_terms;

pub const MAX_PER_PAGE: u64 = 100;
pub const MAX_TERMS: usize = 8;

/// Which statuses a search may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What the public catalogue lists: published procedures.
    Public,
    /// Everything, for admins.
    All,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub agency: Option<String>,
    pub field: Option<String>,
    pub mode: Option<OnlineMode>,
    pub applicant: Option<ApplicantType>,
    pub status: Option<ProcedureStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub code: String,
    pub name: String,
    pub agency_code: String,
    pub agency_name: String,
    pub field_code: String,
    pub field_name: String,
    pub online_mode: OnlineMode,
    pub applicant_types: Vec<ApplicantType>,
    pub time_limit: TimeLimit,
    pub status: ProcedureStatus,
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub pages: u64,
}

pub async fn search(
    db: &impl ConnectionTrait,
    refs: &Refs,
    filter: &Filter,
    scope: Scope,
    page: u64,
    per_page: u64,
) -> Result<Page<Summary>, AppError> {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = Ord::max(page, 1);
    let mut condition = Condition::all();
    match (scope, filter.status) {
        (Scope::Public, _) => {
            condition = condition.add(procedure::Column::Status.eq(ProcedureStatus::Published.as_str()))
        }
        (Scope::All, Some(status)) => condition = condition.add(procedure::Column::Status.eq(status.as_str())),
        (Scope::All, None) => {}
    }
    // An unknown agency or field matches nothing rather than everything.
    if let Some(code) = &filter.agency {
        let id = refs.agencies.get(code).map_or(-1, |a| a.id);
        condition = condition.add(procedure::Column::AgencyId.eq(id));
    }
    if let Some(code) = &filter.field {
        let id = refs.fields.get(code).map_or(-1, |f| f.id);
        condition = condition.add(procedure::Column::FieldId.eq(id));
    }
    if let Some(mode) = filter.mode {
        condition = condition.add(procedure::Column::OnlineMode.eq(mode.as_str()));
    }
    match filter.applicant {
        Some(ApplicantType::Citizen) => condition = condition.add(procedure::Column::ForCitizen.eq(true)),
        Some(ApplicantType::Business) => condition = condition.add(procedure::Column::ForBusiness.eq(true)),
        None => {}
    }
    let terms = filter.q.as_deref().map(|q| search_terms(q, MAX_TERMS)).unwrap_or_default();
    if !terms.is_empty() {
        condition = condition.add(text_condition(db.get_database_backend(), &terms));
    }
    let mut select = procedure::Entity::find().filter(condition);
    if !terms.is_empty() {
        let name_has_all =
            terms.iter().fold(Condition::all(), |c, t| c.add(procedure::Column::NameSearch.like(format!("%{t}%"))));
        select = select.order_by(Into::<Expr>::into(Expr::case(name_has_all, 0).finally(1)), Order::Asc);
    }
    select = select.order_by_asc(procedure::Column::NameSearch).order_by_asc(procedure::Column::Id);
    // Only the columns a summary shows, never the long texts. With search
    // words the matching is costly, so the page's rows also carry the total
    // (one pass); with filters only, a separate count is cheaper than a
    // window over every row, which would defeat the top-N sort.
    let page_rows = select.clone().select_only().columns(SUMMARY_COLUMNS).offset((page - 1) * per_page).limit(per_page);
    let (rows, total) = if terms.is_empty() {
        let total = select.count(db).await?;
        let rows: Vec<SummaryRow> = page_rows.column_as(Expr::val(0i64), "total_count").into_model().all(db).await?;
        (rows, total)
    } else {
        let rows: Vec<SummaryRow> =
            page_rows.column_as(Expr::cust("COUNT(*) OVER ()"), "total_count").into_model().all(db).await?;
        let total = match rows.first() {
            Some(row) => u64::try_from(row.total_count).unwrap_or(0),
            // Past the last page the window has no row to carry the count.
            None => select.count(db).await?,
        };
        (rows, total)
    };
    let items = rows.into_iter().map(|p| summary(p, refs)).collect();
    Ok(Page { items, total, page, per_page, pages: total.div_ceil(per_page) })
}

/// The columns a summary shows (never the long texts).
pub(super) const SUMMARY_COLUMNS: [procedure::Column; 10] = [
    procedure::Column::Code,
    procedure::Column::Name,
    procedure::Column::AgencyId,
    procedure::Column::FieldId,
    procedure::Column::OnlineMode,
    procedure::Column::ForCitizen,
    procedure::Column::ForBusiness,
    procedure::Column::TimeLimitHours,
    procedure::Column::TimeLimitUnit,
    procedure::Column::Status,
];

#[derive(Debug, FromQueryResult)]
pub(super) struct SummaryRow {
    pub code: String,
    pub name: String,
    pub agency_id: i32,
    pub field_id: i32,
    pub online_mode: String,
    pub for_citizen: bool,
    pub for_business: bool,
    pub time_limit_hours: i32,
    pub time_limit_unit: String,
    pub status: String,
    pub total_count: i64,
}

/// Every term must occur in the folded text. Terms hold only `[a-z0-9.]`
/// (see `text::fold`), so they need no LIKE escaping.
fn text_condition(backend: DbBackend, terms: &[String]) -> Condition {
    match backend {
        DbBackend::Sqlite => {
            let mut inner = Query::select();
            inner.column(Alias::new("rowid")).from(Alias::new("procedure_search"));
            for t in terms {
                inner.and_where(Expr::col(Alias::new("search_text")).like(format!("%{t}%")));
            }
            Condition::all().add(procedure::Column::Id.in_subquery(inner))
        }
        _ => terms.iter().fold(Condition::all(), |c, t| c.add(procedure::Column::SearchText.like(format!("%{t}%")))),
    }
}

pub(super) fn summary(p: SummaryRow, refs: &Refs) -> Summary {
    let agency = refs.agency_by_id(p.agency_id);
    let field = refs.field_by_id(p.field_id);
    let applicant_types = ApplicantType::from_flags(p.for_citizen, p.for_business);
    Summary {
        agency_code: agency.map(|a| a.code.clone()).unwrap_or_default(),
        agency_name: agency.map(|a| a.name.clone()).unwrap_or_default(),
        field_code: field.map(|f| f.code.clone()).unwrap_or_default(),
        field_name: field.map(|f| f.name.clone()).unwrap_or_default(),
        online_mode: OnlineMode::parse(&p.online_mode).unwrap_or(OnlineMode::Information),
        applicant_types,
        time_limit: TimeLimit {
            hours: p.time_limit_hours,
            unit: TimeUnit::parse(&p.time_limit_unit).unwrap_or(TimeUnit::WorkingDays),
        },
        status: ProcedureStatus::parse(&p.status).unwrap_or(ProcedureStatus::Draft),
        code: p.code,
        name: p.name,
    }
}
