//! The catalogue's vocabulary: closed enums, money and time limits.

use serde::{Deserialize, Serialize};

use crate::string_enum;
pub use crate::values::{TimeLimit, TimeUnit};

string_enum! {
    /// How far a procedure can be done online (NĐ 42/2022/NĐ-CP Art. 11).
    pub enum OnlineMode {
        /// Toàn trình: the whole procedure online (formerly level 4).
        FullOnline = "full_online",
        /// Một phần: part of it online (formerly level 3).
        PartialOnline = "partial_online",
        /// Information only: the applicant goes to the counter.
        Information = "information",
    }
}

string_enum! {
    pub enum ProcedureStatus {
        Draft = "draft",
        Published = "published",
        /// Abolished procedures stay readable but take no new dossiers.
        Abolished = "abolished",
    }
}

string_enum! {
    pub enum ApplicantType {
        Citizen = "citizen",
        Business = "business",
    }
}

string_enum! {
    /// LoaiBan: 0 bản chính, 1 bản sao, 2 bản điện tử.
    pub enum CopyKind {
        Original = "original",
        Copy = "copy",
        Electronic = "electronic",
    }
}

string_enum! {
    pub enum FeeKind {
        /// Phí: a service fee.
        Phi = "phi",
        /// Lệ phí: an administrative charge.
        LePhi = "le_phi",
    }
}

string_enum! {
    /// When a fee is collected (REGULATIONS §2.1 item 12): with the dossier
    /// (Thu trước), once processing shows it is due but before the result,
    /// when the result is handed over (Thu sau), or not at all.
    #[derive(Default)]
    pub enum FeeCollection {
        #[default]
        Submission = "submission",
        BeforeResult = "before_result",
        AtResult = "at_result",
        Exempt = "exempt",
    }
}

impl FeeCollection {
    /// HinhThucThu of the national portal: 1 at reception, 2 during
    /// processing, 4 at the result; 0 for a fee not collected.
    pub fn national_code(self) -> u8 {
        match self {
            FeeCollection::Submission => 1,
            FeeCollection::BeforeResult => 2,
            FeeCollection::AtResult => 4,
            FeeCollection::Exempt => 0,
        }
    }

    /// Whether the fee must be paid before the result is issued.
    pub fn before_result(self) -> bool {
        matches!(self, FeeCollection::Submission | FeeCollection::BeforeResult)
    }

    pub fn is_default(&self) -> bool {
        *self == FeeCollection::Submission
    }
}

string_enum! {
    pub enum AgencyLevel {
        Central = "central",
        Provincial = "provincial",
    }
}

impl ApplicantType {
    /// The applicant types stored as two flags, in a stable order.
    pub fn from_flags(for_citizen: bool, for_business: bool) -> Vec<ApplicantType> {
        let mut types = Vec::with_capacity(2);
        if for_business {
            types.push(ApplicantType::Business);
        }
        if for_citizen {
            types.push(ApplicantType::Citizen);
        }
        types
    }
}

impl ProcedureStatus {
    /// Whether the public may read the procedure.
    pub fn is_public(self) -> bool {
        self != ProcedureStatus::Draft
    }
}

/// An amount of money in whole Vietnamese đồng. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Vnd(pub i64);

impl std::fmt::Display for Vnd {
    /// Vietnamese grouping: 1.500.000 đ.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} đ", crate::values::number::grouped(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_the_vietnamese_way() {
        assert_eq!(Vnd(1_500_000).to_string(), "1.500.000 đ");
        assert_eq!(Vnd(0).to_string(), "0 đ");
        assert_eq!(Vnd(100).to_string(), "100 đ");
    }
}
