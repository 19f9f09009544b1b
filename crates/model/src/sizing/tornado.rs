//! Sensitivity as a tornado: every assumption with a plausible range (`sources::RANGES`) run at
//! its low and its high end, the others as the scenario has them, and the bars sorted by how far
//! they swing a figure. One plan serves every figure: its runs give them all.

use serde::{Deserialize, Serialize};

use super::levers::Lever;
use super::{Job, figure_stats, mean_of, seeded};
use crate::report::Headline;
use crate::scenario::Scenario;
use crate::sources::{Basis, RANGES, Range};

/// A planned tornado: the base run, then each range's low and high runs (`seeds` each).
#[derive(Clone, Debug)]
pub struct Tornado {
    pub arms: Vec<Arm>,
    /// Ranges left out, with why (the scenario cannot take an end of the range).
    pub skipped: Vec<String>,
    pub seeds: u32,
    pub sample: f64,
    pub jobs: Vec<Job>,
}

/// One ranged assumption of the plan.
#[derive(Clone, Debug)]
pub struct Arm {
    pub range: &'static Range,
    pub lever: Lever,
    pub low: f64,
    pub high: f64,
}

/// One bar: a figure at an assumption's low and high ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub field: String,
    pub lever: String,
    /// A short name for charts.
    pub label: String,
    pub unit: String,
    pub low: f64,
    pub high: f64,
    pub at_low: f64,
    pub at_high: f64,
    /// |at_high − at_low|.
    pub swing: f64,
    pub basis: Basis,
    pub why: String,
}

/// A tornado of one figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bars {
    pub figure: String,
    /// The figure as the scenario has every assumption.
    pub base: f64,
    pub sample: f64,
    pub seeds: u32,
    /// Widest swing first.
    pub bars: Vec<Bar>,
    pub skipped: Vec<String>,
}

impl Tornado {
    /// Plans the runs for `base`: every range whose ends make a scenario that validates.
    pub fn plan(base: &Scenario, sample: f64, seeds: u32) -> Tornado {
        Tornado::plan_holding(base, sample, seeds, &[])
    }

    /// As [`Tornado::plan`], holding the fields under each of `held` as `base` has them (a
    /// respondents' load gives its own meters and schedules; a capacity sized is not in doubt).
    pub fn plan_holding(base: &Scenario, sample: f64, seeds: u32, held: &[String]) -> Tornado {
        let mut arms = Vec::new();
        let mut skipped = Vec::new();
        let mut jobs = seeded(base.clone(), sample, seeds);
        let is_held = |field: &str| held.iter().any(|h| crate::fields::concerns(h, field));
        for range in RANGES {
            if is_held(range.field) {
                skipped.push(format!("{}: held as the scenario has it", range.field));
                continue;
            }
            let lever = match Lever::new(base, range.lever) {
                Ok(l) => l,
                Err(e) => {
                    skipped.push(format!("{}: {}", e.field, e.message));
                    continue;
                }
            };
            match (lever.at(base, range.low), lever.at(base, range.high)) {
                (Ok(lo), Ok(hi)) => {
                    jobs.extend(seeded(lo, sample, seeds));
                    jobs.extend(seeded(hi, sample, seeds));
                    arms.push(Arm {
                        range,
                        low: range.low,
                        high: range.high,
                        lever,
                    });
                }
                (Err(p), _) | (_, Err(p)) => skipped.push(format!(
                    "{}: this scenario cannot take {} to {} ({})",
                    range.lever,
                    range.low,
                    range.high,
                    p.first()
                        .map_or(String::new(), |p| format!("{}: {}", p.field, p.message))
                )),
            }
        }
        Tornado {
            arms,
            skipped,
            seeds,
            sample,
            jobs,
        }
    }

    /// The bars of `figure` from the jobs' headlines (in the jobs' order), widest swing first.
    pub fn bars(&self, figure: &str, headlines: &[Headline]) -> Bars {
        let per = self.seeds.max(1) as usize;
        let mut chunks = headlines.chunks(per);
        let base = chunks
            .next()
            .map_or(f64::NAN, |h| mean_of(&figure_stats(h), figure));
        let mut bars: Vec<Bar> = self
            .arms
            .iter()
            .map(|arm| {
                let at_low = chunks
                    .next()
                    .map_or(f64::NAN, |h| mean_of(&figure_stats(h), figure));
                let at_high = chunks
                    .next()
                    .map_or(f64::NAN, |h| mean_of(&figure_stats(h), figure));
                Bar {
                    field: arm.range.field.to_string(),
                    lever: arm.lever.path.clone(),
                    label: arm.range.label.to_string(),
                    unit: arm.lever.unit().to_string(),
                    low: arm.low,
                    high: arm.high,
                    at_low,
                    at_high,
                    swing: (at_high - at_low).abs(),
                    basis: arm.range.basis,
                    why: arm.range.why.to_string(),
                }
            })
            .collect();
        bars.sort_by(|a, b| b.swing.total_cmp(&a.swing).then(a.lever.cmp(&b.lever)));
        Bars {
            figure: figure.to_string(),
            base,
            sample: self.sample,
            seeds: self.seeds,
            bars,
            skipped: self.skipped.clone(),
        }
    }
}
