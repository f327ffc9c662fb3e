//! The figures of the KPI dashboard, in SQL over the dossiers of a scope
//! (an agency's subtree, optionally one procedure) received in a period,
//! in total or broken down by agency, procedure or month:
//! - received by channel;
//! - finished early (before the appointment's day), on time, late, and still
//!   open on time or overdue as of now — on time and late by the national
//!   rule of QĐ 766 2.1 (`measure::on_time`), which the index uses too;
//! - online, fully-online and online-payment shares;
//! - ratings, those without any "Không hài lòng", and the answers per level;
//! - days taken (clock pauses for supplements taken out) against the days
//!   the first appointment allowed, for the dossiers with a result.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionSession, TransactionTrait, Value};
use serde::Serialize;

pub use super::answers::{Answers, answers};

use super::index::rate;
use super::measure::{self, DUE, HAS_RESULT, SUPPLEMENT_DAYS, days, ids, placeholders};
use super::period::Period;
use crate::error::AppError;

/// What the figures cover.
#[derive(Debug, Clone)]
pub struct Scope {
    pub agencies: Vec<i32>,
    pub procedure: Option<i32>,
    pub period: Period,
}

/// How the figures are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Total,
    Agency,
    Procedure,
    Month,
}

/// One row of figures: the whole scope, or one agency, procedure or month of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, FromQueryResult)]
pub struct Figures {
    /// The agency's or procedure's id, or the month `YYYY-MM`; empty for the total.
    pub group_key: String,
    pub received: i64,
    pub online: i64,
    pub counter: i64,
    pub post: i64,
    pub national: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub open_on_time: i64,
    pub overdue: i64,
    pub fully_online: i64,
    pub with_fee: i64,
    pub paid_online: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub timed: i64,
    pub days_taken: f64,
    pub days_allowed: f64,
}

/// The shares and averages a row of figures gives.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Shares {
    /// Filed online, here or on the national portal.
    pub online: f64,
    pub fully_online: f64,
    pub paid_online: f64,
    /// Finished on time (early included), of the finished.
    pub on_time: f64,
    pub satisfied: f64,
    pub average_days: f64,
    pub average_allowed_days: f64,
}

impl Figures {
    pub fn finished(&self) -> i64 {
        self.early + self.on_time + self.late
    }

    pub fn shares(&self) -> Shares {
        let average = |sum: f64| if self.timed == 0 { 0.0 } else { super::index::round2(sum / self.timed as f64) };
        Shares {
            online: rate(self.online + self.national, self.received),
            fully_online: rate(self.fully_online, self.received),
            paid_online: rate(self.paid_online, self.with_fee),
            on_time: rate(self.early + self.on_time, self.finished()),
            satisfied: rate(self.satisfied, self.rated),
            average_days: average(self.days_taken),
            average_allowed_days: average(self.days_allowed),
        }
    }
}

// Hà Nội keeps UTC+7 all year (as `sla::local_time`): local time is UTC moved on seven hours,
// which PostgreSQL works out per row far faster than a conversion by zone name.
/// The local calendar day of a timestamp expression.
fn local_day(backend: DbBackend, at: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(({at} AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS DATE)"),
        _ => format!("date({at}, '+7 hours')"),
    }
}

/// The local month of a timestamp expression: a key to group by, and its `YYYY-MM` text.
fn local_month(backend: DbBackend, at: &str) -> (String, String) {
    match backend {
        DbBackend::Postgres => {
            let key = format!("date_trunc('month', ({at} AT TIME ZONE 'UTC') + INTERVAL '7 hours')");
            (key.clone(), format!("to_char({key}, 'YYYY-MM')"))
        }
        _ => {
            let month = format!("strftime('%Y-%m', {at}, '+7 hours')");
            (month.clone(), month)
        }
    }
}

/// The dossiers of the scope, `d`: placeholders 1 and 2 are the period's
/// ends, `procedure` the procedure's (given last, as it may be left out).
pub(super) fn scope_filter(scope: &Scope, p: &[String], procedure: &str) -> String {
    let procedure =
        if scope.procedure.is_some() { format!(" AND d.procedure_id = {procedure}") } else { String::new() };
    format!(
        "d.agency_id IN ({agencies}) AND d.received_at >= {start} AND d.received_at < {end}{procedure}",
        agencies = ids(&scope.agencies),
        start = p[0],
        end = p[1],
    )
}

