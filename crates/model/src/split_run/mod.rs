//! A run split into parts that share no memory — the DSP (with any routes run beside it), and one
//! or more route parts — talking only by messages ([`messages`]). A browser page has one thread;
//! its other cores are reachable only through Web Workers, and workers share nothing but
//! messages. So the page's full-scale run puts the [`DspHalf`] in one worker and each
//! [`RoutesHalf`] in another, and a native run puts each on a thread ([`run_on_threads`]); the
//! [`Layout`] says which routes each part runs.
//!
//! The parts keep one protocol:
//! - the DSP runs step k and hands each part what it sent that part's routes (a hand-over);
//! - each part runs step k with it and hands back the step's failures (a retries message);
//! - the DSP may run ahead of the routes' failures by as many steps as fit in the retry delay
//!   (at least one: a step is at most half the delay), since a failure cannot fall due sooner;
//!   it runs at most [`MAX_AHEAD`] steps ahead, to bound the messages in flight;
//! - after its last step each part but the first sends the DSP its routes' closed accounts;
//! - once it has them all, the DSP closes its own accounts and sends everything to the first
//!   part (a closing message), which writes the report from everyone's accounts, added in route
//!   order.
//!
//! Each stage keeps its own random stream, so the report is the one [`super::run`] gives, to the
//! request and to the last bit of every figure.

mod layout;
mod messages;
#[cfg(test)]
mod tests;
#[cfg(not(target_arch = "wasm32"))]
mod threads;

use std::collections::VecDeque;

use super::dsp::Sent;
use super::report::{Recorder, Report};
use super::route_stage::RouteStage;
use super::routes::ROUTES;
use super::scenario::Scenario;
use super::simulation::{RunOptions, Simulation};
pub use layout::{Layout, MOST_WORKERS};
pub use messages::{
    Closing, FromDsp, FromRoutes, HEADER_BYTES, SplitError, StepLists, carries_lists,
};
#[cfg(not(target_arch = "wasm32"))]
pub use threads::run_on_threads;

/// The most steps the DSP runs ahead of the failures that have come back (each step's hand-over
/// is a few megabytes). With the default hour's retry delay and 2-minute steps the DSP may run 30
/// steps ahead, so its worker can leave the routes beside it to later while it serves the early
/// morning's backlog (when it is the one the other workers wait for), and do their steps in its
/// waits later on. With S1SP MOC beside the DSP, 16 steps made the page's full run in Chromium
/// 15.0, 15.4, 15.5 and 14.0 s against 14.6, 15.3, 14.2 and 14.1 s (interleaved); with S1SP IOC
/// there, 32 steps alone made no difference. 32 costs a native run 40-110 MB more at its peak.
pub const MAX_AHEAD: u32 = 32;

/// Some of the routes of a split run, a step at a time.
struct RouteSet {
    runs: [bool; ROUTES.len()],
    /// Steps run so far (the next one is step `steps`).
    steps: u32,
    /// Hand-overs received and not yet begun, from step `steps` on.
    waiting: VecDeque<Vec<Vec<Sent>>>,
    /// The next route to run in the current step, once its hand-over is in.
    route: Option<usize>,
    /// The arrival lists emptied at the start of the current step, to go back to the DSP.
    spare: Vec<(usize, Vec<Sent>)>,
}

