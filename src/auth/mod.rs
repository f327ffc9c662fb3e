//! Identity: who signs in, with which roles, and how.
//!
//! Applicants (citizens, businesses) sign in through the national single
//! sign-on (OpenID Connect, authorization code with PKCE); officials and admins
//! with a username and an argon2id password. Roles decide what each may do;
//! ownership of dossiers is checked by the dossier module.

pub mod accounts;
pub mod id_token;
pub mod oidc;
pub mod password;
pub mod principal;
pub mod role;
pub mod sessions;
pub mod sso_identity;
