//! Admin pages for agencies and units.

use actix_web::HttpResponse;
use actix_web::web::Path;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::catalogue::agencies;
use crate::catalogue::model::AgencyLevel;
use crate::catalogue::transfer::{self, AgencyRecord};
use crate::error::{AppError, FieldError};

fn record_from(form: &FormData, code: Option<&str>) -> Result<AgencyRecord, Vec<FieldError>> {
    let level =
        AgencyLevel::parse(form.get("level")).ok_or_else(|| vec![FieldError::new("level", "invalid_choice")])?;
    Ok(AgencyRecord {
        code: code.unwrap_or(form.get("code").trim()).to_owned(),
        name: form.get("name").trim().to_owned(),
        parent_code: Some(form.get("parent_code").to_owned()),
        level,
    })
}

async fn page(
    ui: &Ui,
    editing: Option<&AgencyRecord>,
    values: &AgencyRecord,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let catalogue = transfer::export_agencies(&ui.state.db).await?;
    let mut ctx = ui.form_context();
    ctx.insert("agencies", &catalogue);
    ctx.insert("editing", &editing);
    ctx.insert("v", values);
    ctx.insert("levels", &AgencyLevel::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>());
    ui.render_form("admin/agencies.html", &mut ctx, errors)
}

fn blank() -> AgencyRecord {
    AgencyRecord { code: String::new(), name: String::new(), parent_code: None, level: AgencyLevel::Central }
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    page(&ui, None, &blank(), &[]).await
}

async fn save(ui: Ui, form: FormData, code: Option<String>) -> Result<HttpResponse, AppError> {
    let result = match record_from(&form, code.as_deref()) {
        Ok(record) => agencies::save(&ui.state.db, record, code.is_some(), &ui.actor(), ui.now()).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(()) => Ok(see_other("/quan-tri/co-quan")),
        Err(AppError::Validation(errors)) => {
            let values = AgencyRecord {
                code: code.clone().unwrap_or_else(|| form.get("code").to_owned()),
                name: form.get("name").to_owned(),
                parent_code: Some(form.get("parent_code").to_owned()),
                level: AgencyLevel::parse(form.get("level")).unwrap_or(AgencyLevel::Central),
            };
            page(&ui, code.is_some().then_some(&values), &values, &errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn create(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    save(ui, form, None).await
}

pub async fn edit_form(ui: Ui, code: Path<String>) -> Result<HttpResponse, AppError> {
    let all = transfer::export_agencies(&ui.state.db).await?;
    let found = all.into_iter().find(|a| a.code == *code).ok_or(AppError::NotFound)?;
    page(&ui, Some(&found), &found, &[]).await
}

pub async fn update(ui: Ui, code: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    save(ui, form, Some(code.into_inner())).await
}
