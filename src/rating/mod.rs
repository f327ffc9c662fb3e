//! Satisfaction ratings of finished dossiers (REGULATIONS §5.3; QĐ 766
//! indicator 5.4). The applicant rates once, on the national three-level
//! scale for each configured criterion, and may change it for a few days;
//! a counter applicant without an account rates through a one-time link.
//! Officials never learn who rated: their unit sees figures and comments.

pub mod give;
pub mod invite;
pub mod link;
pub mod record;
pub mod unit;

use entity::dossier;

use crate::string_enum;
use crate::values::DossierStatus;

string_enum! {
    /// The national scale (Rất hài lòng / Hài lòng / Không hài lòng).
    pub enum Level {
        VerySatisfied = "rat_hai_long",
        Satisfied = "hai_long",
        Dissatisfied = "khong_hai_long",
    }
}

impl Level {
    /// The level's points, as the provincial rate counts them (2, 1, 0).
    pub fn points(self) -> i64 {
        match self {
            Level::VerySatisfied => 2,
            Level::Satisfied => 1,
            Level::Dissatisfied => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::VerySatisfied => "Rất hài lòng",
            Level::Satisfied => "Hài lòng",
            Level::Dissatisfied => "Không hài lòng",
        }
    }
}

/// A dossier may be rated once its processing is over for the applicant:
/// the result handed over, the dossier refused or stopped, or withdrawn after
/// the desk received it (QĐ 766 counts those; a withdrawn submission never
/// reached an official).
pub fn is_finished(d: &dossier::Model) -> bool {
    match d.status {
        DossierStatus::Returned | DossierStatus::Refused | DossierStatus::Stopped => true,
        DossierStatus::Withdrawn => d.received_at.is_some(),
        _ => false,
    }
}
