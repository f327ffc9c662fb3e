//! The procedure catalogue: agencies, fields and administrative procedures,
//! their search, their administration, and import/export.
//!
//! Invariants: a procedure's code is unique and never changes; only published
//! procedures are listed publicly; drafts are invisible to the public;
//! abolished procedures stay readable but take no new dossiers.

pub mod admin;
pub mod agencies;
pub mod eform;
pub mod fees;
pub mod model;
pub mod national_import;
pub mod proposals;
pub mod published;
pub mod record;
pub mod revisions;
pub mod search;
pub mod store;
pub mod transfer;
pub mod view;
pub mod views;
