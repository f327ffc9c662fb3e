//! The time-rule versions and each agency's chain and special days, kept in
//! each portal process's memory under the catalogue's change counter (as
//! `catalogue::views` keeps procedures): a workflow step read the special days
//! on every step, a submission also the versions and the chain (issue 21).
//!
//! Saving a rule version, a national day or an agency's day moves the counter
//! in the same transaction, as moving an agency does, so a request that read
//! the counter uses nothing older than the last change committed before
//! that read; callers pass the counter they read with the procedure.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use entity::dossier;
use sea_orm::ConnectionTrait;

use super::of_dossier::{calendar_with, defaults, rules_of, special_days};
use crate::config::Settings;
use crate::error::AppError;
use crate::sla::rules::{TimeRules, Version, resolve};
use crate::sla::{Calendar, DayKind};

#[derive(Default)]
pub struct Kept {
    held: RwLock<Held>,
}

/// What is held, read at `counter` or later.
#[derive(Default)]
struct Held {
    counter: i64,
    versions: Option<Arc<Vec<Version>>>,
    chains: HashMap<i32, Arc<Vec<i32>>>,
    days: HashMap<i32, Arc<BTreeMap<NaiveDate, DayKind>>>,
}

impl Kept {
    /// The rules and the calendar dossier `d` is handled by (as `of_dossier::of`).
    pub async fn of(
        &self,
        db: &impl ConnectionTrait,
        settings: &Settings,
        d: &dossier::Model,
        counter: i64,
    ) -> Result<(TimeRules, Calendar), AppError> {
        let rules = rules_of(d, settings);
        let days = self.days(db, d.agency_id, counter).await?;
        let cal = calendar_with(&rules, (*days).clone())?;
        Ok((rules, cal))
    }

    /// The rules and the calendar of a dossier of `procedure` at `agency` submitted at `at`:
    /// the versions in force then over the settings, for the agency and those above it.
    pub async fn for_new_dossier(
        &self,
        db: &impl ConnectionTrait,
        settings: &Settings,
        agency: i32,
        procedure: i32,
        at: DateTime<Utc>,
        counter: i64,
    ) -> Result<(TimeRules, Calendar), AppError> {
        let versions = match self.held(counter, |h| h.versions.clone()) {
            Some(v) => v,
            None => {
                let fresh = Arc::new(super::store::versions(db).await?);
                self.keep(counter, |h| h.versions = Some(fresh.clone()));
                fresh
            }
        };
        let chain = match self.held(counter, |h| h.chains.get(&agency).cloned()) {
            Some(c) => c,
            None => {
                let fresh = Arc::new(super::store::chain(db, agency).await?);
                self.keep(counter, |h| {
                    h.chains.insert(agency, fresh.clone());
                });
                fresh
            }
        };
        let (rules, _) = resolve(&defaults(settings), &versions, &chain, procedure, at);
        let days = self.days(db, agency, counter).await?;
        let cal = calendar_with(&rules, (*days).clone())?;
        Ok((rules, cal))
    }

    async fn days(
        &self,
        db: &impl ConnectionTrait,
        agency: i32,
        counter: i64,
    ) -> Result<Arc<BTreeMap<NaiveDate, DayKind>>, AppError> {
        if let Some(days) = self.held(counter, |h| h.days.get(&agency).cloned()) {
            return Ok(days);
        }
        let fresh = Arc::new(special_days(db, agency).await?);
        self.keep(counter, |h| {
            h.days.insert(agency, fresh.clone());
        });
        Ok(fresh)
    }

    fn held<T>(&self, counter: i64, find: impl FnOnce(&Held) -> Option<T>) -> Option<T> {
        self.held.read().ok().filter(|h| h.counter == counter).and_then(|h| find(&h))
    }

    /// Keeps what was read at `counter` or later; an older counter's reads go.
    /// A read for a counter older than what is held is used once, not kept.
    fn keep(&self, counter: i64, put: impl FnOnce(&mut Held)) {
        if let Ok(mut held) = self.held.write()
            && held.counter <= counter
        {
            if held.counter < counter {
                *held = Held { counter, ..Held::default() };
            }
            put(&mut held);
        }
    }
}
