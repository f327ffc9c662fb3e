//! Roles and account kinds.

use crate::string_enum;

string_enum! {
    pub enum Role {
        Citizen = "citizen",
        Business = "business",
        /// Bộ phận một cửa: receives dossiers online and at the counter.
        Reception = "reception",
        /// Chuyên viên thụ lý: examines and proposes.
        Specialist = "specialist",
        /// Lãnh đạo: approves, watches the unit's deadlines.
        Leader = "leader",
        Admin = "admin",
    }
}

string_enum! {
    pub enum AccountKind {
        Citizen = "citizen",
        Business = "business",
        Official = "official",
    }
}

impl Role {
    /// The roles an official may hold.
    pub const STAFF: &'static [Role] = &[Role::Reception, Role::Specialist, Role::Leader, Role::Admin];

    pub fn is_staff(self) -> bool {
        Role::STAFF.contains(&self)
    }
}
