//! Processing workflows: definitions in `workflows/<key>.yaml` (one each),
//! checked with file, line and reason (`check`), and a pure engine that
//! decides what an official or applicant may do next (`engine`). A
//! definition's content hash is its version: a changed file is a new
//! version, and a dossier keeps the one it started with.

pub mod check;
pub mod definition;
pub mod diagram;
pub mod dry_run;
pub mod engine;
pub mod lines;
pub mod load;
pub mod model;

pub use check::{Problem, ProblemKind};
pub use engine::{Decision, Facts, Refusal};
pub use model::Workflow;
