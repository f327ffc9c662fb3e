//! The catalogue's query string, shared by the page and the API: parsed into
//! a search filter, with unknown values refused rather than ignored.

use serde::{Deserialize, Serialize};

use crate::catalogue::model::{ApplicantType, OnlineMode, ProcedureStatus};
use crate::catalogue::search::{Filter, MAX_PER_PAGE};
use crate::catalogue::store::Refs;
use crate::error::{AppError, FieldError};

/// What a page's agency, field and mode choices list: agencies by code, fields by name.
pub fn insert_choices(ctx: &mut tera::Context, refs: &Refs) {
    let mut agencies: Vec<_> = refs.agencies.values().map(|a| (&a.code, &a.name)).collect();
    agencies.sort();
    let mut fields: Vec<_> = refs.fields.values().map(|f| (&f.code, &f.name)).collect();
    fields.sort_by(|a, b| a.1.cmp(b.1));
    ctx.insert("agencies", &agencies);
    ctx.insert("fields", &fields);
    ctx.insert("modes", &OnlineMode::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>());
}

pub const PAGE_SIZE: u64 = 20;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CatalogueQuery {
    pub q: Option<String>,
    pub agency: Option<String>,
    pub field: Option<String>,
    pub mode: Option<String>,
    pub applicant: Option<String>,
    pub status: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub struct Parsed {
    pub filter: Filter,
    pub page: u64,
    pub per_page: u64,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CatalogueQuery {
    pub fn parse(&self) -> Result<Parsed, AppError> {
        let mut errors = Vec::new();
        let mut pick = |name: &str, value: &Option<String>, parse: &dyn Fn(&str) -> bool| {
            if let Some(v) = present(value)
                && !parse(v)
            {
                errors.push(FieldError::new(name, "invalid_choice"));
            }
        };
        pick("mode", &self.mode, &|v| OnlineMode::parse(v).is_some());
        pick("applicant", &self.applicant, &|v| ApplicantType::parse(v).is_some());
        pick("status", &self.status, &|v| ProcedureStatus::parse(v).is_some());
        let number =
            |name: &str, v: &Option<String>, max: u64, default: u64, errors: &mut Vec<FieldError>| match present(v) {
                None => default,
                Some(text) => match text.parse::<u64>() {
                    Ok(n) if (1..=max).contains(&n) => n,
                    _ => {
                        errors.push(FieldError::new(name, "invalid_number"));
                        default
                    }
                },
            };
        let page = number("page", &self.page, 100_000, 1, &mut errors);
        let per_page = number("per_page", &self.per_page, MAX_PER_PAGE, PAGE_SIZE, &mut errors);
        if present(&self.q).is_some_and(|q| q.chars().count() > 200) {
            errors.push(FieldError::new("q", "too_long"));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let filter = Filter {
            q: present(&self.q).map(str::to_owned),
            agency: present(&self.agency).map(str::to_owned),
            field: present(&self.field).map(str::to_owned),
            mode: present(&self.mode).and_then(OnlineMode::parse),
            applicant: present(&self.applicant).and_then(ApplicantType::parse),
            status: present(&self.status).and_then(ProcedureStatus::parse),
        };
        Ok(Parsed { filter, page, per_page })
    }

    /// The query string of the same search on another page.
    pub fn page_url(&self, base: &str, page: u64) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("agency", &self.agency),
            ("field", &self.field),
            ("mode", &self.mode),
            ("applicant", &self.applicant),
            ("status", &self.status),
        ] {
            if let Some(v) = present(v) {
                pairs.push((k, v));
            }
        }
        let page = page.to_string();
        pairs.push(("page", &page));
        format!("{base}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}
