//! One criterion of a rating, on the three-level scale.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rating_id: i32,
    pub criterion: String,
    /// `rat_hai_long`, `hai_long` or `khong_hai_long`.
    pub level: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::rating::Entity", from = "Column::RatingId", to = "super::rating::Column::Id")]
    Rating,
}

impl Related<super::rating::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rating.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
