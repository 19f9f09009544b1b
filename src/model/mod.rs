//! The DCC traffic model for MHHS: pure Rust, no web dependencies.
//!
//! One module per concept of the field, in the order data flows:
//! - [`scenario`] holds every assumption (with [`sources`] naming where each default comes from),
//!   and [`presets`] the named starting points;
//! - [`population`] the meters, [`users`] who reads them, [`service_requests`] what they send,
//!   [`schedules`] when, [`routes`] which way (DSP, CSP regions, S1SP cohorts), [`devices`] how
//!   meters answer, [`cache`] the S1SP cache, [`trt`] the target response times;
//! - [`simulation`] runs the day on the [`calendar`] and [`station`]s and writes a [`report`];
//!   [`replications`] repeats it for confidence intervals; [`textbook`] checks the engine against
//!   queueing theory.

pub mod calendar;
pub mod station;
pub mod textbook;
