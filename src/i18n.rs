//! Interface languages: Vietnamese first, English second.
//!
//! Texts live in `src/i18n/{vi,en}.toml` as flat keys. Both files must hold
//! the same keys; a unit test keeps them in step.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

pub struct Texts {
    vi: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
    vi_json: serde_json::Value,
    en_json: serde_json::Value,
}

/// The texts as written, Vietnamese then English.
pub const SOURCES: [&str; 2] = [include_str!("i18n/vi.toml"), include_str!("i18n/en.toml")];

impl Texts {
    pub fn load() -> Result<Self, String> {
        let vi: BTreeMap<String, String> = toml::from_str(SOURCES[0]).map_err(|e| format!("src/i18n/vi.toml: {e}"))?;
        let en: BTreeMap<String, String> = toml::from_str(SOURCES[1]).map_err(|e| format!("src/i18n/en.toml: {e}"))?;
        let to_json = |m: &BTreeMap<String, String>| serde_json::to_value(m).unwrap_or_default();
        Ok(Texts { vi_json: to_json(&vi), en_json: to_json(&en), vi, en })
    }

    /// The text for `key`, or the key itself so a missing text shows up on the page.
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        let map = match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        };
        map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// All texts of a language, for templates (`tr.key`).
    pub fn all(&self, lang: Lang) -> &serde_json::Value {
        match lang {
            Lang::Vi => &self.vi_json,
            Lang::En => &self.en_json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let t = Texts::load().unwrap();
        let vi: Vec<_> = t.vi.keys().collect();
        let en: Vec<_> = t.en.keys().collect();
        assert_eq!(vi, en);
    }

    #[test]
    fn vietnamese_is_the_default() {
        let t = Texts::load().unwrap();
        assert_eq!(t.get(Lang::default(), "nav_catalogue"), "Thủ tục hành chính");
        assert_eq!(t.get(Lang::En, "nav_catalogue"), "Administrative procedures");
    }
}
