//! A dossier's status and channel: the closed lists live with the tables
//! (`entity::values`), stored as their strings; the pure core reads them here.

pub use entity::values::{Channel, DossierStatus, DueState, ResultDelivery};

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
