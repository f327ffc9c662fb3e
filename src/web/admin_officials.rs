//! Admin pages for officials: list, create, change roles, unit and status,
//! reset a password.

use actix_web::HttpResponse;
use actix_web::web::Path;
use entity::{account, account_role, agency};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::json;

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::audit;
use crate::auth::accounts::{self, NewOfficial, OfficialChange};
use crate::auth::role::{AccountKind, Role};
use crate::error::{AppError, FieldError};

#[derive(Serialize, Default)]
struct OfficialRow {
    id: i32,
    username: String,
    full_name: String,
    email: String,
    unit_code: String,
    unit_name: String,
    roles: Vec<String>,
    active: bool,
}

/// Every official, or only the one with `only` as id.
async fn rows(ui: &Ui, only: Option<i32>) -> Result<Vec<OfficialRow>, AppError> {
    let db = &ui.state.db;
    let mut query = account::Entity::find().filter(account::Column::Kind.eq(AccountKind::Official.as_str()));
    if let Some(id) = only {
        query = query.filter(account::Column::Id.eq(id));
    }
    let officials = query.order_by_asc(account::Column::Username).all(db).await?;
    let roles = account_role::Entity::find().all(db).await?;
    let units = agency::Entity::find().all(db).await?;
    Ok(officials
        .into_iter()
        .map(|a| {
            let unit = units.iter().find(|u| Some(u.id) == a.unit_id);
            OfficialRow {
                id: a.id,
                username: a.username.unwrap_or_default(),
                full_name: a.full_name,
                email: a.email.unwrap_or_default(),
                unit_code: unit.map(|u| u.code.clone()).unwrap_or_default(),
                unit_name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                roles: roles.iter().filter(|r| r.account_id == a.id).map(|r| r.role.clone()).collect(),
                active: a.active,
            }
        })
        .collect())
}

async fn form_page(
    ui: &Ui,
    values: &OfficialRow,
    errors: &[FieldError],
    editing: bool,
) -> Result<HttpResponse, AppError> {
    let mut units: Vec<_> = agency::Entity::find().order_by_asc(agency::Column::Code).all(&ui.state.db).await?;
    units.sort_by(|a, b| a.code.cmp(&b.code));
    let mut ctx = ui.form_context();
    ctx.insert("units", &units.iter().map(|u| (&u.code, &u.name)).collect::<Vec<_>>());
    ctx.insert("all_roles", &Role::STAFF.iter().map(|r| r.as_str()).collect::<Vec<_>>());
    ctx.insert("v", values);
    ctx.insert("editing", &editing);
    ui.render_form("admin/official_form.html", &mut ctx, errors)
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    let mut ctx = ui.form_context();
    ctx.insert("officials", &rows(&ui, None).await?);
    ui.render("admin/officials.html", &ctx)
}

pub async fn new_form(ui: Ui) -> Result<HttpResponse, AppError> {
    form_page(&ui, &OfficialRow { active: true, ..Default::default() }, &[], false).await
}

fn chosen_roles(form: &FormData) -> Vec<Role> {
    form.all("roles").into_iter().filter_map(Role::parse).collect()
}

fn values_from(form: &FormData, id: i32) -> OfficialRow {
    OfficialRow {
        id,
        username: form.get("username").trim().to_owned(),
        full_name: form.get("full_name").to_owned(),
        email: form.get("email").trim().to_owned(),
        unit_code: form.get("unit_code").to_owned(),
        roles: form.all("roles").into_iter().map(str::to_owned).collect(),
        active: id == 0 || form.checked("active"),
        ..Default::default()
    }
}

pub async fn create(ui: Ui, form: FormData) -> Result<HttpResponse, AppError> {
    let values = values_from(&form, 0);
    let new = NewOfficial {
        username: values.username.clone(),
        full_name: values.full_name.clone(),
        email: Some(values.email.clone()),
        unit_code: Some(values.unit_code.clone()),
        roles: chosen_roles(&form),
        password: form.get("password").to_owned(),
        shared_hash: false,
    };
    let now = ui.now();
    match accounts::create_official(&ui.state.db, new, now).await {
        Ok(created) => {
            let detail = json!({"roles": created.roles, "unit": values.unit_code});
            audit::record(&ui.state.db, &ui.actor(), "official_created", &created.label(), detail, now).await?;
            Ok(see_other("/quan-tri/can-bo"))
        }
        Err(AppError::Validation(errors)) => form_page(&ui, &values, &errors, false).await,
        Err(e) => Err(e),
    }
}

async fn row(ui: &Ui, id: i32) -> Result<OfficialRow, AppError> {
    rows(ui, Some(id)).await?.into_iter().next().ok_or(AppError::NotFound)
}

fn id_of(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}

pub async fn edit_form(ui: Ui, id: Path<String>) -> Result<HttpResponse, AppError> {
    let id = id_of(&id)?;
    let row = row(&ui, id).await?;
    form_page(&ui, &row, &[], true).await
}

pub async fn update(ui: Ui, id: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let id = id_of(&id)?;
    let mut values = values_from(&form, id);
    let before = row(&ui, id).await?;
    values.username = before.username.clone();
    let change = OfficialChange {
        full_name: values.full_name.clone(),
        unit_code: Some(values.unit_code.clone()),
        roles: chosen_roles(&form),
        active: values.active,
    };
    let now = ui.now();
    match accounts::update_official(&ui.state.db, id, change, now).await {
        Ok(()) => {
            let detail = json!({
                "roles": {"from": before.roles, "to": values.roles},
                "unit": {"from": before.unit_code, "to": values.unit_code},
                "active": {"from": before.active, "to": values.active},
            });
            audit::record(
                &ui.state.db,
                &ui.actor(),
                "official_updated",
                &format!("{} #{id}", before.username),
                detail,
                now,
            )
            .await?;
            Ok(see_other("/quan-tri/can-bo"))
        }
        Err(AppError::Validation(errors)) => form_page(&ui, &values, &errors, true).await,
        Err(e) => Err(e),
    }
}

pub async fn reset_password(ui: Ui, id: Path<String>, form: FormData) -> Result<HttpResponse, AppError> {
    let id = id_of(&id)?;
    let now = ui.now();
    match accounts::set_password(&ui.state.db, id, None, form.get("new_password"), now).await {
        Ok(()) => {
            audit::record(&ui.state.db, &ui.actor(), "password_reset", &format!("#{id}"), json!({}), now).await?;
            Ok(see_other("/quan-tri/can-bo"))
        }
        Err(AppError::Validation(errors)) => {
            let row = row(&ui, id).await?;
            form_page(&ui, &row, &errors, true).await
        }
        Err(e) => Err(e),
    }
}