/// The period's ends, then `middle`, then the procedure if there is one.
pub(super) fn scope_values(scope: &Scope, middle: Vec<Value>) -> Vec<Value> {
    let mut values: Vec<Value> = vec![scope.period.start().into(), scope.period.end().into()];
    values.extend(middle);
    if let Some(p) = scope.procedure {
        values.push(p.into());
    }
    values
}

/// The figures of `scope` as of `now`, broken down `by`; rows in key order.
pub async fn figures(
    db: &(impl ConnectionTrait + TransactionTrait),
    scope: &Scope,
    by: By,
    now: DateTime<Utc>,
) -> Result<Vec<Figures>, AppError> {
    Ok(Breakdown::of(db, scope, now).await?.roll(by))
}

/// The figures of a scope per agency, procedure and month: one pass over
/// its dossiers, from which every breakdown is summed (all figures add up).
#[derive(Debug, Clone)]
pub struct Breakdown {
    cells: Vec<(i32, i32, String, Figures)>,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.received += o.received;
        self.online += o.online;
        self.counter += o.counter;
        self.post += o.post;
        self.national += o.national;
        self.early += o.early;
        self.on_time += o.on_time;
        self.late += o.late;
        self.open_on_time += o.open_on_time;
        self.overdue += o.overdue;
        self.fully_online += o.fully_online;
        self.with_fee += o.with_fee;
        self.paid_online += o.paid_online;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.timed += o.timed;
        self.days_taken += o.days_taken;
        self.days_allowed += o.days_allowed;
    }
}

