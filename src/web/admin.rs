//! Admin pages for the catalogue: the list of all procedures, the
//! create/edit form, publish and abolish, export.

use actix_web::HttpResponse;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{Path, Query};

use super::admin_form::FormValues;
use super::catalogue_query::CatalogueQuery;
use super::form::FormData;
use super::render::{Ui, see_other};
use crate::catalogue::model::{ProcedureStatus, TimeUnit};
use crate::catalogue::record::ProcedureRecord;
use crate::catalogue::search::{self, Scope};
use crate::catalogue::store::Refs;
use crate::catalogue::{admin, transfer, view};
use crate::error::{AppError, FieldError};

pub async fn index() -> HttpResponse {
    see_other("/quan-tri/thu-tuc")
}

pub async fn procedures(ui: Ui, query: Query<CatalogueQuery>) -> Result<HttpResponse, AppError> {
    let parsed = query.parse()?;
    let refs = Refs::load(&ui.state.db).await?;
    let page = search::search(&ui.state.db, &refs, &parsed.filter, Scope::All, parsed.page, parsed.per_page).await?;
    let mut ctx = ui.form_context();
    ctx.insert("statuses", &ProcedureStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    ctx.insert("query", &*query);
    ctx.insert("prev_url", &(page.page > 1).then(|| query.page_url("/quan-tri/thu-tuc", page.page - 1)));
    ctx.insert("next_url", &(page.page < page.pages).then(|| query.page_url("/quan-tri/thu-tuc", page.page + 1)));
    ctx.insert("result", &page);
    ui.render("admin/procedures.html", &ctx)
}

/// Renders the procedure form with its values and any messages.
async fn form_page(
    ui: &Ui,
    values: &FormValues,
    errors: &[FieldError],
    editing: bool,
) -> Result<HttpResponse, AppError> {
    let refs = Refs::load(&ui.state.db).await?;
    let mut ctx = ui.form_context();
    super::catalogue_query::insert_choices(&mut ctx, &refs);
    ctx.insert("units", &TimeUnit::ALL.iter().map(|u| u.as_str()).collect::<Vec<_>>());
    let workflows: Vec<(&String, &String)> = ui
        .state
        .workflows
        .current
        .iter()
        .map(|(k, (_, wf))| (k, if ui.lang == crate::i18n::Lang::En { &wf.name_en } else { &wf.name }))
        .collect();
    ctx.insert("workflow_keys", &workflows.iter().map(|w| w.0).collect::<Vec<_>>());
    ctx.insert("workflows", &workflows);
    ctx.insert("v", values);
    ctx.insert("editing", &editing);
    ui.render_form("admin/procedure_form.html", &mut ctx, errors)
}

/// The procedure's workflow must exist and its steps fit the procedure's time limit.
fn workflow_fits(ui: &Ui, record: ProcedureRecord) -> Result<ProcedureRecord, Vec<FieldError>> {
    match ui.state.workflows.unfit(&record.workflow_key, record.time_limit) {
        Some(code) => Err(vec![FieldError::new("workflow_key", code)]),
        None => Ok(record),
    }
}

/// A new limit must leave room for the procedure's own step budgets, where it sets them
/// (for the version its new dossiers start on).
async fn own_budgets_fit(ui: &Ui, code: &str, record: &ProcedureRecord) -> Result<(), AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let db = &ui.state.db;
    let Some(p) = entity::procedure::Entity::find().filter(entity::procedure::Column::Code.eq(code)).one(db).await?
    else {
        return Ok(());
    };
    let version = match ui.state.workflows_in_use.version_for(db, p.id, ui.now()).await? {
        Some(id) => Some(id),
        None => ui.state.workflows.get(&record.workflow_key).map(|(id, _)| id),
    };
    let Some(version) = version else { return Ok(()) };
    let wf = crate::workflow_registry::version(db, version).await?;
    if !crate::workflow_store::step_budgets::fits_with_own(db, p.id, &wf, record.time_limit.days()).await? {
        return Err(AppError::Validation(vec![FieldError::new("time_limit", "step_budgets_too_long")]));
    }
    Ok(())
}

pub async fn new_form(ui: Ui) -> Result<HttpResponse, AppError> {
    form_page(&ui, &FormValues::blank(), &[], false).await
}

pub async fn create(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let mut values = FormValues::from_form(&form);
    let result = match values.to_record().and_then(|r| workflow_fits(&ui, r)) {
        Ok(record) => admin::create(&ui.state.db, record, &ui.actor(), ui.now()).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/quan-tri/thu-tuc/{}/sua?saved=1", values.code))),
        Err(AppError::Validation(errors)) => {
            values.pad();
            form_page(&ui, &values, &errors, false).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(ui: Ui, code: Path<String>) -> Result<HttpResponse, AppError> {
    let view = view::any(&ui.state.db, &code).await?;
    form_page(&ui, &FormValues::from_record(&view.record, view.version), &[], true).await
}

pub async fn update(ui: Ui, code: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let mut values = FormValues::from_form(&form);
    values.code = code.clone();
    let result = match values.to_record().and_then(|r| workflow_fits(&ui, r)) {
        Ok(record) => match own_budgets_fit(&ui, &code, &record).await {
            Ok(()) => admin::update(&ui.state.db, &code, values.version, record, &ui.actor(), ui.now()).await,
            Err(e) => Err(e),
        },
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/quan-tri/thu-tuc/{}/sua?saved=1", code.as_str()))),
        Err(AppError::Validation(errors)) => {
            values.pad();
            form_page(&ui, &values, &errors, true).await
        }
        Err(e) => Err(e),
    }
}

pub async fn publish(ui: Ui, code: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    admin::set_status(&ui.state.db, &code, ProcedureStatus::Published, &ui.actor(), ui.now()).await?;
    Ok(see_other("/quan-tri/thu-tuc"))
}

pub async fn abolish(ui: Ui, code: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    admin::set_status(&ui.state.db, &code, ProcedureStatus::Abolished, &ui.actor(), ui.now()).await?;
    Ok(see_other("/quan-tri/thu-tuc"))
}

pub async fn export(ui: Ui) -> Result<HttpResponse, AppError> {
    let catalogue = transfer::export(&ui.state.db).await?;
    let body = serde_json::to_string_pretty(&catalogue).map_err(anyhow::Error::from)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("danh-muc-thu-tuc.json".into())],
        })
        .body(body))
}
