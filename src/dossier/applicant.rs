//! The applicant as a dossier records them, and what the portal already
//! knows to pre-fill a new e-form with: the national SSO's identity data,
//! and what the applicant typed in their last dossier (NĐ 45/2020/NĐ-CP
//! Art. 9(2): data already held is not asked for again).

use std::collections::BTreeMap;

use entity::{account, dossier};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::form_data;
use super::status::DossierStatus;
use crate::catalogue::eform::{FieldKind, Schema};
use crate::error::AppError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    /// Số định danh cá nhân, or the tax code of a business.
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

impl Details {
    pub fn of_account(a: &account::Model) -> Details {
        Details {
            name: a.full_name.clone(),
            id_number: a.citizen_id.clone().or_else(|| a.tax_code.clone()).unwrap_or_default(),
            address: String::new(),
            phone: a.phone.clone().unwrap_or_default(),
            email: a.email.clone().unwrap_or_default(),
        }
    }
}

/// Field names that mean the applicant's own name.
const NAME_FIELDS: &[&str] = &["ho_ten", "ho_va_ten", "ten_to_chuc", "ten_doanh_nghiep"];

/// Values for the top-level fields of `schema`: from the last dossier the
/// applicant submitted, then their identity (which wins where both know).
pub async fn prefill(
    db: &impl ConnectionTrait,
    who: &account::Model,
    schema: &Schema,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut values = BTreeMap::new();
    let last = dossier::Entity::find()
        .filter(dossier::Column::ApplicantId.eq(who.id))
        .filter(dossier::Column::Status.ne(DossierStatus::Draft))
        .order_by_desc(dossier::Column::Id)
        .one(db)
        .await?;
    if let Some(last) = last {
        let earlier = serde_json::from_str(&last.form_data).map(|v| form_data::flatten(&v)).unwrap_or_default();
        for field in schema.fields.iter().filter(|f| f.kind != FieldKind::Group) {
            if let Some(v) = earlier.get(&field.name) {
                values.insert(field.name.clone(), v.clone());
            }
        }
    }
    for field in &schema.fields {
        let known = match field.kind {
            FieldKind::CitizenId => who.citizen_id.clone(),
            FieldKind::TaxCode => who.tax_code.clone(),
            FieldKind::Email => who.email.clone(),
            FieldKind::Phone => who.phone.clone(),
            FieldKind::Text if NAME_FIELDS.contains(&field.name.as_str()) => Some(who.full_name.clone()),
            _ => None,
        };
        if let Some(v) = known.filter(|v| !v.is_empty()) {
            values.insert(field.name.clone(), v);
        }
    }
    Ok(values)
}

/// The first address the form data gives, for the receipt and the register.
pub fn address_in(schema: &Schema, data: &serde_json::Value) -> Option<String> {
    schema
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Address)
        .find_map(|f| data.get(&f.name).and_then(|v| v.as_str()).map(str::to_owned))
}
