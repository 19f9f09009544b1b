//! A run split into two halves that share no memory — the DSP, and the six routes — talking only
//! through messages of bytes. A browser page has one thread; its second core is reachable only
//! through a Web Worker, and workers share nothing but messages. So the full-scale run puts the
//! [`DspHalf`] in one worker and the [`RoutesHalf`] in another.
//!
//! The halves keep the protocol a native run keeps between threads (see [`super::simulation`]):
//! - the DSP runs step k and hands over what it sent each route in it (a hand-over message);
//! - the routes run step k with it and hand back the step's failures (a retries message);
//! - the DSP may run ahead of the routes' failures by as many steps as fit in the retry delay
//!   (at least one: a step is at most half the delay), since a failure cannot fall due sooner;
//!   it runs at most [`MAX_AHEAD`] steps ahead, to bound the messages in flight;
//! - after its last step the DSP closes its accounts and sends them (a closing message), and the
//!   routes half writes the report.
//!
//! Each stage keeps its own random stream, so the report is the one [`super::run`] gives, to the
//! request and to the last bit of every figure.

use std::collections::VecDeque;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::calendar::Nanos;
use super::dsp::Dispatch;
use super::report::{Recorder, Report};
use super::route_stage::RouteStage;
use super::routes::ROUTES;
use super::scenario::Scenario;
use super::service_requests::{REQUEST_BYTES, Request};
use super::simulation::{RunOptions, Simulation};

const HAND_OVER: [u8; 4] = *b"HOV1";
const RETRIES: [u8; 4] = *b"RTY1";
const CLOSING: [u8; 4] = *b"END1";
/// Kind, step, the routes it is for, and one count per route.
const HEADER_BYTES: usize = 12 + 4 * ROUTES.len();
const DISPATCH_BYTES: usize = 8 + REQUEST_BYTES;

/// Why a message between the halves could not be taken. Only a defect (or a tampered page) can
/// cause one; the worker reports it and the page offers the run again.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitError {
    /// The message is not of the kind expected, or is cut short.
    Malformed(&'static str),
    /// A step's message came out of order.
    OutOfOrder { expected: u32, got: u32 },
    /// An entry does not hold a valid request.
    BadRequest { entry: usize },
    /// The DSP's closing accounts could not be read.
    Closing(String),
    /// The report was asked for before the run had finished.
    Unfinished,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::Malformed(what) => write!(f, "a message between the workers was {what}"),
            SplitError::OutOfOrder { expected, got } => {
                write!(
                    f,
                    "the workers lost step: expected step {expected}, got {got}"
                )
            }
            SplitError::BadRequest { entry } => {
                write!(
                    f,
                    "entry {entry} of a message between the workers is not a request"
                )
            }
            SplitError::Closing(e) => write!(f, "the DSP's closing accounts were unreadable: {e}"),
            SplitError::Unfinished => write!(f, "the run had not finished"),
        }
    }
}

impl std::error::Error for SplitError {}

/// A step's requests, one list per route, in time order: what the DSP sent each route in the
/// step (a hand-over), or what failed on each route in it (retries).
pub struct StepLists {
    pub step: u32,
    /// The routes the lists are for (the others' lists are empty).
    routes: [bool; ROUTES.len()],
    lists: Vec<Vec<Dispatch>>,
    /// With retries passed as they are (natively): the routes' emptied arrival lists, for the
    /// DSP to fill again rather than grow new ones. Never part of a message's bytes.
    spare: Vec<(usize, Vec<Dispatch>)>,
}

impl StepLists {
    /// Takes out the lists of the routes in `routes` (as a message for them), leaving the rest.
    fn split_off(&mut self, routes: [bool; ROUTES.len()]) -> StepLists {
        let mut taken = StepLists {
            step: self.step,
            routes,
            lists: vec![Vec::new(); ROUTES.len()],
            spare: Vec::new(),
        };
        for (i, &theirs) in routes.iter().enumerate() {
            if theirs {
                std::mem::swap(&mut taken.lists[i], &mut self.lists[i]);
                self.routes[i] = false;
            }
        }
        taken
    }

    fn mask(&self) -> u32 {
        self.routes
            .iter()
            .enumerate()
            .map(|(i, &r)| (r as u32) << i)
            .sum()
    }

    /// Writes the lists as a message of `kind`.
    fn to_bytes(&self, kind: [u8; 4]) -> Vec<u8> {
        let n: usize = self.lists.iter().map(Vec::len).sum();
        let mut b = Vec::with_capacity(HEADER_BYTES + n * DISPATCH_BYTES);
        b.extend_from_slice(&kind);
        b.extend_from_slice(&self.step.to_le_bytes());
        b.extend_from_slice(&self.mask().to_le_bytes());
        for list in &self.lists {
            b.extend_from_slice(&(list.len() as u32).to_le_bytes());
        }
        for &(t, r) in self.lists.iter().flatten() {
            b.extend_from_slice(&t.to_le_bytes());
            b.extend_from_slice(&r.to_bytes());
        }
        b
    }

