//! The simulation of a day of DCC traffic: every request of every meter (or of a sample of them)
//! through the DSP, its route and its device, event by event.
//!
//! Flow: schedules fire batches and existing users send on-demand requests → the [`Dsp`] (one
//! sequential server at its throughput, DCC policy deciding what it releases) → the six
//! [`RouteStage`]s: a CSP's in-flight slots, or an S1SP cohort's sequential handler, its cache,
//! then its in-flight slots → the device answers, fails, or never answers → failures come back
//! to the DSP for a retry after the retry delay.
//!
//! That delay is the only way back from a route to the DSP, so the day runs in steps no longer
//! than half of it: the DSP runs a step, then each route runs the same step with what the DSP
//! sent it, then the failures of the step join the DSP's retry lane. Because a failure needs a
//! whole retry delay to matter, the DSP can run steps ahead of the routes — which is how a run
//! uses a second core, natively or in a browser's Web Workers ([`super::split_run`]). Each stage
//! draws from its own random stream, so a run gives the same report whatever the order or the
//! number of threads. [`Simulation::step`] runs a bounded number of events so a page can run a
//! day in slices; [`run`] runs it to the end.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::cache::S1spCache;
use super::calendar::{Nanos, SECOND, nanos};
use super::devices::Devices;
use super::dsp::{Dsp, DspSetup};
use super::existing_traffic::OnDemandSource;
use super::population::Population;
use super::report::{Recorder, Report};
use super::route_stage::{RouteSetup, RouteStage};
use super::routes::ROUTES;
use super::scenario::Scenario;
use super::schedules::{self, Rules};
use super::trt::Trts;

/// How to run a scenario.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Share of meters simulated: 1 = full GB scale; 0.01 = a 1% sample with capacities scaled to match.
    pub sample: f64,
    /// Keep the minute-by-minute series in the report.
    pub series: bool,
    /// How many cores [`run`] uses natively: 1, one thread; n of 2 or more, split over n + 1
    /// threads (at most seven: the DSP's, and the routes shared out over the rest, see
    /// [`super::split_run::Layout::for_cores`]); 0, every core from a million simulated meters,
    /// else one thread. The report does not depend on it.
    pub threads: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            sample: 1.0,
            series: false,
            threads: 0,
        }
    }
}

/// The shortest retry delay the engine works with: steps are half of it.
pub const MIN_RETRY_DELAY: Nanos = 60 * SECOND;
/// Simulated meters from which a native run is split over threads unless told otherwise (below
/// it, the hand-overs cost more than the second core gives).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_FROM_METERS: usize = 1_000_000;
/// The longest step: short enough to keep the DSP's hand-over lists small.
const MAX_STEP: Nanos = 120 * SECOND;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Filling the meters' trait table before the day starts.
    Traits,
    /// The DSP is running the step.
    Dsp,
    /// Route `i` is running the step (the DSP has finished it).
    Route(usize),
}

/// A run in progress.
pub struct Simulation {
    scenario: Scenario,
    options: RunOptions,
    sample: f64,
    pub(crate) horizon: Nanos,
    pub(crate) step_len: Nanos,
    /// How long a failed request waits before it is sent again.
    pub(crate) retry_after: Nanos,
    /// End (exclusive) of the step in progress; the last step ends just after the horizon.
    step_end: Nanos,
    phase: Phase,
    pub(crate) dsp: Dsp,
    pub(crate) routes: Vec<RouteStage>,
    pub(crate) cache: S1spCache,
    done: bool,
    /// With [`Simulation::time_stages`]: the clock each stage's turns are timed with, and the
    /// milliseconds each has taken (the DSP, the trait table, then each route).
    stage_clock: Option<fn() -> f64>,
    stage_ms: [f64; 2 + ROUTES.len()],
}

/// A route's in-flight slots in a sample of share `sample`, and how much longer each sampled
/// attempt holds its slot so that the slots still carry the sample's share of the full route's
/// throughput: 3,000 slots at 1 in 2,000 are 1.5, so 2 slots each held 4/3 as long. (Only
/// previews stretch: at full scale the factor is 1. Device response times in a preview are
/// stretched alike, which is one reason its waits and on-demand compliance need a full run.)
fn slots(n: u32, sample: f64) -> (u32, f64) {
    let exact = n as f64 * sample;
    let whole = (exact.round() as u32).max(1);
    (
        whole,
        if sample >= 1.0 {
            1.0
        } else {
            whole as f64 / exact
        },
    )
}

impl Simulation {
    /// Sets up a run of a scenario that has passed [`Scenario::validate`].
    pub fn new(s: &Scenario, options: RunOptions) -> Simulation {
        Simulation::build(s, options, true)
    }

