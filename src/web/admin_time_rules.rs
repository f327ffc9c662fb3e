//! Admins set the time rules of the dossier's life for the whole portal, an
//! agency or a procedure, from an effective moment (`sla::rules`), and the
//! days an agency works or rests unlike the national calendar; the page
//! shows what a procedure or agency ends up with and where each rule comes from.

use actix_web::HttpResponse;
use actix_web::web::Query;
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::error::{AppError, FieldError};
use crate::sla::DayKind;
use crate::sla::local_time;
use crate::sla::rules::{Level, NAMES, Override};
use crate::sla_rules::{agency_days, of_dossier, store};

const PATH: &str = "/quan-tri/quy-tac-thoi-han";
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Default, Deserialize)]
pub struct Which {
    /// `portal`, `agency` or `procedure`.
    #[serde(default)]
    pub cap: String,
    /// The agency's or procedure's code.
    #[serde(default)]
    pub ma: String,
}

/// The level `which` names, with its label; unknown codes are a field error.
async fn level_of(ui: &Ui, which: &Which) -> Result<(Level, String), AppError> {
    let db = &ui.state.db;
    let unknown = || AppError::Validation(vec![FieldError::new("ma", "invalid_choice")]);
    match which.cap.as_str() {
        "" | "portal" => Ok((Level::Portal, ui.t("time_rules_portal").to_owned())),
        "agency" => {
            let a = entity::agency::Entity::find()
                .filter(entity::agency::Column::Code.eq(which.ma.trim()))
                .one(db)
                .await?
                .ok_or_else(unknown)?;
            Ok((Level::Agency(a.id), a.name))
        }
        "procedure" => {
            let p = entity::procedure::Entity::find()
                .filter(entity::procedure::Column::Code.eq(which.ma.trim()))
                .one(db)
                .await?
                .ok_or_else(unknown)?;
            Ok((Level::Procedure(p.id), format!("{} — {}", p.code, p.name)))
        }
        _ => Err(AppError::Validation(vec![FieldError::new("cap", "invalid_choice")])),
    }
}

/// What the form typed: each rule left empty is taken from further up.
fn read_form(form: &FormData) -> (Override, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut number = |name: &'static str| -> Option<u32> {
        let text = form.get(name).trim();
        if text.is_empty() {
            return None;
        }
        text.parse().map_err(|_| errors.push(FieldError::new(name, format!("rule_{name}")))).ok()
    };
    let accept_within_hours = number("accept_within_hours");
    let supplement_timeout_days = number("supplement_timeout_days");
    let apology_lead_days = number("apology_lead_days");
    let share = form.get("due_soon_share").trim().replace(',', ".");
    let due_soon_share = if share.is_empty() {
        None
    } else {
        share.parse::<f64>().map_err(|_| errors.push(FieldError::new("due_soon_share", "rule_due_soon_share"))).ok()
    };
    let text = |name: &str| Some(form.get(name).trim().to_owned()).filter(|t| !t.is_empty());
    let rest_days = (form.get("rest_set") == "1").then(|| {
        WEEKDAYS.iter().filter(|d| form.get(&format!("rest_{d}")) == "1").cloned().collect::<Vec<_>>().join(",")
    });
    let set = Override {
        accept_within_hours,
        cutoff: text("cutoff"),
        supplement_timeout_days,
        due_soon_share,
        apology_lead_days,
        office_hours: text("office_hours"),
        rest_days,
    };
    errors.extend(set.problems().into_iter().map(|name| FieldError::new(name, format!("rule_{name}"))));
    (set, errors)
}

/// `YYYY-MM-DDTHH:MM` in Hà Nội time, as a `datetime-local` input sends it; empty is now.
fn effective_from(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(now);
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .map(local_time::to_utc)
        .map_err(|_| FieldError::new("effective_from", "not_a_date"))
}

fn shown_set(ui: &Ui, set: &Override) -> Vec<(String, String)> {
    let json = serde_json::to_value(set).unwrap_or_default();
    NAMES
        .iter()
        .filter_map(|name| {
            let v = json.get(*name)?;
            let text = if *name == "rest_days" { rest_days_vi(ui, v.as_str().unwrap_or_default()) } else { scalar(v) };
            Some((ui.t(&format!("rule_{name}")).to_owned(), text))
        })
        .collect()
}

