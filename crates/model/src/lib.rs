//! The DCC traffic model for MHHS: pure Rust, no web dependencies.
//!
//! One module per concept of the field, in the order data flows:
//! - [`scenario`] holds every assumption (with [`sources`] naming where each default comes from),
//!   and [`presets`] the named starting points;
//! - [`population`] the meters (their traits kept in a [`trait_table`] for a run), [`users`] who reads them, [`service_requests`] what they send,
//!   [`schedules`] when (each batch's requests made from [`recipes`]), [`routes`] which way (DSP, CSP regions, S1SP cohorts), [`devices`] how
//!   meters answer (their [`response_times`] drawn fast), [`cache`] the S1SP cache, [`trt`] the target response times;
//! - [`simulation`] runs the day in stages: the [`dsp`] (the DCC data service, fed by the
//!   schedules and by [`existing_traffic`]) and one [`route_stage`] per route, built from
//!   [`station`]s (waiting [`line`]s and servers) and the [`calendar`]; it writes a [`report`];
//!   [`split_run`] splits it into two halves that talk by messages (for a browser's workers);
//!   [`replications`] repeats it for confidence intervals; [`series_numbers`] carries a report's series
//!   between threads as numbers, not text; [`textbook`] checks the engine against
//!   queueing theory, event by event and worked out by a [`fifo_station`] (the queuecomputer
//!   method, with no events).
//!
//! [`sizing`] asks the inverse question: what value of an assumption meets a target (a sizing
//! search), how the figures move along it (a sweep), and which assumptions move a figure most (a
//! tornado over [`sources::RANGES`]).

pub mod cache;
pub mod calendar;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod devices;
pub mod dsp;
pub mod existing_traffic;
pub mod fields;
pub mod fifo_station;
pub mod lindley;
pub mod line;
pub mod population;
pub mod presets;
pub mod preview;
pub mod recipes;
pub mod replications;
pub mod report;
pub mod response_times;
pub mod route_stage;
pub mod routes;
pub mod scenario;
pub mod schedules;
pub mod series_numbers;
pub mod service_requests;
pub mod simulation;
pub mod sizing;
pub mod sources;
pub mod split_run;
pub mod station;
#[cfg(test)]
mod test_support;
pub mod textbook;
pub mod trait_table;
pub mod trt;
pub mod users;

pub use report::Report;
pub use scenario::Scenario;
pub use simulation::{RunOptions, Simulation, run};
