//! The admin's view of the national database of procedures: fetch its
//! records now (new procedures become drafts, changed ones proposals), and
//! apply or dismiss each proposal after reading what changed.

use actix_web::HttpResponse;
use actix_web::web::{Path, Query};
use serde_json::json;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::audit;
use crate::catalogue::{proposals, store};
use crate::error::AppError;

const PAGE: &str = "/quan-tri/danh-muc-quoc-gia";

#[derive(serde::Deserialize)]
pub struct ShowQuery {
    moi: Option<usize>,
    thay_doi: Option<usize>,
    giu_nguyen: Option<usize>,
    bo_qua: Option<usize>,
}

pub async fn show(ui: Ui, q: Query<ShowQuery>) -> Result<HttpResponse, AppError> {
    let mut items = Vec::new();
    for (p, changes) in proposals::pending(&ui.state.db).await? {
        let name = store::find(&ui.state.db, &p.procedure_code).await?.map(|m| m.name).unwrap_or_default();
        items.push(json!({"id": p.id, "code": p.procedure_code, "name": name, "changes": changes, "at": p.created_at}));
    }
    let mut ctx = ui.form_context();
    ctx.insert("proposals", &items);
    if let (Some(new), Some(changed), Some(same), Some(skipped)) = (q.moi, q.thay_doi, q.giu_nguyen, q.bo_qua) {
        ctx.insert("imported", &json!({"new": new, "changed": changed, "same": same, "skipped": skipped}));
    }
    ui.render("admin/national_catalogue.html", &ctx)
}

/// Reads the national records now.
pub async fn fetch(ui: Ui, _form: FormData) -> Result<HttpResponse, AppError> {
    let now = ui.now();
    let client =
        crate::national_sync::client::SyncClient::new(&ui.state.settings.national_sync).map_err(AppError::Internal)?;
    let r = crate::national_sync::catalogue::import(&ui.state.core, &client, &ui.actor(), now)
        .await
        .map_err(|e| AppError::Unavailable(format!("national portal: {e}")))?;
    let detail = json!({"drafts": r.drafts, "proposed": r.proposed, "unchanged": r.unchanged, "skipped": r.skipped});
    audit::record(&ui.state.db, &ui.actor(), "national_catalogue_read", "LayThuTuc", detail, now).await?;
    Ok(see_other(&format!(
        "{PAGE}?moi={}&thay_doi={}&giu_nguyen={}&bo_qua={}",
        r.drafts.len(),
        r.proposed.len(),
        r.unchanged,
        r.skipped.len()
    )))
}

fn id_of(path: &str) -> Result<i64, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}

pub async fn apply(ui: Ui, id: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    proposals::apply(&ui.state.db, id_of(&id)?, &ui.actor(), ui.now()).await?;
    Ok(see_other(PAGE))
}

pub async fn dismiss(ui: Ui, id: Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    proposals::dismiss(&ui.state.db, id_of(&id)?, &ui.actor(), ui.now()).await?;
    Ok(see_other(PAGE))
}
