//! MP162 consultation explorer.
//!
//! Two layers, one direction of data flow (scenario → simulation → report → views):
//! - [`model`]: the DCC traffic model for MHHS in plain Rust (no web dependencies), used by the
//!   browser app, the `mp162` command line and the native tests alike;
//! - [`app`]: the Leptos views that run in the browser.

pub mod app;
pub mod model;

pub use app::start;
