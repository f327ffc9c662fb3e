//! The deadline sweep: flags open dossiers "due soon" and "overdue" and
//! tells the holder (or the step's officials) and the unit's leaders, once
//! per change. Each pass reads only the dossiers about to change (partial
//! indexes on `due_soon_at` and `due_at` cover the open, unflagged ones) and
//! flips their state in one UPDATE … RETURNING per batch, so two portal
//! processes sweeping at once never flag or notify a dossier twice.
//! Lateness is only a flag: it never blocks a step or the result.

use chrono::{DateTime, Utc};
use entity::{account, account_role, dossier, notice};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::role::Role;
use crate::error::AppError;
use crate::values::{DossierStatus, DueState};
use crate::workflow::model::WfRole;

/// Dossiers flipped per statement.
const BATCH: u64 = 1000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub due_soon: usize,
    pub overdue: usize,
    /// Online dossiers still neither accepted nor queried in time.
    pub unaccepted: usize,
    /// Dossiers whose current step passed its own deadline.
    pub late_steps: usize,
    pub notices: usize,
}

/// One pass at `now`.
pub async fn sweep(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<SweepReport, AppError> {
    let mut report = SweepReport::default();
    loop {
        let (flipped, notices) = flip(db, DueState::Overdue, now).await?;
        report.overdue += flipped;
        report.notices += notices;
        if flipped < BATCH as usize {
            break;
        }
    }
    loop {
        let (flipped, notices) = flip(db, DueState::DueSoon, now).await?;
        report.due_soon += flipped;
        report.notices += notices;
        if flipped < BATCH as usize {
            break;
        }
    }
    loop {
        let (flagged, notices) = flag_late_steps(db, now).await?;
        report.late_steps += flagged;
        report.notices += notices;
        if flagged < BATCH as usize {
            break;
        }
    }
    loop {
        let (flagged, notices) = flag_unaccepted(db, now).await?;
        report.unaccepted += flagged;
        report.notices += notices;
        if flagged < BATCH as usize {
            break;
        }
    }
    Ok(report)
}

/// Flags one batch of dossiers whose current step passed its own deadline
/// (a paused step has none) and tells the holder, else the step's officials,
/// and the unit's leaders, once: the flag is cleared when the next step begins.
async fn flag_late_steps(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let mut select = Query::select();
    select
        .column(dossier::Column::Id)
        .from(dossier::Entity)
        .and_where(dossier::Column::ClosedAt.is_null())
        .and_where(dossier::Column::StepLate.eq(false))
        .and_where(dossier::Column::PausedAt.is_null())
        .and_where(dossier::Column::StepDueAt.lt(now))
        .order_by(dossier::Column::StepDueAt, sea_orm::Order::Asc)
        .limit(BATCH);
    let txn = crate::db::begin_write(db).await?;
    let flagged = dossier::Entity::update_many()
        .col_expr(dossier::Column::StepLate, Expr::value(true))
        .filter(dossier::Column::Id.in_subquery(select.to_owned()))
        .filter(dossier::Column::StepLate.eq(false))
        .exec_with_returning(&txn)
        .await?;
    let mut notices = 0;
    let mut workflows = std::collections::HashMap::new();
    for d in &flagged {
        let step = match d.workflow_version_id {
            Some(version) => {
                if let std::collections::hash_map::Entry::Vacant(e) = workflows.entry(version) {
                    e.insert(crate::workflow_registry::version(&txn, version).await?);
                }
                let wf = &workflows[&version];
                d.workflow_state.as_deref().and_then(|k| wf.states.iter().find(|s| s.key == k)).cloned()
            }
            None => None,
        };
        let code = d.code.as_deref().unwrap_or_default();
        let label = step.as_ref().map(|s| s.label.clone()).unwrap_or_default();
        let due = d.step_due_at.map(crate::dossier::receipt::moment_vi).unwrap_or_default();
        let text = format!("Hồ sơ {code} đã quá hạn ở bước “{label}” (hạn của bước: {due}).");
        for account in recipients(&txn, d, step.and_then(|s| s.role)).await? {
            crate::notify::notice::post(&txn, account, d.id, "step_late", &text, now).await?;
            notices += 1;
        }
    }
    txn.commit().await?;
    Ok((flagged.len(), notices))
}

/// Flags one batch of submitted dossiers past their acceptance time and
/// tells the unit's reception officers and leaders.
async fn flag_unaccepted(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let mut select = Query::select();
    select
        .column(dossier::Column::Id)
        .from(dossier::Entity)
        .and_where(dossier::Column::Status.eq(DossierStatus::Submitted))
        .and_where(dossier::Column::AcceptLate.eq(false))
        .and_where(dossier::Column::AcceptDueAt.lt(now))
        .order_by(dossier::Column::AcceptDueAt, sea_orm::Order::Asc)
        .limit(BATCH);
    let txn = crate::db::begin_write(db).await?;
    let flagged = dossier::Entity::update_many()
        .col_expr(dossier::Column::AcceptLate, Expr::value(true))
        .filter(dossier::Column::Id.in_subquery(select.to_owned()))
        .filter(dossier::Column::AcceptLate.eq(false))
        .exec_with_returning(&txn)
        .await?;
    let mut notices = 0;
    for d in &flagged {
        let code = d.code.as_deref().unwrap_or_default();
        let text = format!(
            "Hồ sơ trực tuyến {code} chưa được tiếp nhận hoặc yêu cầu bổ sung trong thời hạn (nộp lúc {}).",
            d.submitted_at.map(crate::dossier::receipt::moment_vi).unwrap_or_default()
        );
        for account in recipients(&txn, d, Some(WfRole::Reception)).await? {
            crate::notify::notice::post(&txn, account, d.id, "unaccepted", &text, now).await?;
            notices += 1;
        }
    }
    txn.commit().await?;
    Ok((flagged.len(), notices))
}

/// Flips one batch to `to` and writes its notices, in one transaction.
async fn flip(db: &DatabaseConnection, to: DueState, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let mut select = Query::select();
    select
        .column(dossier::Column::Id)
        .from(dossier::Entity)
        .and_where(dossier::Column::ClosedAt.is_null())
        .and_where(dossier::Column::PausedAt.is_null())
        .limit(BATCH);
    let still = if to == DueState::Overdue {
        select.and_where(dossier::Column::DueState.ne(DueState::Overdue)).and_where(dossier::Column::DueAt.lt(now));
        select.order_by(dossier::Column::DueAt, sea_orm::Order::Asc);
        dossier::Column::DueState.ne(DueState::Overdue)
    } else {
        select
            .and_where(dossier::Column::DueState.eq(DueState::OnTime))
            .and_where(dossier::Column::DueSoonAt.lte(now))
            .and_where(dossier::Column::DueAt.gte(now));
        select.order_by(dossier::Column::DueSoonAt, sea_orm::Order::Asc);
        dossier::Column::DueState.eq(DueState::OnTime)
    };
    let txn = crate::db::begin_write(db).await?;
    // The state is checked again on the row itself: of two sweepers, the second finds nothing to flip.
    let mut update = dossier::Entity::update_many().col_expr(dossier::Column::DueState, Expr::value(to));
    if to == DueState::Overdue {
        // The moment it became late stays, whatever happens to the appointment later.
        let first_late = Func::coalesce([Expr::col(dossier::Column::LateAt), Expr::col(dossier::Column::DueAt)]);
        update = update.col_expr(dossier::Column::LateAt, first_late.into());
    }
    let flipped = update
        .filter(dossier::Column::Id.in_subquery(select.to_owned()))
        .filter(still)
        .exec_with_returning(&txn)
        .await?;
    let mut notices = 0;
    let mut workflows = std::collections::HashMap::new();
    for d in &flipped {
        let step_role = match d.workflow_version_id {
            Some(version) => {
                if let std::collections::hash_map::Entry::Vacant(e) = workflows.entry(version) {
                    e.insert(crate::workflow_registry::version(&txn, version).await?);
                }
                let wf = &workflows[&version];
                d.workflow_state.as_deref().and_then(|k| wf.states.iter().find(|s| s.key == k)).and_then(|s| s.role)
            }
            None => None,
        };
        for account in recipients(&txn, d, step_role).await? {
            crate::notify::notice::post(&txn, account, d.id, to.as_str(), &text(d, to), now).await?;
            notices += 1;
        }
    }
    txn.commit().await?;
    Ok((flipped.len(), notices))
}

fn text(d: &dossier::Model, to: DueState) -> String {
    let code = d.code.as_deref().unwrap_or_default();
    let due = d.due_at.map(crate::dossier::receipt::moment_vi).unwrap_or_default();
    if to == DueState::Overdue {
        // The apology and new date (form 04, TT 03/2025/TT-VPCP) are due; the date moves once only.
        format!(
            "Hồ sơ {code} đã quá hạn trả kết quả ({due}). Đề nghị lập văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu số 04)."
        )
    } else {
        format!("Hồ sơ {code} sắp đến hạn trả kết quả ({due}).")
    }
}

/// Who is told: the holder of the dossier, else the unit's officials who can
/// work its current step (reception before any step); and the unit's leaders.
async fn recipients(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    step_role: Option<WfRole>,
) -> Result<Vec<i32>, AppError> {
    let unit: Vec<i32> = account::Entity::find()
        .filter(account::Column::UnitId.eq(d.agency_id))
        .filter(account::Column::Active.eq(true))
        .all(db)
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let roles =
        account_role::Entity::find().filter(account_role::Column::AccountId.is_in(unit.clone())).all(db).await?;
    let with = |role: Role| roles.iter().filter(move |r| r.role == role.as_str()).map(|r| r.account_id);
    let mut out: Vec<i32> = with(Role::Leader).collect();
    match (d.assignee_id, step_role) {
        (Some(holder), _) => out.push(holder),
        (None, Some(WfRole::Specialist)) => out.extend(with(Role::Specialist)),
        (None, Some(WfRole::Leader)) => {}
        (None, _) => out.extend(with(Role::Reception)),
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The official's notices, newest first.
pub async fn notices_of(db: &impl ConnectionTrait, account: i32, limit: u64) -> Result<Vec<notice::Model>, AppError> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(notice::Entity::find()
        .filter(notice::Column::AccountId.eq(account))
        .order_by_desc(notice::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
