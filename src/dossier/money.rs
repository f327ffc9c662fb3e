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

/// What the applicant may pay at this point of the dossier's life
/// (REGULATIONS §2.1 item 12, `HinhThucThu`): the fees collected with the
/// dossier from submission; those collected during processing once the desk
/// has received it (the amount is then confirmed) or the workflow asks for
/// them; those collected with the result once it is ready.
pub fn payable_now(fee_list: &[crate::catalogue::record::FeeRecord], d: &dossier::Model) -> i64 {
    use crate::catalogue::model::FeeCollection;
    use crate::values::DossierStatus;
    let received = d.received_at.is_some() || d.status == DossierStatus::AwaitingPayment;
    let ready = matches!(d.status, DossierStatus::ResultReady | DossierStatus::Returned);
    let form = serde_json::from_str(&d.form_data).unwrap_or(serde_json::Value::Null);
    fees::due_where(fee_list, &form, |when| match when {
        FeeCollection::Submission => true,
        FeeCollection::BeforeResult => received,
        FeeCollection::AtResult => ready,
        FeeCollection::Exempt => false,
    })
}
