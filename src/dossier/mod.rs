//! Dossiers (hồ sơ). So far: the dossier code.

pub mod code;

pub use code::DossierCode;
