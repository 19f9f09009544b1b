//! A run split into parts that share no memory — the DSP (with any routes run beside it), and the
//! other routes — talking only by messages ([`messages`]). A browser page has one thread; its
//! second core is reachable only through a Web Worker, and workers share nothing but messages. So
//! the page's full-scale run puts the [`DspHalf`] in one worker and the [`RoutesHalf`] in another,
//! and a native run puts the DSP on one thread and the routes on two more ([`run_on_threads`]).
//!
//! The parts keep one protocol:
//! - the DSP runs step k and hands over what it sent each route in it (a hand-over message);
//! - the routes run step k with it and hand back the step's failures (a retries message);
//! - the DSP may run ahead of the routes' failures by as many steps as fit in the retry delay
//!   (at least one: a step is at most half the delay), since a failure cannot fall due sooner;
//!   it runs at most [`MAX_AHEAD`] steps ahead, to bound the messages in flight;
//! - after its last step the DSP closes its accounts and sends them (a closing message), and the
//!   report is written from everyone's accounts, added in route order.
//!
//! Each stage keeps its own random stream, so the report is the one [`super::run`] gives, to the
//! request and to the last bit of every figure.

mod messages;
#[cfg(test)]
mod tests;
#[cfg(not(target_arch = "wasm32"))]
mod threads;

use std::collections::VecDeque;

use super::dsp::Dispatch;
use super::report::{Recorder, Report};
use super::route_stage::RouteStage;
use super::routes::ROUTES;
use super::scenario::Scenario;
use super::simulation::{RunOptions, Simulation};
pub use messages::{Closing, FromDsp, Retries, SplitError, StepLists};
#[cfg(not(target_arch = "wasm32"))]
pub use threads::run_on_threads;

/// The most steps the DSP runs ahead of the failures that have come back (each step's hand-over
/// is a few megabytes; a few steps ahead is enough to even out the halves' work step by step).
pub const MAX_AHEAD: u32 = 16;

/// The routes the DSP's half runs beside the DSP, to share the work out evenly. Natively the DSP
/// is about 35% of a GB day's work, and the routes share the rest about as their device attempts:
/// CSP North 11%, Central and South 16% each, the S1SP cohorts IOC 4%, MOC 5%, FOC 8%. With CSP
/// North and S1SP IOC beside it, the DSP's worker does about half; in headless Chromium the page's
/// full run took 13.0-13.3 s so, against 13.3-13.7 s with CSP North alone.
pub const BESIDE_THE_DSP: &[usize] = &[0, 3];

/// Some of the routes of a split run, a step at a time.
struct RouteSet {
    runs: [bool; ROUTES.len()],
    /// Steps run so far (the next one is step `steps`).
    steps: u32,
    /// Hand-overs received and not yet begun, from step `steps` on.
    waiting: VecDeque<Vec<Vec<Dispatch>>>,
    /// The next route to run in the current step, once its hand-over is in.
    route: Option<usize>,
    /// The arrival lists emptied at the start of the current step, to go back to the DSP.
    spare: Vec<(usize, Vec<Dispatch>)>,
}

impl RouteSet {
    fn new(runs: impl Fn(usize) -> bool) -> RouteSet {
        RouteSet {
            runs: std::array::from_fn(runs),
            steps: 0,
            waiting: VecDeque::new(),
            route: None,
            spare: Vec::new(),
        }
    }

    fn queue(&mut self, hand_over: StepLists) -> Result<(), SplitError> {
        if hand_over.routes != self.runs {
            return Err(SplitError::Malformed("for routes another part runs"));
        }
        // Steps run, the one under way, and those waiting.
        let received = self.steps + self.route.is_some() as u32 + self.waiting.len() as u32;
        if hand_over.step != received {
            return Err(SplitError::OutOfOrder {
                expected: received,
                got: hand_over.step,
            });
        }
        self.waiting.push_back(hand_over.lists);
        Ok(())
    }

    fn can_go_on(&self) -> bool {
        self.route.is_some() || !self.waiting.is_empty()
    }

    fn has_run_last_step(&self, sim: &Simulation) -> bool {
        self.steps > 0 && sim.end_of_step(self.steps - 1) > sim.horizon
    }

