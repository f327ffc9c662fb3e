//! Value types that both the pure core (`workflow/`, `sla/`) and the domain
//! (`catalogue/`, `dossier/`) use, so that the core does not depend on the
//! domain: a dossier's status and channel, a procedure's time limit.

pub mod number;
pub mod status;
pub mod time_limit;

pub use status::{Channel, DossierStatus, DueState, ResultDelivery};
pub use time_limit::{TimeLimit, TimeUnit};
