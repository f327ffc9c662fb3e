//! The portal's clock: what "now" is for every use case a request or a job
//! starts. In production it is the system clock. A test sets it to a chosen
//! moment (from which time goes on as usual), so nothing a test asserts
//! depends on the hour the test happens to run at — a dossier received at
//! 16:30 has another appointment than one received at 09:00.
//!
//! Protocol checks against another party's clock (an ID token's expiry from
//! the national SSO) keep the system clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// Cheap to clone; clones share the same setting.
#[derive(Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system clock: 0 unless a test moved it.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// From now on the clock reads `at`, and runs on from there.
    pub fn set(&self, at: DateTime<Utc>) {
        self.offset_ms.store((at - Utc::now()).num_milliseconds(), Ordering::Relaxed);
    }

    /// Moves the clock forward (or back) by `by`.
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_reads_the_moment_it_was_set_to_and_runs_on() {
        let clock = Clock::default();
        let at = Utc::now() + Duration::days(3);
        clock.set(at);
        let read = clock.now();
        // Kept in whole milliseconds: it may read up to 1 ms before `at`.
        assert!((read - at).num_milliseconds().abs() < 5_000, "{read} vs {at}");
        let copy = clock.clone();
        copy.advance(Duration::hours(2));
        assert!(clock.now() - at > Duration::hours(2) - Duration::seconds(1), "clones share the setting");
    }
}
