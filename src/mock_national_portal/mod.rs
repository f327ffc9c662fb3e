//! The stand-in for the National Public Service Portal (Cổng DVCQG), run as
//! its own process (`motcua mock-national-portal`) with its own SQLite file.
//! It offers what the real one offers a ministry: the single sign-on (an
//! OpenID Connect provider shaped like the national SSO: WSO2 paths,
//! authorization code with PKCE S256, RS256 ID tokens under keys published at
//! `jwks_uri`, userinfo claims of REGULATIONS §8) and
//! the payment platform (a VNPay-style gateway stub, `payment`) and the dossier
//! sync adapter (`sync`), each written from its protocol, not from the portal's side.

pub mod forward;
pub mod identities;
pub mod index766;
pub mod payment;
pub mod payment_store;
pub mod server;
pub mod sso;
pub mod sso_keys;
pub mod store;
pub mod sync;
pub mod sync_pages;
pub mod sync_rules;
pub mod sync_store;
pub mod vnpay_protocol;

pub use server::{MockPortal, MockSettings};
