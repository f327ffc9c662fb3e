//! Admins set a procedure's own step budgets (whole or half working days, or
//! working hours) in place of its workflow's, checked against its legal time
//! limit along every way through the workflow.

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use entity::procedure;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::error::{AppError, FieldError};
use crate::workflow::model::{Budget, Clock, Workflow};
use crate::workflow_store::step_budgets;

/// The procedure `code` and the workflow version its new dossiers start on, with where it is shown.
async fn of_procedure(ui: &Ui, code: &str) -> Result<(procedure::Model, Arc<Workflow>, String), AppError> {
    let db = &ui.state.db;
    let p =
        procedure::Entity::find().filter(procedure::Column::Code.eq(code)).one(db).await?.ok_or(AppError::NotFound)?;
    let (id, page) = match ui.state.workflows_in_use.version_for(db, p.id, ui.now()).await? {
        Some(id) => {
            let v = entity::workflow_version::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            (id, format!("/quan-tri/quy-trinh/{}/phien-ban/{id}", v.key))
        }
        None => {
            let (id, _) = ui.state.workflows.get(&p.workflow_key).ok_or(AppError::NotFound)?;
            (id, format!("/quan-tri/quy-trinh/{}", p.workflow_key))
        }
    };
    Ok((p, crate::workflow_registry::version(db, id).await?, page))
}

fn shown(b: Budget) -> (String, &'static str) {
    match b {
        Budget::Days(d) => (format!("{d}").replace('.', ","), "days"),
        Budget::Hours(h) => (format!("{h}"), "hours"),
        Budget::Share(x) => (format!("{}", (x * 100.0).round()), "share"),
        Budget::None => (String::new(), ""),
    }
}

async fn page(ui: &Ui, code: &str, typed: Option<&FormData>, errors: &[FieldError]) -> Result<HttpResponse, AppError> {
    let (p, wf, dry_run) = of_procedure(ui, code).await?;
    let own = step_budgets::of(&ui.state.db, p.id, &wf.key).await?;
    let en = ui.lang == crate::i18n::Lang::En;
    let steps: Vec<serde_json::Value> = wf
        .states
        .iter()
        .filter(|s| s.clock != Clock::Pauses && s.outcome.is_none())
        .map(|s| {
            let (workflow_amount, workflow_unit) = shown(s.budget);
            let set = own.iter().find(|(k, _)| *k == s.key).map(|(_, b)| shown(*b));
            let (amount, unit) = match typed {
                Some(f) => {
                    (f.get(&format!("budget.{}", s.key)).to_owned(), f.get(&format!("unit.{}", s.key)).to_owned())
                }
                None => set.map(|(a, u)| (a, u.to_owned())).unwrap_or_default(),
            };
            serde_json::json!({"key": s.key, "label": if en { &s.label_en } else { &s.label },
                "role": s.role.map(|r| r.as_str()), "workflow_amount": workflow_amount, "workflow_unit": workflow_unit,
                "amount": amount, "unit": if unit.is_empty() { "days".to_owned() } else { unit }})
        })
        .collect();
    let mut ctx = ui.form_context();
    ctx.insert(
        "p",
        &serde_json::json!({"code": p.code, "name": p.name, "hours": p.time_limit_hours,
        "unit": p.time_limit_unit, "days": f64::from(p.time_limit_hours) / 8.0}),
    );
    ctx.insert("steps", &steps);
    ctx.insert("dry_run", &format!("{dry_run}?procedure={}#dry-h", p.code));
    ctx.insert("workflow", &if en { &wf.name_en } else { &wf.name });
    ui.render_form("admin/step_budgets.html", &mut ctx, errors)
}

/// GET /quan-tri/thu-tuc/{code}/thoi-han-buoc
pub async fn show(ui: Ui, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    page(&ui, &code, None, &[]).await
}

/// POST /quan-tri/thu-tuc/{code}/thoi-han-buoc
pub async fn save(ui: Ui, code: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let (p, wf, _) = of_procedure(&ui, &code).await?;
    let mut set = Vec::new();
    let mut errors = Vec::new();
    for s in wf.states.iter().filter(|s| s.clock != Clock::Pauses && s.outcome.is_none()) {
        let (amount, unit) = (form.get(&format!("budget.{}", s.key)), form.get(&format!("unit.{}", s.key)));
        match step_budgets::parse(amount, unit) {
            Ok(Some(b)) => set.push((s.key.clone(), b)),
            Ok(None) => {}
            Err(code) => errors.push(FieldError::new(format!("budget.{}", s.key), code)),
        }
    }
    if errors.is_empty() {
        let txn = crate::db::begin_write(&ui.state.db).await?;
        match step_budgets::save(&txn, &ui.actor(), &p, &wf, &set, ui.now()).await {
            Ok(()) => {
                txn.commit().await?;
                return Ok(see_other(&format!("/quan-tri/thu-tuc/{}/thoi-han-buoc?saved=1", p.code)));
            }
            Err(AppError::Validation(more)) => errors.extend(more),
            Err(e) => return Err(e),
        }
    }
    page(&ui, &code, Some(&form), &errors).await
}