fn scalar(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string().replace('.', ","), str::to_owned)
}

fn rest_days_vi(ui: &Ui, days: &str) -> String {
    let named: Vec<String> =
        days.split(',').filter(|d| !d.is_empty()).map(|d| ui.t(&format!("weekday_{d}")).to_owned()).collect();
    if named.is_empty() { ui.t("time_rules_no_rest_day").to_owned() } else { named.join(", ") }
}

async fn page(
    ui: &Ui,
    which: &Which,
    typed: Option<&FormData>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let db = &ui.state.db;
    let now = ui.now();
    let (level, label) = level_of(ui, which).await?;
    let versions = store::versions(db).await?;
    // What a dossier of this procedure (or a procedure of this agency) would get if submitted now.
    let (agency, procedure) = match level {
        Level::Agency(a) => (Some(a), -1),
        Level::Procedure(p) => {
            let agency = entity::procedure::Entity::find_by_id(p).one(db).await?.map(|p| p.agency_id);
            (agency, p)
        }
        _ => (None, -1),
    };
    let chain = match agency {
        Some(a) => store::chain(db, a).await?,
        None => Vec::new(),
    };
    let (rules, sources) =
        crate::sla::rules::resolve(&of_dossier::defaults(&ui.state.settings), &versions, &chain, procedure, now);
    let mut agency_names = std::collections::HashMap::new();
    for a in entity::agency::Entity::find().all(db).await? {
        agency_names.insert(a.id, a.name);
    }
    let source_label = |s: &Level| match s {
        Level::Settings => ui.t("time_rules_from_settings").to_owned(),
        Level::Portal => ui.t("time_rules_portal").to_owned(),
        Level::Agency(a) => agency_names.get(a).cloned().unwrap_or_default(),
        Level::Procedure(_) => ui.t("time_rules_this_procedure").to_owned(),
    };
    let resolved: Vec<serde_json::Value> = NAMES
        .iter()
        .zip(sources.iter())
        .map(|(name, source)| {
            let value = if *name == "rest_days" {
                rest_days_vi(ui, &rules.rest_days)
            } else {
                rules.shown(name).replace('.', ",")
            };
            serde_json::json!({"name": ui.t(&format!("rule_{name}")), "value": value, "source": source_label(source),
                "env": format!("MOTCUA_{}", name.to_uppercase())})
        })
        .collect();
    let history: Vec<serde_json::Value> = versions
        .iter()
        .filter(|v| v.level == level)
        .rev()
        .map(|v| {
            serde_json::json!({"from": crate::dossier::receipt::moment_vi(v.effective_from),
                "future": v.effective_from > now, "set": shown_set(ui, &v.set)})
        })
        .collect();
    let current = crate::sla::rules::in_force(&versions, level, now).map(|v| v.set.clone()).unwrap_or_default();
    let mut ctx = ui.form_context();
    let value = |name: &str, current: Option<String>| match typed {
        Some(form) => form.get(name).to_owned(),
        None => current.unwrap_or_default(),
    };
    let rest: Vec<String> = current.rest_days.clone().unwrap_or_default().split(',').map(str::to_owned).collect();
    ctx.insert(
        "v",
        &serde_json::json!({
            "accept_within_hours": value("accept_within_hours", current.accept_within_hours.map(|v| v.to_string())),
            "cutoff": value("cutoff", current.cutoff.clone()),
            "supplement_timeout_days": value("supplement_timeout_days", current.supplement_timeout_days.map(|v| v.to_string())),
            "due_soon_share": value("due_soon_share", current.due_soon_share.map(|v| v.to_string().replace('.', ","))),
            "apology_lead_days": value("apology_lead_days", current.apology_lead_days.map(|v| v.to_string())),
            "office_hours": value("office_hours", current.office_hours.clone()),
            "effective_from": typed.map(|f| f.get("effective_from").to_owned()).unwrap_or_default(),
            "rest_set": typed.map_or(current.rest_days.is_some(), |f| f.get("rest_set") == "1"),
            "rest": WEEKDAYS.iter().map(|d| (d.to_string(), typed.map_or(rest.iter().any(|r| r == d), |f| f.get(&format!("rest_{d}")) == "1"))).collect::<Vec<_>>(),
        }),
    );
    ctx.insert(
        "weekdays",
        &WEEKDAYS.iter().map(|d| (d.to_string(), ui.t(&format!("weekday_{d}")).to_owned())).collect::<Vec<_>>(),
    );
    ctx.insert(
        "cap",
        match level {
            Level::Agency(_) => "agency",
            Level::Procedure(_) => "procedure",
            _ => "portal",
        },
    );
    ctx.insert("ma", which.ma.trim());
    ctx.insert("label", &label);
    ctx.insert("resolved", &resolved);
    ctx.insert("history", &history);
    let agencies = entity::agency::Entity::find().order_by_asc(entity::agency::Column::Code).all(db).await?;
    ctx.insert("agencies", &agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect::<Vec<_>>());
    let procedures = entity::procedure::Entity::find().order_by_asc(entity::procedure::Column::Code).all(db).await?;
    ctx.insert("procedures", &procedures.iter().map(|p| (p.code.clone(), p.name.clone())).collect::<Vec<_>>());
    if let Level::Agency(a) = level {
        ctx.insert("days", &agency_days::of_agency(db, a).await?);
        ctx.insert("kinds", &DayKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>());
    }
    ui.render_form("admin/time_rules.html", &mut ctx, errors)
}

