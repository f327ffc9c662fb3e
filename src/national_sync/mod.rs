//! The portal's side of the dossier sync with the national portal
//! (REGULATIONS §6): every change the lifecycle wrote to the outbox
//! (`national_record`) is delivered once, in order per dossier, through the
//! national adapter; failures back off, then wait as dead for an operator.

pub mod backlog;
pub mod catalogue;
pub mod client;
pub mod clients;
pub mod reconcile;
pub mod worker;

pub use crate::dossier::national_record::TOPIC;