    /// Reads what [`StepLists::to_bytes`] wrote as `kind`.
    fn from_bytes(kind: [u8; 4], msg: &[u8]) -> Result<StepLists, SplitError> {
        if msg.len() < HEADER_BYTES {
            return Err(SplitError::Malformed("cut short"));
        }
        if msg[..4] != kind {
            return Err(SplitError::Malformed("of the wrong kind"));
        }
        let word = |i: usize| u32::from_le_bytes([msg[i], msg[i + 1], msg[i + 2], msg[i + 3]]);
        let step = word(4);
        let mask = word(8);
        if mask >> ROUTES.len() != 0 {
            return Err(SplitError::Malformed("for routes that do not exist"));
        }
        let routes: [bool; ROUTES.len()] = std::array::from_fn(|i| mask >> i & 1 == 1);
        let counts: Vec<usize> = (0..ROUTES.len())
            .map(|i| word(12 + 4 * i) as usize)
            .collect();
        if counts.iter().zip(&routes).any(|(&n, &r)| n > 0 && !r) {
            return Err(SplitError::Malformed(
                "carrying requests for routes it is not for",
            ));
        }
        let total = counts.iter().try_fold(0usize, |a, &c| a.checked_add(c));
        if total.and_then(|n| n.checked_mul(DISPATCH_BYTES)) != Some(msg.len() - HEADER_BYTES) {
            return Err(SplitError::Malformed("of the wrong length"));
        }
        let mut entries = msg[HEADER_BYTES..].chunks_exact(DISPATCH_BYTES).enumerate();
        let mut lists = Vec::with_capacity(ROUTES.len());
        for count in counts {
            let mut list = Vec::with_capacity(count);
            for (entry, e) in entries.by_ref().take(count) {
                let (t, r) = e.split_at(8);
                let bad = SplitError::BadRequest { entry };
                let t = Nanos::from_le_bytes(t.try_into().map_err(|_| bad.clone())?);
                let r = r.try_into().ok().and_then(Request::from_bytes);
                list.push((t, r.ok_or(bad)?));
            }
            lists.push(list);
        }
        Ok(StepLists {
            step,
            routes,
            lists,
            spare: Vec::new(),
        })
    }
}

/// What the DSP's half leaves for the report when it has run its last step: the DSP's closed
/// accounts, and those of the routes it ran beside it.
#[derive(Serialize, Deserialize)]
pub struct Closing {
    events: u64,
    rec: Recorder,
    routes: Vec<Option<(u64, Recorder)>>,
}

/// What the DSP's half tells the routes' half.
pub enum FromDsp {
    HandOver(StepLists),
    Closing(Box<Closing>),
}

impl FromDsp {
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            FromDsp::HandOver(lists) => lists.to_bytes(HAND_OVER),
            FromDsp::Closing(closing) => {
                let mut msg = CLOSING.to_vec();
                serde_json::to_writer(&mut msg, closing).expect("accounts serialise to memory");
                msg
            }
        }
    }

    pub fn from_bytes(msg: &[u8]) -> Result<FromDsp, SplitError> {
        if let Some(json) = msg.strip_prefix(&CLOSING) {
            let closing: Closing =
                serde_json::from_slice(json).map_err(|e| SplitError::Closing(e.to_string()))?;
            if closing.routes.len() != ROUTES.len() {
                return Err(SplitError::Closing("not one entry per route".into()));
            }
            return Ok(FromDsp::Closing(Box::new(closing)));
        }
        StepLists::from_bytes(HAND_OVER, msg).map(FromDsp::HandOver)
    }
}

/// What the routes' half tells the DSP's half: the failures of one of its steps.
pub struct Retries(StepLists);

impl Retries {
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes(RETRIES)
    }

    pub fn from_bytes(msg: &[u8]) -> Result<Retries, SplitError> {
        StepLists::from_bytes(RETRIES, msg).map(Retries)
    }
}

/// The most steps the DSP runs ahead of the failures that have come back (each step's hand-over
/// is a few megabytes; a few steps ahead is enough to even out the halves' work step by step).
pub const MAX_AHEAD: u32 = 16;

/// The routes the DSP's half runs beside the DSP, to share the work out evenly: natively the DSP
/// is about 40% of a GB day's work and CSP North about 10% (see the README's benchmarks).
pub const BESIDE_THE_DSP: &[usize] = &[0];

