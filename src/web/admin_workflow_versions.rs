//! Admins manage workflows in the portal: a new version of one (the YAML in
//! an editor, the checker's problems shown at their lines), a copy of one
//! under a new key, a saved version's page (its diagram and dry run, shared
//! with the shipped files' page) and its activation for chosen procedures.

use actix_web::{HttpResponse, web};
use sea_orm::EntityTrait;
use serde::Deserialize;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::error::{AppError, FieldError};
use crate::sla::local_time;
use crate::workflow::check::Problem;
use crate::workflow_store::{activation, versions};

#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    /// The version to start from; none: the one in use for new dossiers of the key.
    #[serde(default)]
    tu: Option<i64>,
}

/// A workflow key as the files name them.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The text a new version of `key` starts from.
async fn starting_text(ui: &Ui, key: &str, from: Option<i64>) -> Result<String, AppError> {
    let db = &ui.state.db;
    if let Some(id) = from {
        let row = entity::workflow_version::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
        return Ok(row.source);
    }
    if let Some((_, wf)) = ui.state.workflows.get(key) {
        return Ok(wf.source.clone());
    }
    versions::of_key(db, key).await?.into_iter().next().map(|v| v.source).ok_or(AppError::NotFound)
}

async fn editor(ui: &Ui, key: &str, source: &str, problems: &[Problem]) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.form_context();
    ctx.insert("key", key);
    ctx.insert("source", source);
    let lines: Vec<&str> = source.lines().collect();
    let shown: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| {
            let text = lines.get(p.line.saturating_sub(1)).map_or("", |l| l.trim());
            serde_json::json!({"line": p.line, "kind": p.kind.as_str(), "text": text})
        })
        .collect();
    ctx.insert("problems", &shown);
    // The text with its lines numbered, each problem beside its line.
    let numbered: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let kinds: Vec<&str> = problems.iter().filter(|p| p.line == i + 1).map(|p| p.kind.as_str()).collect();
            serde_json::json!({"n": i + 1, "text": l, "kinds": kinds})
        })
        .collect();
    ctx.insert("numbered", &numbered);
    let mut html = ui.render("admin/workflow_edit.html", &ctx)?;
    if !problems.is_empty() {
        *html.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(html)
}

/// GET /quan-tri/quy-trinh/{key}/sua
pub async fn edit_form(ui: Ui, key: web::Path<String>, query: web::Query<EditQuery>) -> Result<HttpResponse, AppError> {
    let source = starting_text(&ui, &key, query.tu).await?;
    editor(&ui, &key, &source, &[]).await
}

/// POST /quan-tri/quy-trinh/moi: a copy of workflow `tu` under the new key `ma`, in the editor.
pub async fn copy(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let (from, key) = (form.get("tu").trim(), form.get("ma").trim());
    if !valid_key(key) {
        return Err(AppError::Validation(vec![FieldError::new("ma", "workflow_key")]));
    }
    if ui.state.workflows.get(key).is_some() || !versions::of_key(&ui.state.db, key).await?.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("ma", "workflow_key_taken")]));
    }
    let source = starting_text(&ui, from, None).await?;
    let renamed: Vec<String> =
        source.lines().map(|l| if l.starts_with("key:") { format!("key: {key}") } else { l.to_owned() }).collect();
    editor(&ui, key, &(renamed.join("\n") + "\n"), &[]).await
}

/// POST /quan-tri/quy-trinh/{key}/sua: the text saved as a new version, or shown again with its problems.
pub async fn save(ui: Ui, key: web::Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    if !valid_key(&key) {
        return Err(AppError::NotFound);
    }
    let source = form.get("source").replace("\r\n", "\n");
    let txn = crate::db::begin_write(&ui.state.db).await?;
    match versions::save(&txn, &ui.actor(), &key, &source, ui.now()).await {
        Ok(id) => {
            txn.commit().await?;
            Ok(see_other(&format!("/quan-tri/quy-trinh/{key}/phien-ban/{id}")))
        }
        Err(versions::Refused::Problems(problems)) => {
            txn.rollback().await?;
            editor(&ui, &key, &source, &problems).await
        }
        Err(versions::Refused::Other(e)) => Err(e),
    }
}

/// GET /quan-tri/quy-trinh/{key}/phien-ban/{id}
pub async fn show(
    ui: Ui,
    path: web::Path<(String, i64)>,
    query: web::Query<super::admin_workflows::DryRunQuery>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let row = entity::workflow_version::Entity::find_by_id(id).one(&ui.state.db).await?.ok_or(AppError::NotFound)?;
    if row.key != key {
        return Err(AppError::NotFound);
    }
    super::admin_workflows::page(&ui, &row, &query, &[]).await
}

/// POST /quan-tri/quy-trinh/{key}/phien-ban/{id}/ap-dung: activation for the chosen procedures.
pub async fn activate(ui: Ui, path: web::Path<(String, i64)>, form: FormData) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let procedures: Vec<String> = form.all("procedures").into_iter().map(str::to_owned).collect();
    let text = form.get("effective_from").trim();
    let from = if text.is_empty() {
        Ok(ui.now())
    } else {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .map(local_time::to_utc)
            .map_err(|_| FieldError::new("effective_from", "not_a_date"))
    };
    let row = entity::workflow_version::Entity::find_by_id(id).one(&ui.state.db).await?.ok_or(AppError::NotFound)?;
    if row.key != key {
        return Err(AppError::NotFound);
    }
    let result = match from {
        Ok(from) => {
            let txn = crate::db::begin_write(&ui.state.db).await?;
            match activation::activate(&txn, &ui.actor(), id, &procedures, from, ui.now()).await {
                Ok(()) => {
                    txn.commit().await?;
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(AppError::Validation(vec![e])),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/quan-tri/quy-trinh/{key}/phien-ban/{id}?da_ap_dung=1#ap-dung"))),
        Err(AppError::Validation(errors)) => {
            super::admin_workflows::page(&ui, &row, &Default::default(), &errors).await
        }
        Err(e) => Err(e),
    }
}
