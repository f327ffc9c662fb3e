//! The published catalogue in each portal process's memory: the public
//! search, filters and pages answered without asking the database anything
//! but one row, the catalogue's change counter (see `change_counter`). Every
//! change of a procedure, an agency or a field moves the counter in its own
//! transaction, so a process answers from a copy no older than the last
//! change committed before the request began, whichever process made it.
//!
//! The search means exactly what the SQL search (`search::search`) means:
//! both the query and the text folded, every word in the text, procedures
//! whose name and code hold every word first, then by folded name and code.

use std::sync::{Arc, RwLock};

use entity::procedure;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::model::{ApplicantType, OnlineMode, ProcedureStatus};
use super::search::{Filter, MAX_PER_PAGE, MAX_TERMS, Page, SUMMARY_COLUMNS, Summary, SummaryRow};
use super::store::Refs;
use crate::change_counter;
use crate::error::AppError;
use crate::text::search_terms;

/// One process's copy, and the counter it was read at.
pub struct Published {
    pub counter: i64,
    pub refs: Refs,
    /// In the order of a search without words: folded name (code first), then id.
    entries: Vec<Entry>,
}

struct Entry {
    agency_id: i32,
    field_id: i32,
    mode: OnlineMode,
    for_citizen: bool,
    for_business: bool,
    name_search: String,
    search_text: String,
    summary: Summary,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i32,
    code: String,
    name: String,
    agency_id: i32,
    field_id: i32,
    online_mode: String,
    for_citizen: bool,
    for_business: bool,
    time_limit_hours: i32,
    time_limit_unit: String,
    status: String,
    name_search: String,
    search_text: String,
}

/// Where each process keeps its copy.
pub struct Cache {
    held: RwLock<Option<Arc<Published>>>,
    counter: change_counter::Shared,
}

impl Default for Cache {
    fn default() -> Self {
        Cache { held: RwLock::default(), counter: change_counter::Shared::new(change_counter::CATALOGUE) }
    }
}

impl Cache {
    /// The published catalogue: the copy held while the counter has not
    /// moved, else a fresh one read now. Outside any transaction: the
    /// counter's read is shared with the requests waiting for it.
    pub async fn current(&self, db: &DatabaseConnection) -> Result<Arc<Published>, AppError> {
        let counter = self.counter.read(db).await?;
        let held = self.held.read().ok().and_then(|h| h.clone());
        if let Some(held) = held.filter(|h| h.counter == counter) {
            return Ok(held);
        }
        // Read after the counter: a change committed in between makes the copy newer than its
        // counter says, and the next request reads it again; never older.
        let fresh = Arc::new(Published::load(db, counter).await?);
        if let Ok(mut held) = self.held.write()
            && held.as_ref().is_none_or(|h| h.counter <= counter)
        {
            *held = Some(fresh.clone());
        }
        Ok(fresh)
    }
}

impl Published {
    async fn load(db: &impl ConnectionTrait, counter: i64) -> Result<Published, AppError> {
        let refs = Refs::load(db).await?;
        let rows: Vec<Row> = procedure::Entity::find()
            .filter(procedure::Column::Status.eq(ProcedureStatus::Published.as_str()))
            .select_only()
            .columns(SUMMARY_COLUMNS)
            .columns([procedure::Column::Id, procedure::Column::NameSearch, procedure::Column::SearchText])
            .order_by_asc(procedure::Column::Id)
            .into_model()
            .all(db)
            .await?;
        let mut sorted: Vec<(i32, Entry)> = rows.into_iter().map(|r| (r.id, entry(r, &refs))).collect();
        // Byte order of the folded (ASCII) names: the same on every database and node.
        sorted.sort_by(|(a_id, a), (b_id, b)| a.name_search.cmp(&b.name_search).then(a_id.cmp(b_id)));
        Ok(Published { counter, refs, entries: sorted.into_iter().map(|(_, e)| e).collect() })
    }

    /// Page `page` of the published procedures `filter` selects (its `status` is not the public's to choose).
    pub fn search(&self, filter: &Filter, page: u64, per_page: u64) -> Page<Summary> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let page = Ord::max(page, 1);
        // An unknown agency or field matches nothing rather than everything.
        let agency = filter.agency.as_ref().map(|c| self.refs.agencies.get(c).map_or(-1, |a| a.id));
        let field = filter.field.as_ref().map(|c| self.refs.fields.get(c).map_or(-1, |f| f.id));
        let terms = filter.q.as_deref().map(|q| search_terms(q, MAX_TERMS)).unwrap_or_default();
        let selected = self.entries.iter().filter(|e| {
            agency.is_none_or(|id| e.agency_id == id)
                && field.is_none_or(|id| e.field_id == id)
                && filter.mode.is_none_or(|m| e.mode == m)
                && match filter.applicant {
                    Some(ApplicantType::Citizen) => e.for_citizen,
                    Some(ApplicantType::Business) => e.for_business,
                    None => true,
                }
                && terms.iter().all(|t| e.search_text.contains(t.as_str()))
        });
        // Those whose name holds every word first, each part in the entries' order.
        let (first, rest): (Vec<&Entry>, Vec<&Entry>) =
            selected.partition(|e| terms.iter().all(|t| e.name_search.contains(t.as_str())));
        let total = (first.len() + rest.len()) as u64;
        let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let items =
            first.iter().chain(rest.iter()).skip(skip).take(per_page as usize).map(|e| e.summary.clone()).collect();
        Page { items, total, page, per_page, pages: total.div_ceil(per_page) }
    }
}

fn entry(r: Row, refs: &Refs) -> Entry {
    let (agency_id, field_id, for_citizen, for_business) = (r.agency_id, r.field_id, r.for_citizen, r.for_business);
    let summary = super::search::summary(
        SummaryRow {
            code: r.code,
            name: r.name,
            agency_id,
            field_id,
            online_mode: r.online_mode,
            for_citizen,
            for_business,
            time_limit_hours: r.time_limit_hours,
            time_limit_unit: r.time_limit_unit,
            status: r.status,
            total_count: 0,
        },
        refs,
    );
    Entry {
        agency_id,
        field_id,
        mode: summary.online_mode,
        for_citizen,
        for_business,
        summary,
        name_search: r.name_search,
        search_text: r.search_text,
    }
}
