//! How figures are said in words: number and time formats, and the key figures of a run with the
//! way a change in each is spelled out. Plain Rust, shared by the browser views and the exports.

pub mod format;
pub mod key_figures;
