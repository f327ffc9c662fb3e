//! Typed columns of the entities (SeaORM `DeriveActiveEnum`): a closed list
//! stored as its strings, so a misspelt value cannot compile.

/// A `string_enum!` that is also a column type. The caller has
/// `sea_orm::entity::prelude::*` in scope.
#[macro_export]
macro_rules! db_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $crate::string_enum! {
            $(#[$meta])*
            #[derive(EnumIter, DeriveActiveEnum)]
            #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
            pub enum $name {
                $($(#[$vmeta])* #[sea_orm(string_value = $code)] $variant = $code),+
            }
        }
    };
}