/// GET /quan-tri/quy-tac-thoi-han?cap=&ma=
pub async fn show(ui: Ui, which: Query<Which>) -> Result<HttpResponse, AppError> {
    page(&ui, &which, None, &[]).await
}

fn back(which: &Which) -> String {
    match which.cap.as_str() {
        "agency" | "procedure" => {
            format!(
                "{PATH}?{}",
                serde_urlencoded::to_string([("cap", which.cap.as_str()), ("ma", which.ma.trim())]).unwrap_or_default()
            )
        }
        _ => PATH.to_owned(),
    }
}

/// POST /quan-tri/quy-tac-thoi-han: a new version of one level's rules.
pub async fn save(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let which = Which { cap: form.get("cap").to_owned(), ma: form.get("ma").to_owned() };
    let (level, _) = level_of(&ui, &which).await?;
    let (set, mut errors) = read_form(&form);
    let from = effective_from(form.get("effective_from"), ui.now()).map_err(|e| errors.push(e)).ok();
    if let Some(from) = from
        && errors.is_empty()
    {
        let txn = crate::db::begin_write(&ui.state.db).await?;
        match store::save(&txn, &ui.actor(), level, &set, from, ui.now()).await {
            Ok(()) => {
                txn.commit().await?;
                return Ok(see_other(&back(&which)));
            }
            Err(AppError::Validation(more)) => errors.extend(more),
            Err(e) => return Err(e),
        }
    }
    page(&ui, &which, Some(&form), &errors).await
}

/// POST /quan-tri/quy-tac-thoi-han/ngay: a day an agency works or rests unlike the national calendar.
pub async fn save_day(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let which = Which { cap: "agency".into(), ma: form.get("ma").to_owned() };
    let (Level::Agency(agency), _) = level_of(&ui, &which).await? else { return Err(AppError::NotFound) };
    let (day, kind, name) = match crate::work_calendar::parse_day(form.get("day"), form.get("kind"), form.get("name")) {
        Ok(parsed) => parsed,
        Err(errors) => return page(&ui, &which, Some(&form), &errors).await,
    };
    let txn = crate::db::begin_write(&ui.state.db).await?;
    agency_days::save(&txn, &ui.actor(), agency, day, kind, &name, ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&back(&which)))
}

/// POST /quan-tri/quy-tac-thoi-han/ngay/xoa
pub async fn remove_day(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let which = Which { cap: "agency".into(), ma: form.get("ma").to_owned() };
    let (Level::Agency(agency), _) = level_of(&ui, &which).await? else { return Err(AppError::NotFound) };
    let txn = crate::db::begin_write(&ui.state.db).await?;
    agency_days::remove(&txn, &ui.actor(), agency, form.get("day"), ui.now()).await?;
    txn.commit().await?;
    Ok(see_other(&back(&which)))
}