    /// Sets up every stage, with or without the S1SP cache (a part of a split run that runs no
    /// S1SP route needs none; see [`super::split_run`]).
    pub(crate) fn build(s: &Scenario, options: RunOptions, keep_cache: bool) -> Simulation {
        let pop = Population::new(s, options.sample);
        let f = pop.sample;
        let rules = Rules::new(s);
        let mut batches = schedules::plan(s, pop.meters);
        schedules::count(&mut batches, &pop, &rules);
        let r = &s.routes;
        let d = s.policy.discipline;
        let horizon = nanos(s.report.horizon_h * 3600.0);
        let maintenance = s.policy.maintenance_on.then(|| {
            (
                nanos(s.policy.maintenance.start_h * 3600.0),
                nanos(s.policy.maintenance.end_h * 3600.0),
            )
        });
        let retry_after = nanos(s.devices.retry_after_h * 3600.0).max(MIN_RETRY_DELAY);
        let step_len = (retry_after / 2).min(MAX_STEP);
        let communicating = pop.meters as f64 * f * (1.0 - s.population.non_communicating_share);
        // One random stream per stage, 2^128 draws apart.
        let mut stream = Xoshiro256PlusPlus::seed_from_u64(s.seed);
        let dsp = Dsp::new(
            DspSetup {
                per_s: r.dsp_per_s * f,
                smoothing_cap_per_s: s
                    .policy
                    .smoothing
                    .then_some(s.policy.smoothing_cap_per_s * f),
                discipline: d,
                horizon,
                maintenance,
                source: OnDemandSource::new(s, communicating),
                rng: stream.clone(),
                rec: Recorder::new(s),
            },
            pop.clone(),
            rules,
            batches,
        );
        let devices = Devices::new(s);
        let routes = ROUTES
            .iter()
            .map(|&route| {
                stream.jump();
                let i = route.sub_index();
                let smets1 = route.is_smets1();
                let (slots, hold_stretch) = if smets1 {
                    slots(r.s1sp_in_flight[i], f)
                } else {
                    slots(r.csp_in_flight[i], f)
                };
                RouteStage::new(RouteSetup {
                    route,
                    discipline: d,
                    slots,
                    hold_stretch,
                    handler_gap: if smets1 {
                        nanos(1.0 / (r.s1sp_per_s[i] * f))
                    } else {
                        0
                    },
                    maintenance,
                    horizon,
                    retry_after,
                    max_attempts: s.devices.max_attempts.min(255) as u8,
                    monthly_days: s.collection.monthly_days,
                    cache_response: nanos(s.cache.response_s),
                    devices: devices.clone(),
                    trts: Trts::new(s),
                    rng: stream.clone(),
                    rec: Recorder::new(s),
                })
            })
            .collect();
        Simulation {
            horizon,
            step_len,
            retry_after,
            step_end: step_len.min(horizon + 1),
            phase: Phase::Traits,
            dsp,
            routes,
            cache: S1spCache::new(
                s.cache.enabled && keep_cache,
                pop.meters,
                s.cache.lifetime_h,
            ),
            done: false,
            stage_clock: None,
            stage_ms: [0.0; 2 + ROUTES.len()],
            sample: f,
            scenario: s.clone(),
            options,
        }
    }

    /// Share of the simulated horizon covered so far (0 to 1).
    pub fn progress(&self) -> f64 {
        if self.done {
            1.0
        } else {
            self.share_before(self.step_end)
        }
    }

