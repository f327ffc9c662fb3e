//! Dossiers (hồ sơ): drafts, documents, submission with its national code,
//! reception with its appointment and receipt, and who may read them.

pub mod access;
pub mod apology;
pub mod applicant;
pub mod code;
pub mod document_changes;
pub mod documents;
pub mod draft;
pub mod expiry;
pub mod facts;
pub mod form_data;
pub mod forwarded;
pub mod handover;
pub mod history;
pub mod leftovers;
pub mod lifecycle;
pub mod lookup;
pub mod money;
pub mod national_record;
pub mod officials;
pub mod policy;
pub mod process;
pub mod receipt;
pub mod receive;
pub mod refuse;
pub mod submit;
pub mod supplement;
pub mod view;
pub mod withdraw;

pub use crate::values::status;
pub use crate::values::{Channel, DossierStatus};
pub use code::DossierCode;
