//! Workflows managed in the portal, without a deploy: an admin saves a new
//! version of a workflow (checked as the files are, refused with each
//! problem's line and reason), dry-runs it to an end, and activates it for
//! chosen procedures from a moment; every version is kept, and an earlier
//! one may be activated again. Dossiers keep the version they started on.
//! Every portal process learns of an activation through one change counter
//! that it reads on each submission ([`counter`], [`in_use`]). A procedure
//! may set its own step budgets in place of its workflow's ([`step_budgets`]).

pub mod activation;
pub use crate::change_counter as counter;
pub mod in_use;
pub mod step_budgets;
pub mod versions;

pub use in_use::InUse;
