//! What a dossier owes, read with the fees of its procedure: the rules that
//! hold a result back (REGULATIONS §2.1 item 12) read these figures.

use entity::dossier;
use sea_orm::ConnectionTrait;

use crate::catalogue::fees;
use crate::error::AppError;

/// All fees not yet paid, whenever they are collected.
pub async fn owed_now(db: &impl ConnectionTrait, d: &dossier::Model) -> Result<i64, AppError> {
    let p = crate::catalogue::revisions::of_dossier(db, d).await?;
    crate::payment::owed_vnd(db, d.id, fees::due_for(&p.record.fees, &d.form_data)).await
}