    /// Runs on, spending at most about `budget` events; when a step finishes, returns its number
    /// and the failures of each route (empty for routes run elsewhere).
    fn advance(&mut self, sim: &mut Simulation, budget: &mut u64) -> Option<StepLists> {
        let mut i = match self.route {
            Some(i) => i,
            None => {
                let lists = self.waiting.pop_front()?;
                for (i, mut list) in lists.into_iter().enumerate() {
                    if self.runs[i] {
                        sim.routes[i].hand_over(&mut list);
                        self.spare.push((i, list));
                    }
                }
                0
            }
        };
        let end = sim.end_of_step(self.steps);
        while i < sim.routes.len() {
            if self.runs[i] && !sim.routes[i].advance(end, budget, &sim.cache) {
                self.route = Some(i);
                return None;
            }
            i += 1;
        }
        self.route = None;
        let lists = sim
            .routes
            .iter_mut()
            .map(|r| std::mem::take(&mut r.retries));
        let step = self.steps;
        self.steps += 1;
        Some(StepLists {
            step,
            routes: self.runs,
            lists: lists.collect(),
            spare: std::mem::take(&mut self.spare),
        })
    }
}

/// The DSP's half of a split run: the DSP, and the routes in [`BESIDE_THE_DSP`].
pub struct DspHalf {
    sim: Simulation,
    /// DSP steps run so far (the next one is step `steps`).
    steps: u32,
    /// For each route, how many of its steps' failures the DSP has (steps `0..heard[i]`).
    heard: [u32; ROUTES.len()],
    local: RouteSet,
    /// How many steps the DSP may run beyond the last one whose failures have come back.
    ahead: u32,
    finished: bool,
}

impl DspHalf {
    /// Sets up the DSP of a run of a scenario that has passed [`Scenario::validate`].
    pub fn new(s: &Scenario, options: RunOptions) -> DspHalf {
        DspHalf::with_beside(s, options, BESIDE_THE_DSP)
    }

    /// The DSP's half, with the routes `beside` run beside the DSP.
    pub fn with_beside(s: &Scenario, options: RunOptions, beside: &[usize]) -> DspHalf {
        let smets1 = beside.iter().any(|&i| ROUTES[i].is_smets1());
        let sim = Simulation::build(s, options, smets1);
        // A failure in step j falls due at or after the start of step j plus the retry delay:
        // not within step j + ahead - 1 or earlier.
        let ahead = ((sim.retry_after / sim.step_len) as u32).clamp(1, MAX_AHEAD);
        DspHalf {
            sim,
            steps: 0,
            heard: [0; ROUTES.len()],
            local: RouteSet::new(|i| beside.contains(&i)),
            ahead,
            finished: false,
        }
    }

    /// True when the DSP may run its next step: it has the failures of every route step that
    /// could fall due in it.
    fn dsp_can_go_on(&self) -> bool {
        let heard = self.heard.iter().min().copied().unwrap_or(0);
        !self.finished && self.steps < heard + self.ahead
    }

    /// True when this half has work it can do now.
    pub fn can_go_on(&self) -> bool {
        self.dsp_can_go_on() || self.local.can_go_on()
    }

    /// True once the DSP and its routes have run their last step.
    pub fn is_finished(&self) -> bool {
        self.finished && self.local.has_run_last_step(&self.sim)
    }

    /// Runs on, spending at most about `budget` events. When the DSP finishes a step, returns
    /// the hand-over for the routes half.
    pub fn advance(&mut self, budget: &mut u64) -> Option<FromDsp> {
        // The DSP first, so the other half gets its next hand-over as soon as it can.
        if self.dsp_can_go_on() {
            let end = self.sim.end_of_step(self.steps);
            let dsp = &mut self.sim.dsp;
            if !dsp.traits.is_full() && !dsp.fill_traits(budget) {
                return None;
            }
            if !dsp.advance(end, budget) {
                return None;
            }
            let mut sent = StepLists {
                step: self.steps,
                routes: [true; ROUTES.len()],
                lists: dsp.out.iter_mut().map(std::mem::take).collect(),
                spare: Vec::new(),
            };
            let here = sent.split_off(self.local.runs);
            self.local
                .queue(here)
                .expect("the DSP hands its own routes their steps in order");
            self.steps += 1;
            self.finished = end > self.sim.horizon;
            return Some(FromDsp::HandOver(sent));
        }
        if let Some(retries) = self.local.advance(&mut self.sim, budget) {
            self.take(retries)
                .expect("its own routes' steps come in order");
        }
        None
    }

    /// Takes routes' failures of a step into the DSP's retry lanes.
    fn take(&mut self, retries: StepLists) -> Result<(), SplitError> {
        for (i, &theirs) in retries.routes.iter().enumerate() {
            if theirs && retries.step != self.heard[i] {
                return Err(SplitError::OutOfOrder {
                    expected: self.heard[i],
                    got: retries.step,
                });
            }
        }
        for (i, list) in retries.lists.into_iter().enumerate() {
            if retries.routes[i] {
                self.sim.dsp.retry_later(i, list.into_iter());
                self.heard[i] += 1;
            }
        }
        for (i, list) in retries.spare {
            let out = &mut self.sim.dsp.out[i];
            if out.is_empty() && out.capacity() < list.capacity() {
                *out = list;
            }
        }
        Ok(())
    }

