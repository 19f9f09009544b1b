//! What would it take? Sweeps, sizing searches and tornadoes over the model's assumptions.
//!
//! - [`levers`] turn one number into a scenario (a field set, a group scaled, a window shifted);
//! - [`targets`] read goals such as `mhhs_delivered_by_needed_by>=0.95`;
//! - [`sweep`] runs a lever over a list of values;
//! - [`search`] finds the least (or greatest) value of a lever that meets the targets;
//! - [`tornado`] runs every ranged assumption (`sources::RANGES`) at its low and high end;
//! - [`tasks`] cut that work into pieces a Web Worker can each do alone.
//!
//! Each plans its runs as [`Job`]s and reads back their [`Headline`]s in the same order, so the
//! same plan runs on native threads ([`run_jobs`]) or in a browser's Web Workers. Every value is
//! run under the same seeds (common random numbers): two values differ by the lever alone, not by
//! luck, so a curve is smooth and more capacity never looks worse by chance.

pub mod levers;
pub mod search;
pub mod sweep;
pub mod targets;
pub mod tasks;
pub mod tornado;

use serde::{Deserialize, Serialize};

use crate::replications::interval;
use crate::report::Headline;
use crate::scenario::Scenario;
use crate::simulation::{RunOptions, run};

/// The share of GB a sizing search or tornado runs at by default: the explorer's preview, whose
/// figures agree with a full run within `preview::PREVIEW_AGREEMENT`.
pub const SEARCH_SAMPLE: f64 = 0.0005;

/// One model run to make.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub scenario: Scenario,
    pub sample: f64,
}

impl Job {
    /// Runs it here, on one thread for a sample and split across threads at full scale.
    pub fn run(&self) -> Headline {
        run(
            &self.scenario,
            RunOptions {
                sample: self.sample,
                series: false,
                threads: if self.sample >= 1.0 { 0 } else { 1 },
            },
        )
        .headline()
    }
}

/// The jobs for one value: the scenario under each of `seeds` seeds (the scenario's own first).
pub fn seeded(scenario: Scenario, sample: f64, seeds: u32) -> Vec<Job> {
    (0..seeds.max(1) as u64)
        .map(|i| Job {
            scenario: Scenario {
                seed: scenario.seed.wrapping_add(i),
                ..scenario.clone()
            },
            sample,
        })
        .collect()
}

/// Runs jobs on every core natively (full-scale jobs one after another, each split across
/// threads, so memory stays that of one run). Results come back in the jobs' order.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_jobs(jobs: &[Job]) -> Vec<Headline> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut out: Vec<Option<Headline>> = vec![None; jobs.len()];
    let (full, sampled): (Vec<usize>, Vec<usize>) =
        (0..jobs.len()).partition(|&i| jobs[i].sample >= 1.0);
    for i in full {
        out[i] = Some(jobs[i].run());
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(&mut out);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(sampled.len()) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = sampled.get(k) else { break };
                    let h = jobs[i].run();
                    done.lock().expect("no thread panics holding it")[i] = Some(h);
                }
            });
        }
    });
    out.into_iter().map(|h| h.expect("every job ran")).collect()
}

/// One key figure over the seeds of one value: its mean and 95% confidence half-width.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureStat {
    pub figure: String,
    pub mean: f64,
    pub half_width_95: f64,
}

/// Every key figure over the headlines of one value's seeds.
pub fn figure_stats(headlines: &[Headline]) -> Vec<FigureStat> {
    let Some(first) = headlines.first() else {
        return Vec::new();
    };
    let named: Vec<Vec<(&'static str, f64)>> = headlines
        .iter()
        .map(crate::preview::named_figures)
        .collect();
    crate::preview::named_figures(first)
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let values: Vec<f64> = named.iter().map(|n| n[i].1).collect();
            let iv = interval(name, values);
            FigureStat {
                figure: (*name).to_string(),
                mean: iv.mean,
                half_width_95: iv.half_width_95,
            }
        })
        .collect()
}

/// The mean of `figure` in `stats` (NaN if absent).
pub fn mean_of(stats: &[FigureStat], figure: &str) -> f64 {
    stats
        .iter()
        .find(|s| s.figure == figure)
        .map_or(f64::NAN, |s| s.mean)
}

/// The DCC policies a frontier compares: the scenario's requests released as users ask, smoothed
/// under the smoothing cap, or MHHS-flagged requests moved into their own window.
pub const POLICIES: [&str; 3] = ["as requested", "smoothed", "MHHS window"];

/// `base` under policy `i` of [`POLICIES`] (its other assumptions unchanged).
pub fn under_policy(base: &Scenario, i: usize) -> Scenario {
    let mut s = base.clone();
    s.policy.smoothing = i == 1;
    s.policy.mhhs_window_on = i == 2;
    s
}

/// One round of several searches at once: every unfinished search's jobs, one list, and where
/// each search's part of it lies.
pub fn next_round(searches: &[search::Search]) -> (Vec<Job>, Vec<(usize, std::ops::Range<usize>)>) {
    let mut jobs = Vec::new();
    let mut spans = Vec::new();
    for (i, s) in searches.iter().enumerate() {
        let part = s.jobs();
        if !part.is_empty() {
            spans.push((i, jobs.len()..jobs.len() + part.len()));
            jobs.extend(part);
        }
    }
    (jobs, spans)
}

/// Hands each search its part of a round's headlines (see [`next_round`]).
pub fn record_round(
    searches: &mut [search::Search],
    spans: &[(usize, std::ops::Range<usize>)],
    headlines: &[Headline],
) {
    for (i, span) in spans {
        if let Some(part) = headlines.get(span.clone()) {
            searches[*i].record(part);
        }
    }
}
