//! Sizing: the least value of a lever that meets every target (or the greatest, when the targets
//! are met below a value and missed above it, as a cost-like field would be).
//!
//! The search is a state machine so that any runner can drive it: ask [`Search::jobs`], run them
//! (native threads, Web Workers), hand the headlines to [`Search::record`], until
//! [`Search::outcome`] is set. It works in two stages:
//! 1. at a sample ([`super::SEARCH_SAMPLE`], the explorer's preview, unless told otherwise) it
//!    starts at the lever's plausible range (`sources::RANGES`), widens by factors of four (then to
//!    the ends of the values a scenario may take) until one value meets the targets and one does not,
//!    then narrows that bracket, several values a round (one per core or worker), to 0.5%;
//! 2. at full scale (unless the caller ran the search at a sample of its own choosing) it checks
//!    the answer, and walks from it, 2%, 4%, 8% ... until the outcome flips, then narrows that
//!    bracket to 1%. A figure a preview cannot show honestly is settled here.
//!
//! Every value runs under the same seeds; with several seeds a value meets a target when the
//! figure's mean over the seeds does.

use serde::Serialize;

use super::levers::{Lever, LeverKind};
use super::targets::Target;
use super::{FigureStat, Job, figure_stats, mean_of, seeded};
use crate::report::Headline;
use crate::scenario::Scenario;

/// How the search runs.
#[derive(Clone, Debug)]
pub struct SearchSpec {
    pub targets: Vec<Target>,
    pub seeds: u32,
    /// The share of GB the first stage runs at.
    pub sample: f64,
    /// Check (and settle) the answer at full scale.
    pub confirm: bool,
    /// Values run at once in a round of the first stage (cores or workers).
    pub width: usize,
}

/// Which end of the lever's range meets the targets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Solve {
    /// Met above the answer, missed below it (a capacity).
    Least,
    /// Met below the answer, missed above it (a load or a delay).
    Greatest,
}

/// One value run, with its figures over the seeds.
#[derive(Clone, Debug, Serialize)]
pub struct Probe {
    pub value: f64,
    pub sample: f64,
    pub met: bool,
    pub figures: Vec<FigureStat>,
}

/// The answer of a search.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub field: String,
    pub lever: LeverKind,
    pub unit: &'static str,
    pub solve: Solve,
    /// The answer: the least (or greatest) value found to meet every target.
    pub value: f64,
    /// The moved field at the answer (a scaled group's numbers, a shifted window).
    pub field_value: serde_json::Value,
    pub targets: Vec<String>,
    /// The figures at the answer.
    pub met_at: Vec<FigureStat>,
    /// The nearest value found that misses a target (below the answer for `Least`), and its figures.
    pub not_met_value: f64,
    pub not_met: Vec<FigureStat>,
    /// The sample the answer was settled at (1 = full scale).
    pub sample: f64,
    pub seeds: u32,
    /// The first stage's answer, at its sample.
    pub search_value: f64,
    pub search_sample: f64,
    pub runs: Vec<Probe>,
    pub notes: Vec<String>,
}

struct Stage {
    sample: f64,
    width: usize,
    full_scale: bool,
    probes: Vec<Probe>,
    /// Widenings made so far (each step of the full-scale walk doubles).
    widenings: i32,
    rounds: u32,
}

/// A sizing search in progress.
pub struct Search {
    base: Scenario,
    lever: Lever,
    spec: SearchSpec,
    bounds: (f64, f64),
    stage: Stage,
    solve: Option<Solve>,
    first_stage: Option<(f64, f64)>,
    pending: Vec<f64>,
    runs: Vec<Probe>,
    notes: Vec<String>,
    outcome: Option<Result<Answer, String>>,
}

const MAX_ROUNDS: u32 = 80;

