//! Documents that applicants upload: what kind a file really is (by its
//! content, never its name), and names made safe to store and show.

pub mod fetch;
pub mod kind;
pub mod name;
pub mod receive;
pub mod store;

pub use kind::DocumentKind;
