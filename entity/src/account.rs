//! A person who signs in: a citizen or business (through the national
//! single sign-on) or an official (username and password).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `citizen`, `business` or `official`.
    pub kind: String,
    #[sea_orm(unique)]
    pub username: Option<String>,
    pub password_hash: Option<String>,
    /// The national SSO subject (`sub`), for applicants.
    #[sea_orm(unique)]
    pub sso_subject: Option<String>,
    /// LoaiTaiKhoan of the national SSO: 1 citizen, 2 business, 3 organisation.
    pub account_type: Option<i32>,
    /// SoDinhDanh: the 12-digit personal identification number.
    pub citizen_id: Option<String>,
    pub tax_code: Option<String>,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vneid_verified: bool,
    /// The official's unit (an agency row).
    pub unit_id: Option<i32>,
    pub active: bool,
    /// Bumped by "sign out everywhere": sessions of an older epoch are void.
    pub session_epoch: i32,
    pub last_sign_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::account_role::Entity")]
    Role,
}

impl Related<super::account_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Role.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
