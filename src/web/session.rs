//! The signed-in session: which account, of which epoch, since when. The
//! cookie is encrypted and signed (actix-session, private cookie); what it
//! holds is checked against the database on every request, so a disabled
//! account or "sign out everywhere" takes effect at once on every node, and
//! so does signing out: each session has an id of its own, recorded as ended
//! (`auth::sessions`) when its holder signs out.

use actix_session::Session;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

use crate::auth::principal::{self, Principal};
use crate::auth::sessions;
use crate::error::AppError;

const KEY: &str = "account";
/// A session unused this long is over.
pub const IDLE_SECS: i64 = 30 * 60;
/// A session is over this long after sign-in, however busy.
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// `seen_at` is refreshed at most this often, to spare cookie rewrites.
const TOUCH_SECS: i64 = 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// This session's own id (random); a cookie from before ids has none and is not accepted.
    #[serde(default)]
    sid: String,
    account_id: i32,
    epoch: i32,
    issued_at: i64,
    seen_at: i64,
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {e}"))
}

/// Starts a fresh session for `who`: a new cookie, nothing carried over.
pub fn begin(session: &Session, who: &Principal, now: DateTime<Utc>) -> Result<(), AppError> {
    session.renew();
    session.clear();
    let sid = crate::random::token().map_err(internal)?;
    let (issued_at, seen_at) = (now.timestamp(), now.timestamp());
    let stored = Stored { sid, account_id: who.id, epoch: who.session_epoch, issued_at, seen_at };
    session.insert(KEY, stored).map_err(internal)
}

/// Keeps the session but records a new epoch (after the account itself voided older sessions).
pub fn adopt_epoch(session: &Session, epoch: i32) -> Result<(), AppError> {
    if let Ok(Some(mut stored)) = session.get::<Stored>(KEY) {
        stored.epoch = epoch;
        session.insert(KEY, stored).map_err(internal)?;
    }
    Ok(())
}

/// Ends this session: on the server (the same cookie replayed later opens
/// nothing, on any node) and in the browser.
pub async fn end(session: &Session, db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), AppError> {
    if let Ok(Some(stored)) = session.get::<Stored>(KEY)
        && !stored.sid.is_empty()
    {
        let expires_at = DateTime::from_timestamp(stored.issued_at + ABSOLUTE_SECS, 0).unwrap_or(now);
        sessions::end(db, &stored.sid, expires_at.max(now), now).await?;
    }
    session.purge();
    Ok(())
}

/// Forgets a session that is no longer valid but keeps the cookie usable,
/// so the sign-in form that follows can still carry its CSRF token.
fn forget(session: &Session) {
    session.clear();
    session.renew();
}

/// Whether a session issued at `issued_at` and last used at `seen_at` (Unix
/// seconds) may still be used at `now`.
pub fn still_fresh(issued_at: i64, seen_at: i64, now: i64) -> bool {
    now - seen_at <= IDLE_SECS && now - issued_at <= ABSOLUTE_SECS
}

/// The person this session belongs to, if it is still valid.
pub async fn current(
    session: &Session,
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, AppError> {
    let Ok(Some(mut stored)) = session.get::<Stored>(KEY) else {
        return Ok(None);
    };
    let now = now.timestamp();
    if stored.sid.is_empty() || !still_fresh(stored.issued_at, stored.seen_at, now) {
        forget(session);
        return Ok(None);
    }
    // Ended, gone or disabled: one statement tells.
    let Some(who) = principal::load_for_session(db, stored.account_id, &sessions::hash(&stored.sid)).await? else {
        forget(session);
        return Ok(None);
    };
    if who.session_epoch != stored.epoch {
        forget(session);
        return Ok(None);
    }
    if now - stored.seen_at > TOUCH_SECS {
        stored.seen_at = now;
        session.insert(KEY, stored).map_err(internal)?;
    }
    Ok(Some(who))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_after_30_idle_minutes() {
        assert!(still_fresh(0, 0, IDLE_SECS));
        assert!(!still_fresh(0, 0, IDLE_SECS + 1));
    }

    #[test]
    fn a_busy_session_still_ends_after_12_hours() {
        let now = ABSOLUTE_SECS + 1;
        assert!(!still_fresh(0, now - 5, now));
        assert!(still_fresh(0, ABSOLUTE_SECS - 5, ABSOLUTE_SECS));
    }
}
