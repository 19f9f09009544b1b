//! The documents SECAS works with, made in the browser: the respondent's Word response in the
//! usual SEC response-form layout ([`response_form`]), and for the administrator the Word
//! collation of every response ([`collation`]) and the answers as a spreadsheet
//! ([`answers_sheet`]), each in a full and a publication-safe version. Plain Rust, tested natively;
//! the page has them written by a Web Worker loaded only when a download asks for one.
//!
//! Respondents' text goes in as text, never as markup or formulas ([`plain`]).

pub mod answers_sheet;
pub mod collation;
pub mod plain;
pub mod response_form;
pub mod word;

/// MIME types of the files.
pub const DOCX_MIME: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
