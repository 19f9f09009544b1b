//! The consultation: its [`questions`] (a data file per consultation), a respondent's
//! [`response`] (answers, completion, evidence; one versioned JSON format for drafts and final
//! responses), the [`portfolio`] scenario built from their answers, the model [`evidence`] beside
//! each technical question, and the [`export`]s. Plain Rust, tested natively.

pub mod capacity;
pub mod consolidate;
pub mod consolidated_report;
pub mod evidence;
pub mod export;
pub mod merge;
pub mod portfolio;
pub mod questions;
pub mod response;
pub mod robustness;