impl Search {
    /// Starts a search for `path` in `base`; a bad field or an empty target list is refused.
    pub fn new(base: &Scenario, path: &str, spec: SearchSpec) -> Result<Search, String> {
        if spec.targets.is_empty() {
            return Err(
                "size: give at least one --target, e.g. 'mhhs_delivered_by_needed_by>=0.95'".into(),
            );
        }
        let lever =
            Lever::new(base, path).map_err(|e| format!("--field {}: {}", e.field, e.message))?;
        let problems = base.validate();
        if let Some(p) = problems.first() {
            return Err(format!(
                "the scenario cannot run: {}: {}",
                p.field, p.message
            ));
        }
        let bounds = lever.valid_bounds(base);
        let mut notes = Vec::new();
        for t in &spec.targets {
            if !crate::preview::shows(t.figure) && spec.sample < 1.0 {
                notes.push(format!(
                    "{}: a preview cannot show it honestly ({}); {}",
                    t.figure,
                    crate::preview::agreement(t.figure).map_or("", |a| a.why),
                    if spec.confirm {
                        "the full-scale stage settles it"
                    } else {
                        "this answer is at the sample asked for, not at full scale"
                    }
                ));
            }
        }
        let start = initial_values(&lever, base, bounds);
        let stage = Stage {
            sample: spec.sample,
            width: spec.width.max(1),
            full_scale: spec.sample >= 1.0,
            probes: Vec::new(),
            widenings: 0,
            rounds: 0,
        };
        Ok(Search {
            base: base.clone(),
            lever,
            spec,
            bounds,
            stage,
            solve: None,
            first_stage: None,
            pending: start,
            runs: Vec::new(),
            notes,
            outcome: None,
        })
    }

    /// The smallest and largest values the field may take.
    pub fn bounds(&self) -> (f64, f64) {
        self.bounds
    }

    /// The runs of the next round (empty once the outcome is set).
    pub fn jobs(&self) -> Vec<Job> {
        if self.outcome.is_some() {
            return Vec::new();
        }
        self.pending
            .iter()
            .flat_map(|&x| {
                // Every pending value was checked to make a valid scenario when it was chosen.
                let s = self
                    .lever
                    .at(&self.base, x)
                    .unwrap_or_else(|_| self.base.clone());
                seeded(s, self.stage.sample, self.spec.seeds)
            })
            .collect()
    }

    /// Hands back the headlines of [`Search::jobs`], in their order, and plans the next round.
    pub fn record(&mut self, headlines: &[Headline]) {
        let per = self.spec.seeds.max(1) as usize;
        let pending = std::mem::take(&mut self.pending);
        for (&value, hs) in pending.iter().zip(headlines.chunks(per)) {
            let figures = figure_stats(hs);
            let met = self
                .spec
                .targets
                .iter()
                .all(|t| t.met(mean_of(&figures, t.figure)));
            let probe = Probe {
                value,
                sample: self.stage.sample,
                met,
                figures,
            };
            self.runs.push(probe.clone());
            self.stage.probes.push(probe);
        }
        self.stage
            .probes
            .sort_by(|a, b| a.value.total_cmp(&b.value));
        self.stage.rounds += 1;
        self.plan();
    }

    /// The result once the search has finished: the answer, or why there is none.
    pub fn outcome(&self) -> Option<&Result<Answer, String>> {
        self.outcome.as_ref()
    }

    /// How many model runs the search has made.
    pub fn runs_made(&self) -> usize {
        self.runs.len() * self.spec.seeds.max(1) as usize
    }

    fn fail(&mut self, message: String) {
        self.outcome = Some(Err(message));
    }

