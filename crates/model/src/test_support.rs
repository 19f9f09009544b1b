//! What the model's unit tests share: a small scenario that exercises every stage, and a report
//! with its wall-clock time taken out (the one figure that differs between equal runs).

use super::report::Report;
use super::scenario::Scenario;

/// 200,000 meters with the cache on and agents that do not always pass data on: every stage of
/// a run has work, including retries and cache hits.
pub fn small() -> Scenario {
    let mut s = Scenario::default();
    s.population.meters = 200_000;
    s.cache.enabled = true;
    s.users.agent_passes_data_on = 0.3;
    s
}

/// The report as JSON, without its wall-clock time.
pub fn without_clock(r: &Report) -> String {
    let mut r = r.clone();
    r.wall_seconds = 0.0;
    serde_json::to_string(&r).expect("report serialises")
}