    /// Share of the simulated horizon covered once the steps before the one ending at `end` have
    /// run (0 to 1).
    pub(crate) fn share_before(&self, end: Nanos) -> f64 {
        (end.saturating_sub(self.step_len) as f64 / self.horizon as f64).min(1.0)
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Handles up to about `max_events` events. Returns true when the run has reached its horizon.
    pub fn step(&mut self, max_events: u64) -> bool {
        let mut budget = max_events;
        while !self.done && budget > 0 {
            self.run_phase(&mut budget);
        }
        self.done
    }

    /// Times each stage's turns from now on with `clock` (milliseconds from any origin), for
    /// [`Simulation::stage_times`]. A day has a few thousand turns, so the clock costs nothing
    /// to speak of.
    pub fn time_stages(&mut self, clock: fn() -> f64) {
        self.stage_clock = Some(clock);
    }

    /// Each stage's time so far in seconds, if [`Simulation::time_stages`] was asked for: where a
    /// one-thread run's time went (what the split runs' layouts share out), by stage name —
    /// `dsp`, `trait_table`, then each route's key (`csp_north` ...) in route order.
    pub fn stage_times(&self) -> Option<Vec<(&'static str, f64)>> {
        self.stage_clock?;
        let names = ["dsp", "trait_table"].into_iter();
        let names = names.chain(ROUTES.iter().map(|r| r.key()));
        Some(names.zip(self.stage_ms.map(|ms| ms / 1000.0)).collect())
    }

    /// Runs the stage whose turn it is (timed, when asked for).
    fn run_phase(&mut self, budget: &mut u64) {
        let Some(clock) = self.stage_clock else {
            return self.run_stage(budget);
        };
        let stage = match self.phase {
            Phase::Dsp => 0,
            Phase::Traits => 1,
            Phase::Route(i) => 2 + i,
        };
        let t0 = clock();
        self.run_stage(budget);
        self.stage_ms[stage] += clock() - t0;
    }

    /// Runs the stage whose turn it is, within `budget`, and moves on when it finishes the step.
    fn run_stage(&mut self, budget: &mut u64) {
        match self.phase {
            Phase::Traits => {
                if self.dsp.fill_traits(budget) {
                    self.phase = Phase::Dsp;
                }
            }
            Phase::Dsp => {
                if self.dsp.advance(self.step_end, budget) {
                    self.hand_over();
                    self.phase = Phase::Route(0);
                }
            }
            Phase::Route(i) => {
                if self.routes[i].advance(self.step_end, budget, &self.cache) {
                    if i + 1 < self.routes.len() {
                        self.phase = Phase::Route(i + 1);
                    } else {
                        self.end_step();
                        self.phase = Phase::Dsp;
                    }
                }
            }
        }
    }

    /// Gives each route what the DSP sent it during the step.
    fn hand_over(&mut self) {
        for (route, sent) in self.routes.iter_mut().zip(self.dsp.out.iter_mut()) {
            route.hand_over(sent);
        }
    }

    /// Every route has finished the step: its failures join its retry lane at the DSP, and the
    /// next step begins.
    fn end_step(&mut self) {
        for (i, route) in self.routes.iter_mut().enumerate() {
            self.dsp.retry_later(i, route.retries.iter());
            route.retries.clear();
        }
        if self.step_end > self.horizon {
            self.done = true;
        } else {
            self.step_end = (self.step_end + self.step_len).min(self.horizon + 1);
        }
    }

    /// Runs to the horizon (on this thread) and writes the report. Everything still queued or in
    /// flight is pending.
    pub fn finish(mut self) -> Report {
        while !self.step(u64::MAX) {}
        self.dsp.close();
        let rec = std::mem::replace(&mut self.dsp.rec, Recorder::new(&self.scenario));
        let events = self.dsp.events;
        self.close_routes(rec, events, Vec::new())
    }

    /// Closes the routes and writes the report: the DSP's closed accounts (`rec`, `dsp_events`),
    /// then each route's, added in route order (so the sums are the same to the last bit however
    /// the run was split). A route that ran elsewhere brings its closed accounts in `elsewhere`.
    pub(crate) fn close_routes(
        mut self,
        mut rec: Recorder,
        dsp_events: u64,
        mut elsewhere: Vec<Option<(u64, Recorder)>>,
    ) -> Report {
        elsewhere.resize_with(ROUTES.len(), || None);
        let mut events = dsp_events;
        for (i, there) in elsewhere.into_iter().enumerate() {
            if let Some((n, r)) = there {
                rec.merge(&r);
                events += n;
            } else {
                let route = &mut self.routes[i];
                route.close();
                rec.merge(&route.rec);
                events += route.events;
            }
        }
        rec.finish(&self.scenario, self.sample, events, self.options.series)
    }

    /// The end of step number `k` (counting from 0): the last step ends just after the horizon.
    pub(crate) fn end_of_step(&self, k: u32) -> Nanos {
        (self.step_len * (k as u64 + 1)).min(self.horizon + 1)
    }
}

/// Runs a validated scenario to the end: natively, a large run (or one told to) is split, the DSP
/// on one thread and the routes shared out over more ([`super::split_run`]).
pub fn run(s: &Scenario, options: RunOptions) -> Report {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let meters = (s.population.meters as f64 * options.sample.clamp(0.0, 1.0)) as usize;
        let cores = match options.threads {
            0 if meters >= PARALLEL_FROM_METERS => {
                std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
            }
            0 => 1,
            n => n,
        };
        if cores > 1 {
            let layout = super::split_run::Layout::for_cores(cores);
            return super::split_run::run_on_threads(s, options, &layout);
        }
    }
    Simulation::new(s, options).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{small, without_clock};

    #[test]
    fn threads_and_slices_do_not_change_the_report() {
        let s = small();
        let options = |threads| RunOptions {
            sample: 1.0,
            series: true,
            threads,
        };
        let one = run(&s, options(1));
        let three = run(&s, options(3));
        let mut sliced = Simulation::new(&s, options(1));
        while !sliced.step(997) {}
        let sliced = sliced.finish();
        assert_eq!(without_clock(&one), without_clock(&three));
        assert_eq!(without_clock(&one), without_clock(&sliced));
        assert!(one.requests.submitted > 0 && one.requests.failed > 0);
    }

