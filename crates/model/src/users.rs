//! The users who send requests: suppliers collecting their own MHHS data, independent MDR agents,
//! and the existing users whose traffic is there today.

use serde::Serialize;

/// A group of DCC users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UserGroup {
    /// Suppliers collecting MHHS data for their own meters (their own MDR agent).
    Supplier = 0,
    /// Independent Meter Data Retrieval agents.
    Agent = 1,
    /// Existing users and uses (billing reads, Install & Commission, prepayment ...).
    Existing = 2,
}

pub const USER_GROUPS: [UserGroup; 3] =
    [UserGroup::Supplier, UserGroup::Agent, UserGroup::Existing];

impl UserGroup {
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn from_index(i: usize) -> UserGroup {
        USER_GROUPS[i.min(2)]
    }
    pub fn label(self) -> &'static str {
        [
            "Suppliers (own MDR)",
            "Independent MDR agents",
            "Existing users",
        ][self.index()]
    }
    pub fn key(self) -> &'static str {
        ["supplier", "agent", "existing"][self.index()]
    }
}