/// Some of the routes of a split run, a step at a time.
struct RouteSet {
    runs: [bool; ROUTES.len()],
    /// Steps run so far (the next one is step `steps`).
    steps: u32,
    /// Hand-overs received and not yet begun, from step `steps` on.
    waiting: VecDeque<Vec<Vec<Dispatch>>>,
    received: u32,
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
            received: 0,
            route: None,
            spare: Vec::new(),
        }
    }

    fn queue(&mut self, hand_over: StepLists) -> Result<(), SplitError> {
        if hand_over.routes != self.runs {
            return Err(SplitError::Malformed("for routes another part runs"));
        }
        if hand_over.step != self.received {
            return Err(SplitError::OutOfOrder {
                expected: self.received,
                got: hand_over.step,
            });
        }
        self.waiting.push_back(hand_over.lists);
        self.received += 1;
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

    /// Share of the simulated horizon the DSP has covered (0 to 1).
    pub fn progress(&self) -> f64 {
        let done = self.sim.end_of_step(self.steps) - self.sim.step_len;
        (done as f64 / self.sim.horizon as f64).min(1.0)
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
        let done = self.sim.end_of_step(self.set.steps) - self.sim.step_len;
        (done as f64 / self.sim.horizon as f64).min(1.0)
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

/// How a native run shares the routes out over two threads beside the DSP's own: the DSP alone is
/// about 40% of a GB day's work, and each of these about 30%. With three threads on two cores the
/// operating system gives the cores to whichever can run, so no core waits while the balance of
/// work moves between the DSP and the routes over the day.
#[cfg(not(target_arch = "wasm32"))]
const NATIVE_ROUTE_PARTS: [&[usize]; 2] = [&[1, 0, 3], &[2, 5, 4]];

/// Runs a validated scenario natively: the DSP on this thread and the routes shared out over two
/// more, passing the messages over channels as they are (no bytes). Gives exactly the report
/// [`Simulation::finish`] gives.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_on_threads(s: &Scenario, options: RunOptions) -> Report {
    use std::sync::mpsc::channel;
    let (to_dsp, from_routes) = channel::<StepLists>();
    let mut dsp = DspHalf::with_beside(s, options.clone(), &[]);
    let mut parts: Vec<RoutesHalf> = NATIVE_ROUTE_PARTS
        .iter()
        .map(|routes| RoutesHalf::with_routes(s, options.clone(), routes))
        .collect();
    let (report_sim, closing) = std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for mut part in parts.drain(..) {
            let (to_part, from_dsp) = channel::<StepLists>();
            let to_dsp = to_dsp.clone();
            senders.push((part.set.runs, to_part));
            threads.push(scope.spawn(move || {
                while !part.set.has_run_last_step(&part.sim) {
                    let Ok(hand_over) = from_dsp.recv() else {
                        break;
                    };
                    part.set
                        .queue(hand_over)
                        .expect("the DSP sends its steps in order");
                    while let Some(retries) = part.set.advance(&mut part.sim, &mut u64::MAX.clone())
                    {
                        let _ = to_dsp.send(retries);
                    }
                }
                let accounts = close_routes(std::mem::take(&mut part.sim.routes), part.set.runs);
                (part.sim, accounts)
            }));
        }
        drop(to_dsp);
        // The routes have nothing to do until the first hand-over: every core fills the table.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        dsp.sim.dsp.fill_traits_in_parallel(cores);
        while !dsp.is_finished() {
            while let Ok(retries) = from_routes.try_recv() {
                dsp.take(retries)
                    .expect("each part sends its steps in order");
            }
            if dsp.can_go_on() {
                if let Some(FromDsp::HandOver(mut sent)) = dsp.advance(&mut u64::MAX.clone()) {
                    for (routes, to_part) in &senders {
                        let _ = to_part.send(sent.split_off(*routes));
                    }
                }
            } else {
                let retries = from_routes
                    .recv()
                    .expect("a part runs until the DSP finishes");
                dsp.take(retries)
                    .expect("each part sends its steps in order");
            }
        }
        let mut closing = dsp.close_accounts();
        let mut sim = None;
        for thread in threads {
            let (part_sim, accounts) = thread.join().expect("a part of the run panicked");
            for (slot, got) in closing.routes.iter_mut().zip(accounts) {
                if got.is_some() {
                    *slot = got;
                }
            }
            sim = Some(part_sim);
        }
        (sim.expect("at least one part"), closing)
    });
    report_sim.close_routes(closing.rec, closing.events, closing.routes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run;
    use crate::test_support::{small, without_clock};

    /// Runs the halves in turn on one thread, in slices of `slice` events, passing messages as
    /// two workers would (as bytes, if `wire`); the DSP runs as far ahead as the protocol lets it.
    fn split(s: &Scenario, slice: u64, beside: &[usize], wire: bool) -> Report {
        let options = RunOptions {
            series: true,
            ..Default::default()
        };
        let mut dsp = Some(DspHalf::with_beside(s, options.clone(), beside));
        let mut routes = RoutesHalf::with_beside(s, options, beside);
        let mut to_routes: VecDeque<FromDsp> = VecDeque::new();
        let mut to_dsp: VecDeque<Retries> = VecDeque::new();
        let carry = |m: FromDsp| match wire {
            true => FromDsp::from_bytes(&m.to_bytes()).expect("hand-overs read back"),
            false => m,
        };
        let carry_back = |m: Retries| match wire {
            true => Retries::from_bytes(&m.to_bytes()).expect("retries read back"),
            false => m,
        };
        while !routes.is_finished() {
            if let Some(d) = dsp.as_mut() {
                while let Some(m) = to_dsp.pop_front() {
                    d.take_retries(m).expect("retries come in order");
                }
                while d.can_go_on() {
                    if let Some(m) = d.advance(&mut slice.clone()) {
                        to_routes.push_back(carry(m));
                    }
                }
                if d.is_finished() {
                    to_routes.push_back(carry(dsp.take().expect("still here").close()));
                }
            }
            while let Some(m) = to_routes.pop_front() {
                routes.receive(m).expect("hand-overs come in order");
            }
            // One step of the routes at most, so the DSP is often a step ahead.
            while routes.can_go_on() {
                if let Some(m) = routes.advance(&mut slice.clone()) {
                    to_dsp.push_back(carry_back(m));
                    break;
                }
            }
        }
        routes.report().expect("the run finished")
    }

    #[test]
    fn a_split_run_gives_the_report_a_whole_run_gives() {
        let s = small();
        let whole = run(
            &s,
            RunOptions {
                series: true,
                threads: 1,
                ..Default::default()
            },
        );
        let whole = without_clock(&whole);
        for beside in [BESIDE_THE_DSP, &[], &[3, 5], &[0, 1, 2, 3, 4, 5]] {
            assert_eq!(
                whole,
                without_clock(&split(&s, u64::MAX, beside, true)),
                "{beside:?}"
            );
        }
        assert_eq!(whole, without_clock(&split(&s, 1_009, &[1, 4], false)));
        // A retry delay of three steps: the DSP may run only two steps ahead of what it heard.
        let mut tight = s.clone();
        tight.devices.retry_after_h = 3.0 / 60.0;
        let whole_tight = run(
            &tight,
            RunOptions {
                series: true,
                threads: 1,
                ..Default::default()
            },
        );
        assert_eq!(
            without_clock(&whole_tight),
            without_clock(&split(&tight, 5_003, &[2], true))
        );
        let whole: Report = serde_json::from_str(&whole).expect("report reads back");
        assert!(whole.requests.failed > 0 && whole.key_figures.cache_hits > 0);
    }

    #[test]
    fn damaged_messages_are_refused_not_panicked_on() {
        let s = small();
        let mut routes = RoutesHalf::with_beside(&s, RunOptions::default(), &[]);
        let mut dsp = DspHalf::with_beside(&s, RunOptions::default(), &[]);
        let first = dsp.advance(&mut u64::MAX.clone()).expect("a first step");
        let good = first.to_bytes();
        assert!(good.len() > HEADER_BYTES, "the first step sends something");
        let mut wrong_length = good.clone();
        wrong_length.pop();
        let mut bad_request = good.clone();
        bad_request[HEADER_BYTES + DISPATCH_BYTES - 4] = 0xFF; // an unknown service request
        let mut huge_count = good.clone();
        huge_count[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        for (msg, why) in [
            (&good[..3], "cut short"),
            (&wrong_length[..], "wrong length"),
            (&huge_count[..], "count"),
            (&bad_request[..], "bad request"),
            (&b"END1{not json"[..], "closing"),
            (&b"END1{}"[..], "closing without accounts"),
        ] {
            assert!(FromDsp::from_bytes(msg).is_err(), "{why} is refused");
        }
        assert_eq!(
            Retries::from_bytes(&good).err(),
            Some(SplitError::Malformed("of the wrong kind"))
        );
        let again = || FromDsp::from_bytes(&good).expect("the real one reads");
        routes.receive(again()).expect("and is taken");
        assert_eq!(
            routes.receive(again()),
            Err(SplitError::OutOfOrder {
                expected: 1,
                got: 0
            })
        );
        assert_eq!(routes.report().err(), Some(SplitError::Unfinished));
    }
}