    /// Takes the other half's failures of its next step into the DSP's retry lanes.
    pub fn take_retries(&mut self, retries: Retries) -> Result<(), SplitError> {
        if retries
            .0
            .routes
            .iter()
            .zip(&self.local.runs)
            .any(|(&r, &l)| r && l)
        {
            return Err(SplitError::Malformed(
                "for routes the DSP's half runs itself",
            ));
        }
        self.take(retries.0)
    }

    /// After the last step: everything still at the DSP or on its routes is pending; returns the
    /// closing message with their accounts for the routes half.
    pub fn close(self) -> FromDsp {
        FromDsp::Closing(Box::new(self.close_accounts()))
    }

    fn close_accounts(mut self) -> Closing {
        self.sim.dsp.close();
        let runs = self.local.runs;
        Closing {
            events: self.sim.dsp.events,
            rec: self.sim.dsp.rec,
            routes: close_routes(self.sim.routes, runs),
        }
    }
}

/// Closes the routes in `runs` (everything still on them is pending) and gives their accounts;
/// `None` for the others.
fn close_routes(
    routes: Vec<RouteStage>,
    runs: [bool; ROUTES.len()],
) -> Vec<Option<(u64, Recorder)>> {
    let close = |(mut route, runs): (RouteStage, bool)| {
        runs.then(|| {
            route.close();
            (route.events, route.rec)
        })
    };
    routes.into_iter().zip(runs).map(close).collect()
}

/// The routes' half of a split run: every route not run beside the DSP.
pub struct RoutesHalf {
    sim: Simulation,
    set: RouteSet,
    closing: Option<Closing>,
}

impl RoutesHalf {
    /// Sets up the routes of a run of a scenario that has passed [`Scenario::validate`].
    pub fn new(s: &Scenario, options: RunOptions) -> RoutesHalf {
        RoutesHalf::with_beside(s, options, BESIDE_THE_DSP)
    }

    /// The routes' half when the routes `beside` run beside the DSP.
    pub fn with_beside(s: &Scenario, options: RunOptions, beside: &[usize]) -> RoutesHalf {
        let routes: Vec<usize> = (0..ROUTES.len()).filter(|i| !beside.contains(i)).collect();
        RoutesHalf::with_routes(s, options, &routes)
    }

    /// A part that runs the routes `routes` (natively, the routes may be shared out over
    /// several parts).
    fn with_routes(s: &Scenario, options: RunOptions, routes: &[usize]) -> RoutesHalf {
        let smets1 = routes.iter().any(|&i| ROUTES[i].is_smets1());
        RoutesHalf {
            sim: Simulation::build(s, options, smets1),
            set: RouteSet::new(|i| routes.contains(&i)),
            closing: None,
        }
    }

    /// Takes a message from the DSP half: a step's hand-over, or its closing accounts.
    pub fn receive(&mut self, msg: FromDsp) -> Result<(), SplitError> {
        match msg {
            FromDsp::HandOver(lists) => self.set.queue(lists),
            FromDsp::Closing(closing) => {
                self.closing = Some(*closing);
                Ok(())
            }
        }
    }

    /// True when the routes have a step to run: its hand-over is in.
    pub fn can_go_on(&self) -> bool {
        self.set.can_go_on()
    }

    /// True once every step has run and the DSP's closing accounts are in.
    pub fn is_finished(&self) -> bool {
        self.set.has_run_last_step(&self.sim) && self.closing.is_some()
    }

    /// Share of the simulated horizon the routes have covered (0 to 1).
    pub fn progress(&self) -> f64 {
        self.sim.share_before(self.sim.end_of_step(self.set.steps))
    }

    /// Runs the routes on, spending at most about `budget` events. When they finish a step,
    /// returns the retries message for the DSP half.
    pub fn advance(&mut self, budget: &mut u64) -> Option<Retries> {
        self.set.advance(&mut self.sim, budget).map(Retries)
    }

    /// The run's report, once [`RoutesHalf::is_finished`].
    pub fn report(self) -> Result<Report, SplitError> {
        if !self.is_finished() {
            return Err(SplitError::Unfinished);
        }
        let Some(Closing {
            events,
            rec,
            routes,
        }) = self.closing
        else {
            return Err(SplitError::Unfinished);
        };
        Ok(self.sim.close_routes(rec, events, routes))
    }
}
