//! The dossier code (mã hồ sơ): one code per dossier whatever the channel,
//! `<agency identifier>-<yyMMdd>-<sequence>`, the sequence counting the
//! agency's dossiers of the day from 0001 (TT 01/2018/TT-VPCP Art. 19, kept
//! for TT 03/2025/TT-VPCP Art. 13(1–2); REGULATIONS §4). Codes are allocated
//! in the transaction that receives the dossier, under a per-(agency, day)
//! row lock, so two receptions never get the same number, and a reception
//! that rolls back gives its number back with everything else.

use chrono::NaiveDate;
use entity::dossier_sequence;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct DossierCode(String);

impl DossierCode {
    /// The code of the `sequence`-th dossier of `agency` on `day`; the
    /// sequence has at least four digits and grows past 9999.
    pub fn new(agency: &str, day: NaiveDate, sequence: u32) -> DossierCode {
        DossierCode(format!("{agency}-{}-{sequence:04}", day.format("%y%m%d")))
    }

    /// Checks a code typed by someone looking a dossier up.
    pub fn parse(text: &str) -> Option<DossierCode> {
        let text = text.trim();
        let mut parts = text.rsplitn(3, '-');
        let (sequence, date, agency) = (parts.next()?, parts.next()?, parts.next()?);
        let agency_ok = !agency.is_empty()
            && agency.len() <= 35
            && agency.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '.');
        let date_ok = date.len() == 6 && NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").is_ok();
        let sequence_ok = sequence.len() >= 4 && sequence.len() <= 9 && sequence.chars().all(|c| c.is_ascii_digit());
        (agency_ok && date_ok && sequence_ok && text.len() <= 64).then(|| DossierCode(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DossierCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Takes the next code of `agency` for `day`. Call inside the write
/// transaction that records the dossier (see `db::begin_write`).
pub async fn allocate(db: &impl ConnectionTrait, agency: &str, day: NaiveDate) -> Result<DossierCode, AppError> {
    let key = day.format("%Y-%m-%d").to_string();
    // One statement: the day's first code makes the row, later ones count on in it.
    // It takes the row lock until commit; a concurrent submission waits here.
    let next = Expr::col((dossier_sequence::Entity, dossier_sequence::Column::Last)).add(1);
    let row = dossier_sequence::Entity::insert(dossier_sequence::ActiveModel {
        agency_code: Set(agency.to_owned()),
        day: Set(key),
        last: Set(1),
    })
    .on_conflict(
        OnConflict::columns([dossier_sequence::Column::AgencyCode, dossier_sequence::Column::Day])
            .value(dossier_sequence::Column::Last, next)
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    let sequence = u32::try_from(row.last).map_err(|_| AppError::Internal(anyhow::anyhow!("bad sequence")))?;
    Ok(DossierCode::new(agency, day, sequence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_national_format() {
        let day = NaiveDate::from_ymd_opt(2025, 7, 15).unwrap();
        assert_eq!(DossierCode::new("000.00.20.H26", day, 1).as_str(), "000.00.20.H26-250715-0001");
        assert_eq!(DossierCode::new("000.00.20.H26", day, 12345).as_str(), "000.00.20.H26-250715-12345");
    }

    #[test]
    fn typed_codes_are_checked() {
        assert!(DossierCode::parse(" 000.00.06.H56-231027-0361 ").is_some());
        for bad in [
            "",
            "abc",
            "000.00.06.H56-231327-0361",
            "000.00.06.h56-231027-0361",
            "000.00.06.H56-231027-36",
            "x-231027-0361; DROP",
        ] {
            assert!(DossierCode::parse(bad).is_none(), "{bad}");
        }
    }
}
