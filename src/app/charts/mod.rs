//! Charts drawn with plotters on a canvas. Each chart is a pure function from the report to what
//! it plots (testable natively) plus a thin drawing function for the browser.

pub mod load;
