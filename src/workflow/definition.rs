//! A workflow definition as written in `workflows/<key>.yaml`. Names of
//! roles, guards, effects and inputs stay text here; `check` says which
//! ones exist, with the line they are on.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub version: u32,
    pub initial: String,
    pub states: Vec<StateDef>,
    pub actions: Vec<ActionDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    /// Who works the dossier here; none in a terminal state.
    #[serde(default)]
    pub role: Option<String>,
    /// The dossier status (national code) while it is here.
    pub status: String,
    /// The step's deadline: working days, or a share of the procedure's time limit.
    #[serde(default)]
    pub budget_days: Option<f64>,
    #[serde(default)]
    pub budget_share: Option<f64>,
    /// `runs` (default), `pauses` or `restarts` (the limit starts again from zero).
    #[serde(default)]
    pub clock: Option<String>,
    /// `pool` (default: the unit's pool) or `least_loaded`.
    #[serde(default)]
    pub assign: Option<String>,
    /// How the dossier ends when it gets here; a state with an outcome is terminal.
    #[serde(default)]
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    pub from: Vec<String>,
    pub to: String,
    /// Who may take it; none for a step the portal takes itself `on` an event.
    #[serde(default)]
    pub roles: Vec<String>,
    /// A system event that takes this step (`fee_paid`), instead of a person.
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub guards: Vec<String>,
    #[serde(default)]
    pub effects: Vec<String>,
}

impl Definition {
    pub fn state(&self, key: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.key == key)
    }

    pub fn action(&self, key: &str) -> Option<&ActionDef> {
        self.actions.iter().find(|a| a.key == key)
    }
}

impl StateDef {
    pub fn is_terminal(&self) -> bool {
        self.outcome.is_some()
    }
}
