//! What the use cases stand on, owned here rather than by the web layer:
//! the database, and the rules a change is made under (settings, the mail
//! templates, the workflows, the outgoing HTTP client for the payment
//! gateway). A step that runs inside a caller's transaction takes `&Rules`,
//! which holds no pool, so it cannot write outside that transaction.

use std::ops::Deref;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::notify::Templates;
use crate::storage::Storage;
use crate::workflow_registry::Registry;

pub struct Rules {
    pub settings: Settings,
    /// The e-mail templates; only `notify` renders them.
    pub mail: Templates,
    /// The current version of each workflow (a dossier keeps its own).
    pub workflows: Registry,
    /// The versions admins activated per procedure, as this process last read them.
    pub workflows_in_use: crate::workflow_store::InUse,
    /// The published catalogue as this process keeps it (see `catalogue::published`).
    pub catalogue: std::sync::Arc<crate::catalogue::published::Cache>,
    /// Procedures as dossiers' handling reads them (see `catalogue::views`).
    pub procedures: crate::catalogue::views::Views,
    /// Time-rule versions and office calendars, kept under the catalogue's counter (see `sla_rules::kept`).
    pub time: crate::sla_rules::kept::Kept,
    /// Workflow versions this process has read (see `workflow_registry::Versions`).
    pub versions: crate::workflow_registry::Versions,
    /// Outgoing HTTP (the payment gateway, the national SSO); never follows redirects.
    pub http: reqwest::Client,
}

pub struct Context {
    pub db: DatabaseConnection,
    pub rules: Rules,
    pub storage: Storage,
    /// What "now" is for the use cases (tests set it).
    pub clock: crate::clock::Clock,
}

impl Deref for Context {
    type Target = Rules;

    fn deref(&self) -> &Rules {
        &self.rules
    }
}