    #[test]
    fn timing_the_stages_counts_every_turn_and_changes_nothing() {
        // A clock that moves a millisecond each time it is read: each turn of a stage reads it
        // twice and so counts 1 ms.
        static READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        fn ticks() -> f64 {
            READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as f64
        }
        let s = small();
        let options = RunOptions {
            sample: 1.0,
            series: true,
            threads: 1,
        };
        let plain = run(&s, options.clone());
        let mut timed = Simulation::new(&s, options);
        assert!(timed.stage_times().is_none(), "untimed until asked");
        timed.time_stages(ticks);
        while !timed.step(997) {}
        let times = timed.stage_times().expect("timed");
        let timed = timed.finish();
        assert_eq!(without_clock(&plain), without_clock(&timed));
        // Each turn reads the clock twice and adds 1 ms to its stage.
        let reads = READS.load(std::sync::atomic::Ordering::Relaxed) as f64;
        let total = times.iter().map(|r| r.1).sum::<f64>();
        assert_eq!((total * 1000.0).round(), reads / 2.0);
        let keys: Vec<&str> = times.iter().map(|r| r.0).collect();
        let routes = ROUTES.map(|r| r.key());
        assert_eq!(keys[..2], ["dsp", "trait_table"]);
        assert_eq!(keys[2..], routes);
        assert!(times.iter().all(|r| r.1 > 0.0), "{times:?}");
    }

    #[test]
    fn serving_a_batch_back_to_back_changes_nothing() {
        // A DSP too slow for the night, so backlogs build and batches are served back to back;
        // with the smoothing cap looser and tighter than the DSP, a maintenance window, and
        // first-come-first-served between on-demand and scheduled work. Run in slices too, so
        // runs are cut off by the budget.
        for variant in 0..5 {
            let mut s = small();
            s.population.meters = 60_000;
            s.routes.dsp_per_s = 2500.0 * 60_000.0 / 30e6 * 0.5;
            match variant {
                1 => {
                    s.policy.smoothing = true;
                    s.policy.smoothing_cap_per_s = s.routes.dsp_per_s * 2.0;
                }
                2 => {
                    s.policy.smoothing = true;
                    s.policy.smoothing_cap_per_s = s.routes.dsp_per_s * 0.5;
                }
                3 => s.policy.maintenance_on = true,
                4 => s.policy.discipline = crate::station::Discipline::Fifo,
                _ => {}
            }
            let run = |batch_runs: bool, slice: u64| {
                let options = RunOptions {
                    sample: 1.0,
                    series: true,
                    threads: 1,
                };
                let mut sim = Simulation::new(&s, options);
                sim.dsp.batch_runs = batch_runs;
                while !sim.step(slice) {}
                sim.finish()
            };
            let general = without_clock(&run(false, u64::MAX));
            assert_eq!(
                general,
                without_clock(&run(true, u64::MAX)),
                "variant {variant}"
            );
            assert_eq!(
                general,
                without_clock(&run(true, 1013)),
                "variant {variant} in slices"
            );
        }
    }

    #[test]
    fn the_next_night_adds_d1s_collection_and_keeps_ds_figures_to_ds_data() {
        let mut s = small();
        s.population.meters = 40_000;
        // Too little DSP capacity for a night's collection: D's spills past 24:00.
        s.routes.dsp_per_s = 2500.0 * 40_000.0 / 30e6 * 0.4;
        let options = RunOptions {
            sample: 1.0,
            series: false,
            threads: 1,
        };
        let hh = |r: &Report| {
            r.by_service_request_and_route
                .iter()
                .filter(|row| row.sr == "4.8.1")
                .map(|row| row.requests.submitted)
                .sum::<u64>()
        };
        let one = run(&s, options.clone());
        s.collection.next_night = true;
        let two = run(&s, options);
        for (a, b) in one.delivery.iter().zip(&two.delivery) {
            assert_eq!(a.items, b.items, "D's items are D's alone");
        }
        assert!(
            hh(&two) as f64 > 1.8 * hh(&one) as f64,
            "D+1 asks for its own data: {} against {}",
            hh(&two),
            hh(&one)
        );
        assert_eq!(two.requests.submitted, two.requests.ended());
        assert_eq!(one.key_figures.next_night_delivered_by_needed_by, None);
        let d = two.key_figures.mhhs_delivered_by_needed_by;
        let d1 = two
            .key_figures
            .next_night_delivered_by_needed_by
            .expect("D+1's figure when its collection runs");
        assert!(
            d1 < d,
            "D's spill holds D+1's collection back: {d1} by 07:00 on D+1 against {d} on D"
        );
    }
}
