//! Demo data: the catalogue of `src/seed/catalogue.json` (procedures of the
//! Ministry of Information and Communications and the Ministry of Science and
//! Technology) and demo officials, loaded once into an empty portal; and a
//! synthetic catalogue of any size for benchmarks.

mod batch;
pub mod dossiers;
mod made_up;

use chrono::Utc;
use entity::{account, procedure};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::audit::Actor;
use crate::auth::accounts::{self, NewOfficial};
use crate::auth::role::{AccountKind, Role};
use crate::catalogue::model::ProcedureStatus;
use crate::catalogue::record::ProcedureRecord;
use crate::catalogue::transfer::{self, Catalogue};
use crate::error::AppError;

const DEMO_CATALOGUE: &str = include_str!("seed/catalogue.json");

pub fn demo_catalogue() -> Result<Catalogue, AppError> {
    serde_json::from_str(DEMO_CATALOGUE)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("src/seed/catalogue.json: {e}")))
}

/// The password of every demo official (documented in README.md; demo only).
pub const DEMO_PASSWORD: &str = "motcua-demo";

/// Demo officials: username, name, unit, roles.
pub const DEMO_OFFICIALS: &[(&str, &str, &str, &[Role])] = &[
    ("admin", "Quản trị hệ thống", "000.00.00.G12", &[Role::Admin]),
    ("tiepnhan", "Nguyễn Thị Lan", "000.01.00.G12", &[Role::Reception]),
    ("chuyenvien", "Phạm Văn Minh", "000.01.00.G12", &[Role::Specialist]),
    ("lanhdao", "Hoàng Thị Thu", "000.01.00.G12", &[Role::Leader]),
    ("canbo.hn", "Vũ Quang Huy", "000.00.20.H26", &[Role::Reception, Role::Specialist]),
];

/// Loads the demo catalogue unless the portal already has procedures, and
/// the demo officials unless it already has officials. Returns whether it
/// loaded anything.
pub async fn demo_if_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    let mut loaded = false;
    if procedure::Entity::find().count(db).await? == 0 {
        let summary = transfer::import(db, demo_catalogue()?, &Actor::system("dữ liệu mẫu"), Utc::now()).await?;
        tracing::info!(procedures = summary.procedures, "demo catalogue loaded");
        loaded = true;
    }
    let officials =
        account::Entity::find().filter(account::Column::Kind.eq(AccountKind::Official.as_str())).count(db).await?;
    if officials == 0 {
        // They share the documented demo password, so they share its one hash too.
        for (username, name, unit, roles) in DEMO_OFFICIALS {
            let new = NewOfficial {
                username: (*username).into(),
                full_name: (*name).into(),
                email: None,
                unit_code: Some((*unit).into()),
                roles: roles.to_vec(),
                password: DEMO_PASSWORD.into(),
                shared_hash: true,
            };
            accounts::create_official(db, new, Utc::now()).await?;
        }
        tracing::info!(officials = DEMO_OFFICIALS.len(), "demo officials created");
        loaded = true;
    }
    Ok(loaded)
}

const ACTIONS: &[&str] =
    &["Cấp", "Cấp lại", "Gia hạn", "Sửa đổi, bổ sung", "Điều chỉnh", "Thu hồi", "Xác nhận", "Đăng ký"];

/// Adds `count` published procedures varied from the demo ones, codes
/// `9.NNNNNN`, for load tests on a catalogue of realistic size.
pub async fn synthetic(db: &DatabaseConnection, count: usize) -> Result<usize, AppError> {
    let mut demo = demo_catalogue()?;
    let templates: Vec<ProcedureRecord> = std::mem::take(&mut demo.procedures);
    let procedures = (0..count)
        .map(|i| {
            let mut p = templates[i % templates.len()].clone();
            let action = ACTIONS[(i / templates.len()) % ACTIONS.len()];
            let object = p.name.split_once(' ').map_or(p.name.as_str(), |(_, rest)| rest).to_owned();
            p.code = format!("9.{:06}", i + 1);
            p.name = format!("{action} {object} (mẫu {})", i + 1);
            p.status = ProcedureStatus::Published;
            p
        })
        .collect();
    demo.procedures = procedures;
    Ok(transfer::import(db, demo, &Actor::system("danh mục thử tải"), Utc::now()).await?.procedures)
}
