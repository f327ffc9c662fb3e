//! Where a dossier is in its life, and by which channel it came.
//! The national status codes (TrangThaiHoSo) are those of the National
//! Public Service Portal (REGULATIONS §2.2); the states follow §2.4.

use crate::string_enum;

string_enum! {
    pub enum DossierStatus {
        /// Being filled in by the applicant; no code, not synced.
        Draft = "draft",
        Submitted = "submitted",
        Received = "received",
        Refused = "refused",
        InProgress = "in_progress",
        AwaitingSupplement = "awaiting_supplement",
        AwaitingPayment = "awaiting_payment",
        Withdrawn = "withdrawn",
        Stopped = "stopped",
        ResultReady = "result_ready",
        Returned = "returned",
    }
}

impl DossierStatus {
    /// TrangThaiHoSo of the national portal; drafts have none.
    pub fn national_code(self) -> Option<u8> {
        use DossierStatus::*;
        Some(match self {
            Draft => return None,
            Submitted => 1,
            Received => 2,
            Refused => 3,
            InProgress => 4,
            AwaitingSupplement => 5,
            AwaitingPayment => 6,
            Withdrawn => 7,
            Stopped => 8,
            ResultReady => 9,
            Returned => 10,
        })
    }

    /// The applicant may withdraw (NĐ 118/2025 stop at the applicant's
    /// request) until the result is ready or the dossier is closed.
    pub fn withdrawable(self) -> bool {
        use DossierStatus::*;
        matches!(self, Submitted | Received | InProgress | AwaitingSupplement | AwaitingPayment)
    }

    /// No further processing happens.
    pub fn is_closed(self) -> bool {
        use DossierStatus::*;
        matches!(self, Refused | Withdrawn | Stopped | Returned)
    }
}

string_enum! {
    pub enum Channel {
        Online = "online",
        Counter = "counter",
        Post = "post",
    }
}

impl Channel {
    /// KenhThucHien of the national portal (REGULATIONS §2.3).
    pub fn national_code(self) -> u8 {
        match self {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_but_draft_has_its_national_code() {
        let codes: Vec<u8> = DossierStatus::ALL.iter().filter_map(|s| s.national_code()).collect();
        assert_eq!(codes, (1..=10).collect::<Vec<u8>>());
        assert_eq!(DossierStatus::Draft.national_code(), None);
    }

    #[test]
    fn a_finished_dossier_cannot_be_withdrawn() {
        for s in [DossierStatus::Draft, DossierStatus::ResultReady, DossierStatus::Returned, DossierStatus::Refused] {
            assert!(!s.withdrawable(), "{s}");
        }
        assert!(DossierStatus::AwaitingSupplement.withdrawable());
    }
}
