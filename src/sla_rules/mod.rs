//! The time rules admins set in the portal (issue: SLA rules without a
//! deploy): the saved versions per level with their audit entries
//! ([`store`]), the days an agency works or rests unlike the national
//! calendar ([`agency_days`]), and the rules and calendar a dossier is
//! handled by ([`of_dossier`]): those resolved at its submission, kept on
//! its row, so a change never moves a running dossier's deadlines. What the
//! rules are and how they resolve is pure, in `sla::rules`.

pub mod agency_days;
pub mod kept;
pub mod of_dossier;
pub mod store;

pub use of_dossier::{calendar_for, defaults, rules_of};