impl RouteSet {
    fn new(runs: [bool; ROUTES.len()]) -> RouteSet {
        RouteSet {
            runs,
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

/// The DSP's half of a split run: the DSP, and the routes the [`Layout`] puts beside it.
pub struct DspHalf {
    sim: Simulation,
    /// DSP steps run so far (the next one is step `steps`).
    steps: u32,
    /// For each route, how many of its steps' failures the DSP has (steps `0..heard[i]`).
    heard: [u32; ROUTES.len()],
    local: RouteSet,
    /// Each route part's routes, in the layout's order.
    parts: Vec<[bool; ROUTES.len()]>,
    /// The closed accounts of the parts after the first, as they come in.
    accounts: Vec<Option<(u64, Recorder)>>,
    /// How many steps the DSP may run beyond the last one whose failures have come back.
    ahead: u32,
    finished: bool,
}

impl DspHalf {
    /// Sets up the DSP of a run of a scenario that has passed [`Scenario::validate`], laid out
    /// as `layout` says (which has no [`Layout::problem`]).
    pub fn new(s: &Scenario, options: RunOptions, layout: &Layout) -> DspHalf {
        let smets1 = layout.beside.iter().any(|&i| ROUTES[i].is_smets1());
        let sim = Simulation::build(s, options, smets1);
        // A failure in step j falls due at or after the start of step j plus the retry delay:
        // not within step j + ahead - 1 or earlier.
        let ahead = ((sim.retry_after / sim.step_len) as u32).clamp(1, MAX_AHEAD);
        DspHalf {
            sim,
            steps: 0,
            heard: [0; ROUTES.len()],
            local: RouteSet::new(Layout::runs(&layout.beside)),
            parts: layout.parts.iter().map(|p| Layout::runs(p)).collect(),
            accounts: (0..ROUTES.len()).map(|_| None).collect(),
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

    /// True once the DSP and its routes have run their last step and every part after the first
    /// has sent its accounts: it is time to [`DspHalf::close`].
    pub fn is_finished(&self) -> bool {
        self.finished && self.local.has_run_last_step(&self.sim) && self.has_later_accounts()
    }

    /// True when every part after the first has sent its accounts.
    fn has_later_accounts(&self) -> bool {
        let has = |part: &[bool; ROUTES.len()]| {
            (0..ROUTES.len()).all(|i| !part[i] || self.accounts[i].is_some())
        };
        self.parts[1..].iter().all(has)
    }

    /// Runs on, spending at most about `budget` events. When the DSP finishes a step, returns
    /// its hand-over for each part, in the layout's order.
    pub fn advance(&mut self, budget: &mut u64) -> Option<Vec<FromDsp>> {
        // The DSP first, so the parts get their next hand-over as soon as they can.
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
            let parts = self.parts.iter();
            return Some(
                parts
                    .map(|&p| FromDsp::HandOver(sent.split_off(p)))
                    .collect(),
            );
        }
        if let Some(retries) = self.local.advance(&mut self.sim, budget) {
            self.take(retries)
                .expect("its own routes' steps come in order");
        }
        None
    }

    /// Takes back a hand-over once it has been written as bytes: its lists, emptied, become the
    /// DSP's lists for the next step, so they need not grow again from nothing (a step sends
    /// a route millions of requests). Natively the parts hand the lists back themselves.
    pub fn take_back(&mut self, sent: FromDsp) {
        let FromDsp::HandOver(sent) = sent else {
            return;
        };
        for (out, mut list) in self.sim.dsp.out.iter_mut().zip(sent.lists) {
            if out.is_empty() && out.capacity() < list.capacity() {
                list.clear();
                *out = list;
            }
        }
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
                self.sim.dsp.retry_later(i, list.iter());
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

    /// Takes a part's message: the failures of its next step into the DSP's retry lanes, or,
    /// after its last step, its closed accounts.
    pub fn receive(&mut self, msg: FromRoutes) -> Result<(), SplitError> {
        match msg {
            FromRoutes::Retries(retries) => {
                if !self.parts.contains(&retries.routes) {
                    return Err(SplitError::Malformed("for routes no part runs"));
                }
                self.take(retries)
            }
            FromRoutes::Accounts(routes) => {
                let from: [bool; ROUTES.len()] = std::array::from_fn(|i| routes[i].is_some());
                if !self.parts[1..].contains(&from) {
                    return Err(SplitError::Malformed(
                        "accounts for routes of no later part",
                    ));
                }
                if from
                    .iter()
                    .zip(&self.accounts)
                    .any(|(&f, a)| f && a.is_some())
                {
                    return Err(SplitError::Malformed("a part's accounts, twice"));
                }
                for (slot, got) in self.accounts.iter_mut().zip(routes) {
                    if got.is_some() {
                        *slot = got;
                    }
                }
                Ok(())
            }
        }
    }

    /// After the last step: everything still at the DSP or on its routes is pending; returns the
    /// closing message, with its accounts and those of the later parts, for the first part.
    pub fn close(self) -> FromDsp {
        FromDsp::Closing(Box::new(self.close_accounts()))
    }

    fn close_accounts(mut self) -> Closing {
        self.sim.dsp.close();
        let runs = self.local.runs;
        let mut routes = close_routes(self.sim.routes, runs);
        for (slot, got) in routes.iter_mut().zip(self.accounts) {
            if got.is_some() {
                *slot = got;
            }
        }
        Closing {
            events: self.sim.dsp.events,
            rec: self.sim.dsp.rec,
            routes,
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

/// A route part of a split run: the routes of one of the [`Layout`]'s parts. The first part
/// writes the report.
pub struct RoutesHalf {
    sim: Simulation,
    set: RouteSet,
    /// True for the first part.
    reports: bool,
    closing: Option<Closing>,
}

impl RoutesHalf {
    /// Sets up part `part` of `layout` (which has no [`Layout::problem`]) for a run of a
    /// scenario that has passed [`Scenario::validate`].
    pub fn new(s: &Scenario, options: RunOptions, layout: &Layout, part: usize) -> RoutesHalf {
        let routes = &layout.parts[part];
        let smets1 = routes.iter().any(|&i| ROUTES[i].is_smets1());
        RoutesHalf {
            sim: Simulation::build(s, options, smets1),
            set: RouteSet::new(Layout::runs(routes)),
            reports: part == 0,
            closing: None,
        }
    }

    /// Takes a message from the DSP half: a step's hand-over, or (the first part only) the
    /// closing accounts.
    pub fn receive(&mut self, msg: FromDsp) -> Result<(), SplitError> {
        match msg {
            FromDsp::HandOver(lists) => self.set.queue(lists),
            FromDsp::Closing(_) if !self.reports => Err(SplitError::Malformed(
                "closing accounts for a part that writes no report",
            )),
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

    /// True once every step has run (and, for the first part, the closing accounts are in).
    pub fn is_finished(&self) -> bool {
        self.set.has_run_last_step(&self.sim) && (self.closing.is_some() || !self.reports)
    }

    /// True for the part that writes the report; each other part sends [`RoutesHalf::accounts`].
    pub fn writes_the_report(&self) -> bool {
        self.reports
    }

    /// Share of the simulated horizon the routes have covered (0 to 1).
    pub fn progress(&self) -> f64 {
        self.sim.share_before(self.sim.end_of_step(self.set.steps))
    }

    /// Runs the routes on, spending at most about `budget` events. When they finish a step,
    /// returns the retries message for the DSP half.
    pub fn advance(&mut self, budget: &mut u64) -> Option<FromRoutes> {
        self.set
            .advance(&mut self.sim, budget)
            .map(FromRoutes::Retries)
    }

    /// A later part, once [`RoutesHalf::is_finished`]: its routes' closed accounts, for the DSP.
    pub fn accounts(mut self) -> Result<FromRoutes, SplitError> {
        if self.reports || !self.is_finished() {
            return Err(SplitError::Unfinished);
        }
        let routes = std::mem::take(&mut self.sim.routes);
        Ok(FromRoutes::Accounts(close_routes(routes, self.set.runs)))
    }

    /// The run's report, from the first part once [`RoutesHalf::is_finished`].
    pub fn report(mut self) -> Result<Report, SplitError> {
        if !self.reports || !self.is_finished() {
            return Err(SplitError::Unfinished);
        }
        let Some(Closing {
            events,
            rec,
            routes,
        }) = self.closing.take()
        else {
            return Err(SplitError::Unfinished);
        };
        Ok(self.sim.close_routes(rec, events, routes))
    }
}