    fn at_scale(&self) -> &'static str {
        if self.stage.full_scale {
            " at full scale"
        } else {
            " at the search's sample"
        }
    }

    fn plan(&mut self) {
        if self.stage.rounds > MAX_ROUNDS {
            let field = self.lever.path.clone();
            return self.fail(format!(
                "{field}: the search did not settle in {MAX_ROUNDS} rounds"
            ));
        }
        let probes = &self.stage.probes;
        let boundary = probes
            .windows(2)
            .find(|w| {
                w[0].met != w[1].met
                    && match self.solve {
                        Some(Solve::Least) => w[1].met,
                        Some(Solve::Greatest) => w[0].met,
                        None => true,
                    }
            })
            .or_else(|| probes.windows(2).find(|w| w[0].met != w[1].met));
        if let Some(w) = boundary {
            let (miss, hit) = if w[1].met {
                (&w[0], &w[1])
            } else {
                (&w[1], &w[0])
            };
            let (miss, hit) = (miss.clone(), hit.clone());
            self.solve = Some(if hit.value > miss.value {
                Solve::Least
            } else {
                Solve::Greatest
            });
            let between = self.interior(miss.value, hit.value);
            if between.is_empty() {
                return self.settled(miss, hit);
            }
            self.pending = between;
            return;
        }
        // No bracket yet: widen towards where the outcome should flip.
        let all_met = probes.iter().all(|p| p.met);
        let (lo, hi) = (probes[0].clone(), probes[probes.len() - 1].clone());
        let (down, up) = match self.solve {
            Some(Solve::Least) => (all_met, !all_met),
            Some(Solve::Greatest) => (!all_met, all_met),
            None => {
                let (s_lo, s_hi) = (self.worst_slack(&lo), self.worst_slack(&hi));
                if (s_lo - s_hi).abs() <= 1e-12 * (1.0 + s_lo.abs()) {
                    (true, true)
                } else if all_met {
                    // Head for the worse end, where a target should start to fail.
                    (s_lo < s_hi, s_hi < s_lo)
                } else {
                    // Head for the better end, where the targets should start to be met.
                    (s_lo > s_hi, s_hi > s_lo)
                }
            }
        };
        let mut next = Vec::new();
        if down && let Some(x) = self.widen(lo.value, -1.0) {
            next.push(x);
        }
        if up && let Some(x) = self.widen(hi.value, 1.0) {
            next.push(x);
        }
        if next.is_empty() {
            return self.unbracketed(all_met);
        }
        self.stage.widenings += 1;
        self.pending = next;
    }

    /// Why no bracket can be found, once the field's whole range has been tried.
    fn unbracketed(&mut self, all_met: bool) {
        let field = self.lever.path.clone();
        let probes = &self.stage.probes;
        let (lo, hi) = (&probes[0], &probes[probes.len() - 1]);
        let figures: Vec<String> = self
            .spec
            .targets
            .iter()
            .map(|t| {
                format!(
                    "{} {:.4} at {} and {:.4} at {}",
                    t.figure,
                    mean_of(&lo.figures, t.figure),
                    lo.value,
                    mean_of(&hi.figures, t.figure),
                    hi.value
                )
            })
            .collect();
        let unmoved = self.spec.targets.iter().all(|t| {
            let v: Vec<f64> = probes
                .iter()
                .map(|p| mean_of(&p.figures, t.figure))
                .collect();
            v.iter()
                .all(|x| (x - v[0]).abs() <= 1e-12 * (1.0 + v[0].abs()))
        });
        let targets = self.targets_text();
        let scale = self.at_scale();
        let (b_lo, b_hi) = self.bounds;
        let message = if unmoved {
            format!(
                "{field}: the figure does not move with this field ({}){scale}, so no value of it decides {targets}; size another field",
                figures.join("; ")
            )
        } else if all_met {
            format!(
                "{field}: {targets} is met at every value tried, up to the ends of what the field may take ({b_lo} to {b_hi}){scale} ({}), so this field does not limit it",
                figures.join("; ")
            )
        } else {
            format!(
                "{field}: no value meets {targets}{scale}, up to the ends of what the field may take ({b_lo} to {b_hi}): {}; something else limits the figure, so relax the target or size another field (`mp162 sensitivity` shows what moves it)",
                figures.join("; ")
            )
        };
        self.fail(message);
    }

    fn targets_text(&self) -> String {
        self.spec
            .targets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// The smallest slack over the targets, each relative to its target value, so that targets in
    /// different units compare.
    fn worst_slack(&self, p: &Probe) -> f64 {
        self.spec
            .targets
            .iter()
            .map(|t| t.slack(mean_of(&p.figures, t.figure)) / t.value.abs().max(1e-9))
            .fold(f64::INFINITY, f64::min)
    }

    /// The next value past `x` in direction `dir` (−1 down, +1 up), or `None` at the bound.
    fn widen(&self, x: f64, dir: f64) -> Option<f64> {
        let (lo, hi) = self.bounds;
        let k = self.stage.widenings;
        let y = if self.stage.full_scale && self.first_stage.is_some() {
            // The full-scale walk: 2%, 4%, 8% ... of the value (or small steps of a window).
            let step = 0.02 * 2f64.powi(k);
            match self.lever.kind {
                LeverKind::Shift => x + dir * 0.1 * 2f64.powi(k),
                LeverKind::Share { .. } => x + dir * 0.005 * 2f64.powi(k),
                _ if x > 0.0 => x * (1.0 + dir * step).max(0.25),
                _ => x + dir * (hi - lo) * 1e-3 * 2f64.powi(k),
            }
        } else if k >= 4 {
            // Four widenings found no flip: try the end of what the field may take.
            if dir < 0.0 { lo } else { hi }
        } else {
            match self.lever.kind {
                LeverKind::Shift => x + dir * 2.0,
                LeverKind::Share { .. } => {
                    if dir < 0.0 {
                        x / 2.0
                    } else {
                        (1.0 + x) / 2.0
                    }
                }
                _ if x > 0.0 => {
                    if dir < 0.0 {
                        x / 4.0
                    } else {
                        x * 4.0
                    }
                }
                _ => x + dir * (hi - lo) / 1024.0,
            }
        };
        let y = self.lever.normalise(y.clamp(lo, hi));
        let known = self.stage.probes.iter().any(|p| p.value == y);
        (!known && self.lever.at(&self.base, y).is_ok()).then_some(y)
    }

    /// Values to run strictly between `a` and `b` (empty once the bracket is narrow enough).
    fn interior(&self, a: f64, b: f64) -> Vec<f64> {
        let (lo, hi) = (a.min(b), a.max(b));
        let width = if self.stage.full_scale && self.first_stage.is_some() {
            1
        } else {
            self.stage.width
        };
        let rel = if self.stage.full_scale && self.first_stage.is_some() {
            0.01
        } else {
            0.005
        };
        let narrow = match self.lever.kind {
            LeverKind::Shift => hi - lo <= 0.05,
            LeverKind::Share { .. } => hi - lo <= 0.002,
            _ => {
                hi - lo <= rel * hi.abs().max(lo.abs()) || (self.lever.integer() && hi - lo <= 1.0)
            }
        };
        if narrow {
            return Vec::new();
        }
        let geometric = self.lever.multiplicative(lo) && hi / lo > 1.5;
        let mut out: Vec<f64> = (1..=width)
            .map(|j| {
                let t = j as f64 / (width + 1) as f64;
                let x = if geometric {
                    lo * (hi / lo).powf(t)
                } else {
                    lo + (hi - lo) * t
                };
                self.lever.normalise(x)
            })
            .filter(|&x| x > lo && x < hi && self.lever.at(&self.base, x).is_ok())
            .collect();
        out.dedup();
        out
    }

    /// The stage has its answer `hit` beside `miss`: finish, or check it at full scale.
    fn settled(&mut self, miss: Probe, hit: Probe) {
        if self.first_stage.is_none() && self.spec.confirm && !self.stage.full_scale {
            self.first_stage = Some((hit.value, self.stage.sample));
            self.stage = Stage {
                sample: 1.0,
                width: 1,
                full_scale: true,
                probes: Vec::new(),
                widenings: 0,
                rounds: 0,
            };
            self.pending = vec![hit.value];
            return;
        }
        let solve = self.solve.unwrap_or(Solve::Least);
        let (search_value, search_sample) =
            self.first_stage.unwrap_or((hit.value, self.stage.sample));
        if self.first_stage.is_some() && (search_value - hit.value).abs() > 1e-12 {
            self.notes.push(format!(
                "the full-scale runs moved the answer from {search_value} (at a sample of {search_sample}) to {}",
                hit.value
            ));
        }
        self.outcome = Some(Ok(Answer {
            field: self.lever.path.clone(),
            lever: self.lever.kind,
            unit: self.lever.unit(),
            solve,
            value: hit.value,
            field_value: self.lever.shown_at(&self.base, hit.value),
            targets: self.spec.targets.iter().map(ToString::to_string).collect(),
            met_at: hit.figures,
            not_met_value: miss.value,
            not_met: miss.figures,
            sample: self.stage.sample,
            seeds: self.spec.seeds.max(1),
            search_value,
            search_sample,
            runs: self.runs.clone(),
            notes: self.notes.clone(),
        }));
    }
}

/// Where the first stage starts: the lever's plausible range, else half and twice its value.
fn initial_values(lever: &Lever, base: &Scenario, (lo, hi): (f64, f64)) -> Vec<f64> {
    let x0 = lever.value_in(base);
    let ranged = crate::sources::RANGES
        .iter()
        .find(|r| r.lever == lever.path)
        .map(|r| (r.low, r.high));
    let (a, b) = ranged.unwrap_or(match lever.kind {
        LeverKind::Shift => (-1.0, 1.0),
        LeverKind::Share { .. } => (x0 / 2.0, (1.0 + x0) / 2.0),
        _ if x0 > 0.0 => (x0 / 2.0, x0 * 2.0),
        _ => (lo, lo + (hi - lo) / 1024.0),
    });
    let mut out: Vec<f64> = [a, b]
        .iter()
        .map(|x| lever.normalise(x.clamp(lo, hi)))
        .filter(|&x| lever.at(base, x).is_ok())
        .collect();
    out.dedup();
    if out.len() < 2 {
        out = vec![lo, hi];
        out.dedup();
    }
    out
}