impl Breakdown {
    pub async fn of(
        db: &(impl ConnectionTrait + TransactionTrait),
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Breakdown, AppError> {
        let rows = grouped(db, scope, now).await?;
        let kinds = procedure_kinds(db, &rows).await?;
        let mut cells: std::collections::BTreeMap<(i32, i32, String), Figures> = std::collections::BTreeMap::new();
        for row in rows {
            let (full_online, fee) = kinds.get(&row.procedure_id).copied().unwrap_or((false, false));
            let f = cells.entry((row.agency_id, row.procedure_id, row.month.clone())).or_default();
            row.add_to(f, full_online, fee);
        }
        Ok(Breakdown { cells: cells.into_iter().map(|((a, p, m), f)| (a, p, m, f)).collect() })
    }

    /// The figures broken down `by`, in key order; the total always has its one row.
    pub fn roll(&self, by: By) -> Vec<Figures> {
        let mut out: std::collections::BTreeMap<String, Figures> = std::collections::BTreeMap::new();
        for (agency, procedure, month, f) in &self.cells {
            let key = match by {
                By::Total => String::new(),
                By::Agency => agency.to_string(),
                By::Procedure => procedure.to_string(),
                By::Month => month.clone(),
            };
            out.entry(key.clone()).or_insert_with(|| Figures { group_key: key, ..Figures::default() }).add(f);
        }
        if by == By::Total && out.is_empty() {
            out.insert(String::new(), Figures::default());
        }
        let mut rows: Vec<Figures> = out.into_values().collect();
        if matches!(by, By::Agency | By::Procedure) {
            rows.sort_by_key(|f| f.group_key.parse::<i64>().unwrap_or(i64::MAX));
        }
        rows
    }
}

#[derive(Debug, FromQueryResult)]
struct Kind {
    id: i32,
    online_mode: String,
    fee: i64,
}

/// For each procedure of `rows`: fully online, and charging a fee.
async fn procedure_kinds(db: &impl ConnectionTrait, rows: &[Cell]) -> Result<HashMap<i32, (bool, bool)>, AppError> {
    let mut ids: Vec<i32> = rows.iter().map(|r| r.procedure_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let sql = format!(
        "SELECT p.id AS id, p.online_mode AS online_mode, CAST(CASE WHEN {fee} THEN 1 ELSE 0 END AS BIGINT) AS fee \
         FROM procedure p WHERE p.id IN ({list})",
        fee = measure::fee_of("p.id"),
        list = super::measure::ids(&ids),
    );
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let kinds = Kind::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await?;
    Ok(kinds.into_iter().map(|k| (k.id, (k.online_mode == "full_online", k.fee == 1))).collect())
}

/// One group of the scope's dossiers: an agency, procedure, month, channel
/// and outcome (`class`), with its counts and sums.
#[derive(Debug, FromQueryResult)]
struct Cell {
    agency_id: i32,
    procedure_id: i32,
    month: String,
    channel: String,
    /// 1 finished early, 2 finished on time, 3 finished late, 4 open on time, 5 open overdue.
    class: i32,
    paid_online: bool,
    /// Rated, and then with some "Không hài lòng" or none.
    rating_dislike: Option<bool>,
    /// Has a result and a first appointment: its days taken and allowed count.
    timed: bool,
    n: i64,
    /// Days taken and allowed, summed over the group (meaningful when `timed`).
    taken: Option<f64>,
    allowed: Option<f64>,
}

impl Cell {
    /// Adds the group to its cell's figures; what depends on the procedure alone
    /// (fully online, a fee) is settled here, once per group.
    fn add_to(&self, f: &mut Figures, full_online: bool, fee: bool) {
        f.received += self.n;
        match self.channel.as_str() {
            "online" => f.online += self.n,
            "counter" => f.counter += self.n,
            "post" => f.post += self.n,
            "national" => f.national += self.n,
            _ => {}
        }
        match self.class {
            1 => f.early += self.n,
            2 => f.on_time += self.n,
            3 => f.late += self.n,
            4 => f.open_on_time += self.n,
            _ => f.overdue += self.n,
        }
        if full_online && matches!(self.channel.as_str(), "online" | "national") {
            f.fully_online += self.n;
        }
        if fee {
            f.with_fee += self.n;
            if self.paid_online {
                f.paid_online += self.n;
            }
        }
        if let Some(dislike) = self.rating_dislike {
            f.rated += self.n;
            if !dislike {
                f.satisfied += self.n;
            }
        }
        if self.timed {
            f.timed += self.n;
            f.days_taken += self.taken.unwrap_or(0.0);
            f.days_allowed += self.allowed.unwrap_or(0.0);
        }
    }
}

/// The scope's dossiers in groups of agency, procedure, month, channel and
/// outcome: every per-dossier condition is worked out once per dossier, as a
/// group key, and the few groups are added up in `Breakdown::of`.
async fn grouped(
    db: &(impl ConnectionTrait + TransactionTrait),
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<Vec<Cell>, AppError> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 4);
    let in_time = measure::on_time(&p[2]);
    let early = format!("{} < {}", local_day(backend, "d.finished_at"), local_day(backend, DUE));
    let class = format!(
        "CASE WHEN d.finished_at IS NOT NULL THEN (CASE WHEN {in_time} THEN (CASE WHEN {early} THEN 1 ELSE 2 END) \
         ELSE 3 END) ELSE (CASE WHEN {in_time} THEN 4 ELSE 5 END) END"
    );
    let (month_key, month) = local_month(backend, "d.received_at");
    // Every condition is a group key, worked out once per dossier; the sums of days are taken over
    // every dossier of a group and kept only for the groups whose dossiers are `timed`.
    let timed = format!("({HAS_RESULT} AND d.first_due_at IS NOT NULL)");
    let taken = format!("{} - {SUPPLEMENT_DAYS}", days(backend, "d.received_at", "d.finished_at"));
    let allowed = days(backend, "d.received_at", "d.first_due_at");
    let real = |x: &str| format!("CAST(SUM({x}) AS DOUBLE PRECISION)");
    let sql = format!(
        "SELECT d.agency_id AS agency_id, d.procedure_id AS procedure_id, {month} AS month, d.channel AS channel, \
         CAST({class} AS INTEGER) AS class, d.paid_online AS paid_online, d.rating_dislike AS rating_dislike, \
         {timed} AS timed, CAST(COUNT(*) AS BIGINT) AS n, {taken_s} AS taken, {allowed_s} AS allowed \
         FROM dossier d WHERE {filter} \
         GROUP BY d.agency_id, d.procedure_id, {month_key}, d.channel, {class}, d.paid_online, d.rating_dislike, {timed}",
        taken_s = real(&taken),
        allowed_s = real(&allowed),
        filter = scope_filter(scope, &p, &p[3]),
    );
    let values = scope_values(scope, vec![now.into()]);
    let statement = Statement::from_sql_and_values(backend, &sql, values);
    if backend != DbBackend::Postgres {
        return Ok(Cell::find_by_statement(statement).all(db).await?);
    }
    // PostgreSQL guesses tens of thousands of groups where there are a few hundred, and would
    // sort them on disk within the default work_mem: this one read may hash them in memory. And
    // it may read an agency's year with a worker per core: the default costs suit small queries.
    let txn = db.begin().await?;
    txn.execute_unprepared(
        "SET LOCAL work_mem = '32MB'; SET LOCAL parallel_setup_cost = 100; SET LOCAL parallel_tuple_cost = 0.01",
    )
    .await?;
    let cells = Cell::find_by_statement(statement).all(&txn).await?;
    txn.commit().await?;
    Ok(cells)
}
