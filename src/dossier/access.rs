//! Who may read a dossier: its applicant (and whoever created it), the
//! officials of the agency that processes it, and those of a partner agency
//! it was transferred to. Nobody else, whatever they
//! know of its address.

use entity::dossier;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::auth::principal::Principal;
use crate::error::AppError;

pub fn may_read(who: &Principal, d: &dossier::Model) -> bool {
    if who.is_applicant() {
        d.applicant_id == Some(who.id) || d.created_by == who.id
    } else {
        // The partner agency of a transfer reads it too (and may comment); acting stays with the agency.
        who.unit_id == Some(d.agency_id) || (d.partner_agency_id.is_some() && who.unit_id == d.partner_agency_id)
    }
}

/// The dossiers `who` applied for or created, newest first.
pub async fn mine(db: &impl ConnectionTrait, who: i32) -> Result<Vec<dossier::Model>, AppError> {
    use sea_orm::{Condition, QueryOrder};
    Ok(dossier::Entity::find()
        .filter(Condition::any().add(dossier::Column::ApplicantId.eq(who)).add(dossier::Column::CreatedBy.eq(who)))
        .filter(super::leftovers::api_in_flight().not())
        .order_by_desc(dossier::Column::Id)
        .all(db)
        .await?)
}

/// The dossier `public_id` if `who` may read it: 404 when it does not
/// exist, 403 when it belongs to someone else.
pub async fn load(db: &impl ConnectionTrait, who: &Principal, public_id: &str) -> Result<dossier::Model, AppError> {
    // An API submission's draft is no dossier until it is acknowledged.
    let found = dossier::Entity::find()
        .filter(dossier::Column::PublicId.eq(public_id))
        .filter(super::leftovers::api_in_flight().not())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if may_read(who, &found) { Ok(found) } else { Err(AppError::Forbidden) }
}
