//! ★ What costs points: the dossiers of an agency that now lower its QĐ 766
//! score or soon will, each with the indicators it hurts and the points at
//! stake, soonest due first. The points at stake of an indicator are what
//! one more good dossier would add to it now (its marginal points under the
//! scoring rule); a dossier's are the sum over the indicators it hurts.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};
use serde::Serialize;

use super::index::{Counts, INDICATORS, points, rate};
use super::period::Period;
use crate::error::AppError;

/// The most dossiers listed.
pub const LIMIT: u64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Past its appointment and still open (2.1, 5.4).
    Overdue,
    /// Due within the horizon and still open (2.1, 5.4).
    DueSoon,
    /// Not yet received by the national portal (1.4, 3.3).
    NotSynced,
    /// Asked for a supplement more than once: late whatever happens (2.1, 5.4).
    SecondSupplement,
    /// No electronic documents (4.2).
    NotDigitised,
    /// A fee due and not paid online (3.6).
    NotPaidOnline,
}

impl Reason {
    pub fn hurts(self) -> &'static [&'static str] {
        match self {
            Reason::Overdue | Reason::DueSoon | Reason::SecondSupplement => &["2.1", "5.4"],
            Reason::NotSynced => &["1.4", "3.3"],
            Reason::NotDigitised => &["4.2"],
            Reason::NotPaidOnline => &["3.6"],
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AtStake {
    pub public_id: String,
    pub code: String,
    pub procedure: String,
    pub due_at: Option<DateTime<Utc>>,
    pub reasons: Vec<Reason>,
    pub indicators: Vec<&'static str>,
    pub points: f64,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    public_id: String,
    code: Option<String>,
    procedure: String,
    due: Option<DateTime<Utc>>,
    overdue: i64,
    due_soon: i64,
    not_synced: i64,
    second_supplement: i64,
    not_digitised: i64,
    not_paid_online: i64,
}

/// What one more good dossier would add to indicator `id`, as things stand.
pub fn marginal(id: &str, c: &Counts) -> f64 {
    let Some(def) = INDICATORS.iter().find(|d| d.id == id) else { return 0.0 };
    let (n, d) = match id {
        "1.4" => (c.synced, c.received),
        "2.1" => (c.on_time, c.received),
        "3.3" => (c.online_synced, c.received),
        "3.6" => (c.paid_online, c.with_fee),
        "4.2" => (c.digitised, c.received),
        "5.4" => (c.on_time - c.disliked, c.received),
        _ => return 0.0,
    };
    let now = points(rate(n, d), def.threshold, def.maximum);
    let better = points(rate((n + 1).min(d), d), def.threshold, def.maximum);
    super::index::round2(better - now)
}

fn flag(condition: &str) -> String {
    // BIGINT on both engines: PostgreSQL would otherwise answer a 32-bit integer.
    format!("CAST(CASE WHEN {condition} THEN 1 ELSE 0 END AS BIGINT)")
}

/// The dossiers of `agencies` received in `period` that cost points, soonest due first.
pub async fn list(
    db: &impl ConnectionTrait,
    agencies: &[i32],
    period: &Period,
    counts: &Counts,
    now: DateTime<Utc>,
    horizon: DateTime<Utc>,
) -> Result<Vec<AtStake>, AppError> {
    let backend = db.get_database_backend();
    let p = super::measure::placeholders(backend, 4);
    let (start, end, now_p, horizon_p) = (&p[0], &p[1], &p[2], &p[3]);
    let due = super::measure::DUE;
    let open = "d.finished_at IS NULL";
    let overdue = format!("{open} AND {due} < {now_p}");
    let due_soon = format!("{open} AND {due} >= {now_p} AND {due} < {horizon_p}");
    let not_synced = format!("NOT ({})", super::measure::SYNCED);
    let second = "d.supplement_count >= 2";
    let not_digitised = format!("NOT ({})", super::measure::DOCUMENTS);
    let unpaid = format!("{} AND NOT ({})", super::measure::fee_of("d.procedure_id"), super::measure::PAID_ONLINE);
    let agencies = super::measure::ids(agencies);
    let sql = format!(
        "SELECT d.public_id, d.code, p.name AS procedure, {due} AS due, {o} AS overdue, {s} AS due_soon, \
         {n} AS not_synced, {t} AS second_supplement, {g} AS not_digitised, {u} AS not_paid_online \
         FROM dossier d JOIN procedure p ON p.id = d.procedure_id \
         WHERE d.agency_id IN ({agencies}) AND d.received_at >= {start} AND d.received_at < {end} \
         AND (({overdue}) OR ({due_soon}) OR ({not_synced}) OR ({second}) OR ({not_digitised}) OR ({unpaid})) \
         ORDER BY {due} ASC, d.id ASC LIMIT {LIMIT}",
        o = flag(&overdue),
        s = flag(&due_soon),
        n = flag(&not_synced),
        t = flag(second),
        g = flag(&not_digitised),
        u = flag(&unpaid),
    );
    let values: Vec<Value> = vec![period.start().into(), period.end().into(), now.into(), horizon.into()];
    let rows = Row::find_by_statement(Statement::from_sql_and_values(backend, &sql, values)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let reasons: Vec<Reason> = [
                (r.overdue, Reason::Overdue),
                (r.due_soon, Reason::DueSoon),
                (r.second_supplement, Reason::SecondSupplement),
                (r.not_synced, Reason::NotSynced),
                (r.not_digitised, Reason::NotDigitised),
                (r.not_paid_online, Reason::NotPaidOnline),
            ]
            .into_iter()
            .filter(|(f, _)| *f == 1)
            .map(|(_, reason)| reason)
            .collect();
            let mut indicators: Vec<&'static str> = reasons.iter().flat_map(|r| r.hurts().iter().copied()).collect();
            indicators.sort_unstable();
            indicators.dedup();
            let points = super::index::round2(indicators.iter().map(|id| marginal(id, counts)).sum());
            AtStake {
                public_id: r.public_id,
                code: r.code.unwrap_or_default(),
                procedure: r.procedure,
                due_at: r.due,
                reasons,
                indicators,
                points,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_more_good_dossier_is_worth_its_share_below_the_threshold_and_nothing_above() {
        let c = Counts {
            received: 10,
            on_time: 5,
            disliked: 0,
            synced: 10,
            with_fee: 2,
            paid_online: 0,
            ..Default::default()
        };
        // 2.1: 50 % → 60 % of 20 points at a 100 % threshold: 2 points.
        assert_eq!(marginal("2.1", &c), 2.0);
        // 1.4 is full already.
        assert_eq!(marginal("1.4", &c), 0.0);
        // 3.6: 0 → 50 % of 4.4 points.
        assert_eq!(marginal("3.6", &c), 2.2);
    }
}
