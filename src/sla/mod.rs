//! Deadlines (SLA): working-time arithmetic on the office calendar of
//! Vietnamese public bodies. Pure — no database, no clock: callers pass the
//! calendar and `now` in, so every rule is unit-tested.

pub mod calendar;
pub mod holidays;
pub mod local_time;
pub mod rules;
pub mod steps;

pub use calendar::{Calendar, DayKind};
