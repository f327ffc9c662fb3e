//! The QĐ 766/QĐ-TTg index as the portal's own data gives it, before the
//! national portal publishes it (REGULATIONS §5.1, §5.2): the indicators'
//! counts in SQL over an agency's subtree and a period, their rates, points
//! and groups.

pub mod answers;
pub mod at_stake;
pub mod dashboard;
pub mod index;
pub mod measure;
pub mod period;
