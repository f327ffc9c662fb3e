//! Dossiers (hồ sơ). So far: the dossier code and the check of e-form data.

pub mod code;
pub mod form_data;

pub use code::DossierCode;
