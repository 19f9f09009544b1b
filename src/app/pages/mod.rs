//! One module per area of the app.

pub mod about;
pub mod consolidate;
pub mod explore;
pub mod home;
pub mod not_found;
