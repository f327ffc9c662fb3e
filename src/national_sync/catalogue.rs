//! Reads the national procedure records (`LayDanhSachTTHC`, then `LayThuTuc`
//! in batches) and brings them to the catalogue as drafts and proposals
//! (`catalogue::national_import`); nothing is published here.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::client::SyncClient;
use crate::audit::Actor;
use crate::catalogue::national_import::{self, NationalProcedure};
use crate::catalogue::{admin, proposals, store};
use crate::context::Context;
use crate::error::AppError;

/// The workflow a procedure new from the national database starts with, until an admin chooses.
const DEFAULT_WORKFLOW: &str = "mot-cua-3-buoc";

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    /// Codes of the procedures created as drafts.
    pub drafts: Vec<String>,
    /// Codes of the procedures with new pending changes.
    pub proposed: Vec<String>,
    pub unchanged: usize,
    /// Codes that could not be taken, with the reason (an agency or field the portal lacks).
    pub skipped: Vec<(String, String)>,
}

pub async fn import(ctx: &Context, client: &SyncClient, actor: &Actor, now: DateTime<Utc>) -> Result<Imported, String> {
    let list = client.call("LayDanhSachTTHC", false, &[]).await?;
    let codes: Vec<String> = list["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["MATTHC"].as_str().map(str::to_owned))
        .collect();
    let mut out = Imported::default();
    // Agencies and fields, read once: a draft created here adds neither.
    let refs = store::Refs::load(&ctx.db).await.map_err(|e| e.to_string())?;
    for chunk in codes.chunks(100) {
        let asked: Vec<Value> = chunk.iter().map(|c| json!({"maTTHC": c})).collect();
        let answer = client.call("LayThuTuc", false, &asked).await?;
        for record in answer["result"].as_array().into_iter().flatten() {
            let Some(n) = national_import::read(record) else { continue };
            take(ctx, &refs, &n, actor, now, &mut out).await.map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

async fn take(
    ctx: &Context,
    refs: &store::Refs,
    n: &NationalProcedure,
    actor: &Actor,
    now: DateTime<Utc>,
    out: &mut Imported,
) -> Result<(), AppError> {
    let Some(current) = store::find(&ctx.db, &n.code).await? else {
        match admin::create(&ctx.db, national_import::draft(n, DEFAULT_WORKFLOW), actor, now).await {
            Ok(()) => out.drafts.push(n.code.clone()),
            Err(AppError::Validation(errors)) => {
                let why: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect();
                out.skipped.push((n.code.clone(), why.join(", ")));
            }
            Err(e) => return Err(e),
        }
        return Ok(());
    };
    let record = store::record(&ctx.db, &current, refs).await?;
    let changes = national_import::changes(&record, n);
    if changes.is_empty() {
        out.unchanged += 1;
    } else if proposals::propose(&ctx.db, &n.code, current.version, &changes, now).await? {
        out.proposed.push(n.code.clone());
    } else {
        out.unchanged += 1;
    }
    Ok(())
}
