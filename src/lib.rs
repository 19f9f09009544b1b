//! MP162 consultation explorer.
//!
//! Two layers, one direction of data flow (scenario → simulation → report → views):
//! - [`model`]: the DCC traffic model for MHHS in plain Rust (no web dependencies), used by the
//!   browser app, the `mp162` command line and the native tests alike — the `mp162_model` crate
//!   in `crates/model`, optimised for speed in the release build;
//! - [`consultation`]: the consultation's questions (a data file), responses, their evidence from
//!   the model and their exports, also in plain Rust;
//! - [`present`]: how figures are said in words (formats, key figures), shared by both;
//! - [`app`]: the Leptos views that run in the browser.

pub mod app;
pub mod consultation;
pub mod documents;
pub use mp162_model as model;
pub mod present;

pub use app::start;
