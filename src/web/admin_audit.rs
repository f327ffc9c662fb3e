//! The audit log, for admins to read. There is no page or route that edits it.

use actix_web::HttpResponse;
use actix_web::web::Query;
use serde::Deserialize;

use super::render::Ui;
use crate::audit;
use crate::error::AppError;

const PER_PAGE: u64 = 50;

#[derive(Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    page: Option<u64>,
}

pub async fn list(ui: Ui, query: Query<AuditQuery>) -> Result<HttpResponse, AppError> {
    let action = query.action.as_deref().filter(|a| !a.is_empty());
    let page = audit::page(&ui.state.db, action, query.page.unwrap_or(1), PER_PAGE).await?;
    let mut ctx = ui.context();
    ctx.insert("log", &page);
    ctx.insert("action", &action);
    ui.render("admin/audit.html", &ctx)
}
