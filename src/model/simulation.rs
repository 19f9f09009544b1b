//! The simulation of a day of DCC traffic: every request of every meter (or of a sample of them)
//! through the DSP, its route and its device, event by event.
//!
//! Flow: schedules fire batches and existing users send on-demand requests → the DSP (one
//! sequential server at its throughput, DCC policy deciding what it releases) → the route: a CSP's
//! in-flight slots, or an S1SP cohort's sequential handler, its cache, then its in-flight slots →
//! the device answers, fails, or never answers → failures are retried. [`Simulation::step`] runs
//! a bounded number of events so a browser can run it in slices; [`run`] runs it to the end.

use std::collections::VecDeque;

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::cache::S1spCache;
use super::calendar::{Calendar, Nanos, SECOND, nanos};
use super::devices::{Devices, Outcome};
use super::population::Population;
use super::report::{BIN, Recorder, Report};
use super::routes::Route;
use super::scenario::Scenario;
use super::schedules::{self, Batch, Cursor, Rules};
use super::service_requests::{Request, Sr};
use super::station::{Discipline, Station};
use super::trt::Trts;
use super::users::UserGroup;

/// How to run a scenario.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Share of meters simulated: 1 = full GB scale; 0.01 = a 1% sample with capacities scaled to match.
    pub sample: f64,
    /// Keep the minute-by-minute series in the report.
    pub series: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { sample: 1.0, series: false }
    }
}

enum Ev {
    /// A batch becomes available to the DSP.
    Release(u32),
    DspDone(Request),
    /// The smoothing cap allows the next scheduled release.
    DspWake,
    /// The next existing on-demand request arrives.
    OnDemand,
    /// An S1SP handler finished with a request.
    Handled(Request),
    /// A device (or the S1SP cache) answered or failed.
    Device(Request, Outcome, bool),
    /// The first failed request in the retry lane is due.
    RetryDue,
    Maintenance(bool),
}

/// The DCC data service: one sequential server releasing requests to the routes.
struct Dsp {
    gap: Nanos,
    busy: bool,
    paused: bool,
    on_demand: VecDeque<Request>,
    retries: VecDeque<Request>,
    backlog: VecDeque<Cursor>,
    /// Smoothing: earliest time the next scheduled request may go (0 = no cap).
    cap_gap: Nanos,
    next_scheduled: Nanos,
    wake_pending: bool,
}

/// Existing on-demand traffic: a Poisson stream whose rate is higher in working hours.
struct OnDemandSource {
    rate_working: f64,
    rate_other: f64,
    working: (f64, f64),
}

impl OnDemandSource {
    fn new(s: &Scenario, communicating: f64) -> Self {
        let e = &s.existing;
        let w = &s.report.working_hours;
        let len = w.end_h - w.start_h;
        let per_day = communicating * e.on_demand_per_meter_day;
        OnDemandSource {
            rate_working: per_day * e.working_hours_share / (len * 3600.0),
            rate_other: if len >= 24.0 { 0.0 } else { per_day * (1.0 - e.working_hours_share) / ((24.0 - len) * 3600.0) },
            working: (w.start_h, w.end_h),
        }
    }

    /// Rate at hour `h` and the next hour at which it changes.
    fn rate_at(&self, h: f64) -> (f64, f64) {
        let day = (h / 24.0).floor() * 24.0;
        let (a, b) = (day + self.working.0, day + self.working.1);
        if h < a {
            (self.rate_other, a)
        } else if h < b {
            (self.rate_working, b)
        } else {
            (self.rate_other, day + 24.0)
        }
    }

    /// The next arrival after `t`, or `None` before `horizon`.
    fn next(&self, rng: &mut Xoshiro256PlusPlus, t: Nanos, horizon: Nanos) -> Option<Nanos> {
        let mut h = t as f64 / (3600.0 * SECOND as f64);
        let end = horizon as f64 / (3600.0 * SECOND as f64);
        while h < end {
            let (rate, until) = self.rate_at(h);
            if rate > 0.0 {
                let dt: f64 = Exp::new(rate).expect("positive rate").sample(rng) / 3600.0;
                if h + dt < until {
                    return Some(nanos((h + dt) * 3600.0).max(t));
                }
            }
            h = until;
        }
        None
    }
}

/// A run in progress.
pub struct Simulation {
    scenario: Scenario,
    options: RunOptions,
    horizon: Nanos,
    now: Nanos,
    events: u64,
    rng: Xoshiro256PlusPlus,
    calendar: Calendar<Ev>,
    pop: Population,
    rules: Rules,
    batches: Vec<Batch>,
    devices: Devices,
    trts: Trts,
    cache: S1spCache,
    rec: Recorder,
    dsp: Dsp,
    csp: [Station<Request>; 3],
    s1_handler: [Station<Request>; 3],
    s1_gap: [Nanos; 3],
    s1_slots: [Station<Request>; 3],
    source: OnDemandSource,
    /// Failed requests waiting to be retried, in the order they fall due.
    retry_lane: VecDeque<(Nanos, Request)>,
    retry_armed: bool,
    monthly_days: u32,
    cache_response: Nanos,
    retry_after: Nanos,
    max_attempts: u8,
    next_snapshot: Nanos,
    done: bool,
}

fn slots(n: u32, sample: f64) -> u32 {
    ((n as f64 * sample).round() as u32).max(1)
}

impl Simulation {
    /// Sets up a run of a scenario that has passed [`Scenario::validate`].
    pub fn new(s: &Scenario, options: RunOptions) -> Simulation {
        let pop = Population::new(s, options.sample);
        let f = pop.sample;
        let rules = Rules::new(s);
        let mut batches = schedules::plan(s, pop.meters);
        schedules::count(&mut batches, &pop, &rules);
        let r = &s.routes;
        let d = s.policy.discipline;
        let horizon = nanos(s.report.horizon_h * 3600.0);
        let mut calendar = Calendar::new();
        for (i, b) in batches.iter().enumerate() {
            calendar.push(b.release, Ev::Release(i as u32));
        }
        if s.policy.maintenance_on {
            calendar.push(nanos(s.policy.maintenance.start_h * 3600.0), Ev::Maintenance(true));
            calendar.push(nanos(s.policy.maintenance.end_h * 3600.0), Ev::Maintenance(false));
        }
        let communicating = pop.meters as f64 * f * (1.0 - s.population.non_communicating_share);
        let source = OnDemandSource::new(s, communicating);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(s.seed);
        if let Some(t) = source.next(&mut rng, 0, horizon) {
            calendar.push(t, Ev::OnDemand);
        }
        let cap_gap = if s.policy.smoothing { nanos(1.0 / (s.policy.smoothing_cap_per_s * f)) } else { 0 };
        Simulation {
            horizon,
            now: 0,
            events: 0,
            rng,
            calendar,
            rules,
            devices: Devices::new(s),
            trts: Trts::new(s),
            cache: S1spCache::new(s.cache.enabled, pop.meters, s.cache.lifetime_h),
            rec: Recorder::new(s),
            dsp: Dsp {
                gap: nanos(1.0 / (r.dsp_per_s * f)),
                busy: false,
                paused: false,
                on_demand: VecDeque::new(),
                retries: VecDeque::new(),
                backlog: VecDeque::new(),
                cap_gap,
                next_scheduled: 0,
                wake_pending: false,
            },
            csp: std::array::from_fn(|i| Station::new(slots(r.csp_in_flight[i], f), d)),
            s1_handler: std::array::from_fn(|_| Station::new(1, d)),
            s1_gap: std::array::from_fn(|i| nanos(1.0 / (r.s1sp_per_s[i] * f))),
            s1_slots: std::array::from_fn(|i| Station::new(slots(r.s1sp_in_flight[i], f), d)),
            source,
            retry_lane: VecDeque::new(),
            retry_armed: false,
            monthly_days: s.collection.monthly_days,
            cache_response: nanos(s.cache.response_s),
            retry_after: nanos(s.devices.retry_after_h * 3600.0),
            max_attempts: s.devices.max_attempts.min(255) as u8,
            next_snapshot: BIN,
            done: false,
            pop,
            batches,
            scenario: s.clone(),
            options,
        }
    }

    /// Share of the simulated horizon covered so far (0 to 1).
    pub fn progress(&self) -> f64 {
        if self.done { 1.0 } else { (self.now as f64 / self.horizon as f64).min(1.0) }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Handles up to `max_events` events. Returns true when the run has reached its horizon.
    pub fn step(&mut self, max_events: u64) -> bool {
        let mut handled = 0;
        while handled < max_events {
            let Some((t, ev)) = self.calendar.pop() else {
                self.done = true;
                break;
            };
            if t > self.horizon {
                self.calendar.push(t, ev);
                self.done = true;
                break;
            }
            self.advance(t);
            handled += 1;
            self.handle(t, ev);
        }
        if self.done {
            while self.next_snapshot <= self.horizon {
                self.snapshot(self.next_snapshot - 1);
                self.next_snapshot += BIN;
            }
        }
        self.done
    }

    /// Moves the clock to `t` (one more event), taking the minute snapshots passed on the way.
    fn advance(&mut self, t: Nanos) {
        while self.next_snapshot <= t {
            self.snapshot(self.next_snapshot - 1);
            self.next_snapshot += BIN;
        }
        self.now = t;
        self.events += 1;
    }

    fn handle(&mut self, t: Nanos, ev: Ev) {
        match ev {
            Ev::Release(b) => {
                let cursor = Cursor::new(b as usize, &self.batches[b as usize], &self.pop);
                self.dsp.backlog.push_back(cursor);
                self.dsp_pull(t);
            }
            Ev::DspWake => {
                self.dsp.wake_pending = false;
                self.dsp_pull(t);
            }
            Ev::DspDone(r) => self.dsp_done(t, r),
            Ev::OnDemand => {
                let r = self.existing_on_demand(t);
                self.rec.submitted(&r);
                self.dsp.on_demand.push_back(r);
                if let Some(next) = self.source.next(&mut self.rng, t, self.horizon) {
                    self.calendar.push(next, Ev::OnDemand);
                }
                self.dsp_pull(t);
            }
            Ev::Handled(r) => {
                let c = r.route().sub_index();
                if let Some(next) = self.s1_handler[c].finish() {
                    self.calendar.push(t + self.s1_gap[c], Ev::Handled(next));
                }
                let export = r.sr() == Sr::HhExport;
                if r.sr().is_hh_data() && self.cache.lookup(t, r.meter, export, r.user, r.monthly()) {
                    self.rec.started(t, &r);
                    self.calendar.push(t + self.cache_response, Ev::Device(r, Outcome::Answered, true));
                } else if let Some(r) = self.s1_slots[c].arrive(r.class(), r) {
                    self.start_device(t, r);
                }
            }
            Ev::Device(r, outcome, from_cache) => {
                if !from_cache {
                    let station = self.slots_of(r.route());
                    if let Some(next) = station.finish() {
                        self.start_device(t, next);
                    }
                }
                match outcome {
                    Outcome::Answered => {
                        let trt = self.trts.of(r.on_demand(), r.route().is_smets1());
                        self.rec.answered(t, &r, trt, from_cache);
                        if !from_cache && r.route().is_smets1() && r.sr().is_hh_data() {
                            self.cache.store(t, r.meter, r.sr() == Sr::HhExport, r.user, r.monthly());
                        }
                    }
                    Outcome::Failed => {
                        self.rec.failed(&r);
                        let at = t + self.retry_after;
                        if r.attempt < self.max_attempts && at <= self.horizon {
                            let mut again = r;
                            again.attempt += 1;
                            // Every retry waits the same time, so the lane stays in time order and
                            // the calendar holds one event for it, not one per waiting request.
                            self.retry_lane.push_back((at, again));
                            if !self.retry_armed {
                                self.retry_armed = true;
                                self.calendar.push(at, Ev::RetryDue);
                            }
                        }
                    }
                }
            }
            Ev::RetryDue => {
                while let Some(&(at, mut r)) = self.retry_lane.front() {
                    if at > t {
                        break;
                    }
                    self.retry_lane.pop_front();
                    r.submitted = t;
                    self.rec.submitted(&r);
                    if r.on_demand() { self.dsp.on_demand.push_back(r) } else { self.dsp.retries.push_back(r) }
                }
                match self.retry_lane.front() {
                    Some(&(at, _)) => self.calendar.push(at, Ev::RetryDue),
                    None => self.retry_armed = false,
                }
                self.dsp_pull(t);
            }
            Ev::Maintenance(start) => {
                self.dsp.paused = start;
                for c in 0..3 {
                    for r in self.csp[c].set_paused(start) {
                        self.start_device(t, r);
                    }
                    for r in self.s1_slots[c].set_paused(start) {
                        self.start_device(t, r);
                    }
                    for r in self.s1_handler[c].set_paused(start) {
                        self.calendar.push(t + self.s1_gap[c], Ev::Handled(r));
                    }
                }
                self.dsp_pull(t);
            }
        }
    }

    fn existing_on_demand(&mut self, t: Nanos) -> Request {
        // Existing on-demand traffic goes to meters that communicate (users know which do).
        let mut m = self.pop.meter_at(self.rng.random::<f64>());
        for _ in 0..32 {
            if self.pop.communicating(m) {
                break;
            }
            m = self.pop.meter_at(self.rng.random::<f64>());
        }
        let route = self.pop.route(m);
        Request::new(t, m, Sr::ExistingOnDemand, UserGroup::Existing as u8, route, true, false, self.pop.communicating(m))
    }

    fn slots_of(&mut self, route: Route) -> &mut Station<Request> {
        let i = route.sub_index();
        if route.is_smets1() { &mut self.s1_slots[i] } else { &mut self.csp[i] }
    }

    fn route_arrive(&mut self, t: Nanos, r: Request) {
        let route = r.route();
        let i = route.sub_index();
        if route.is_smets1() {
            if let Some(r) = self.s1_handler[i].arrive(r.class(), r) {
                self.calendar.push(t + self.s1_gap[i], Ev::Handled(r));
            }
        } else if let Some(r) = self.csp[i].arrive(r.class(), r) {
            self.start_device(t, r);
        }
    }

    fn start_device(&mut self, t: Nanos, r: Request) {
        self.rec.started(t, &r);
        let days = if r.monthly() { self.monthly_days } else { 1 };
        let (took, outcome) = self.devices.attempt(&mut self.rng, r.route(), r.communicating(), days);
        self.calendar.push(t + took, Ev::Device(r, outcome, false));
    }

    /// The time the next scheduled request (retry or batch) was asked for, if any is waiting.
    fn scheduled_front(&self) -> Option<Nanos> {
        let retry = self.dsp.retries.front().map(|r| r.submitted);
        let batch = self.dsp.backlog.front().map(|c| self.batches[c.batch].fired);
        match (retry, batch) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The DSP takes its next request when idle.
    fn dsp_pull(&mut self, t: Nanos) {
        if self.dsp.busy || self.dsp.paused {
            return;
        }
        if let Some(r) = self.dsp_choose(t) {
            self.dsp.busy = true;
            self.calendar.push(t + self.dsp.gap, Ev::DspDone(r));
        }
    }

    /// The DSP finished `r` at `t`: send it on and start the next. While the DSP is saturated
    /// and nothing else can happen before it finishes the next request, it carries on without a
    /// round trip through the calendar (the same events, in the same order, far cheaper).
    fn dsp_done(&mut self, mut t: Nanos, mut r: Request) {
        let next_event = self.calendar.peek_time().unwrap_or(Nanos::MAX);
        self.calendar.reset_low_water();
        loop {
            self.dsp.busy = false;
            self.rec.dispatched(t, &r);
            self.route_arrive(t, r);
            if self.dsp.paused {
                return;
            }
            let Some(next) = self.dsp_choose(t) else { return };
            self.dsp.busy = true;
            let done = t + self.dsp.gap;
            if done < next_event.min(self.calendar.low_water()) && done <= self.horizon {
                self.advance(done);
                t = done;
                r = next;
            } else {
                self.calendar.push(done, Ev::DspDone(next));
                return;
            }
        }
    }

    /// What the DSP serves next: on-demand first (or in order of asking under FIFO), scheduled
    /// work no faster than the smoothing cap allows (waking itself when the cap next allows).
    fn dsp_choose(&mut self, t: Nanos) -> Option<Request> {
        loop {
            let od = self.dsp.on_demand.front().map(|r| r.submitted);
            let sched = self.scheduled_front();
            let sched_ready = self.dsp.cap_gap == 0 || t >= self.dsp.next_scheduled;
            let take_od = match (od, sched) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(a), Some(b)) => !sched_ready || self.scenario.policy.discipline == Discipline::OnDemandFirst || a <= b,
            };
            if take_od {
                return self.dsp.on_demand.pop_front();
            }
            if sched.is_none() {
                return None;
            }
            if !sched_ready {
                if !self.dsp.wake_pending {
                    self.dsp.wake_pending = true;
                    self.calendar.push(self.dsp.next_scheduled, Ev::DspWake);
                }
                return None;
            }
            if let Some(r) = self.next_scheduled_request() {
                self.dsp.next_scheduled = t + self.dsp.cap_gap;
                return Some(r);
            }
            // An exhausted batch was dropped: look again.
        }
    }

    fn next_scheduled_request(&mut self) -> Option<Request> {
        let retry_first = match (self.dsp.retries.front(), self.dsp.backlog.front()) {
            (Some(r), Some(c)) => r.submitted <= self.batches[c.batch].fired,
            (Some(_), None) => true,
            _ => false,
        };
        if retry_first {
            return self.dsp.retries.pop_front();
        }
        let cursor = self.dsp.backlog.front_mut()?;
        let b = &self.batches[cursor.batch];
        match cursor.next(b, &self.pop, &self.rules) {
            Some(r) => {
                self.rec.submitted(&r);
                Some(r)
            }
            None => {
                self.dsp.backlog.pop_front();
                None
            }
        }
    }

    fn snapshot(&mut self, t: Nanos) {
        let dsp = self.dsp.on_demand.len() as u64 + self.dsp.retries.len() as u64 + self.dsp.backlog.iter().map(|c| c.remaining).sum::<u64>();
        let mut waiting = [0u32; 6];
        let mut flying = [0u32; 6];
        for i in 0..3 {
            waiting[i] = self.csp[i].waiting() as u32;
            flying[i] = self.csp[i].in_service();
            waiting[3 + i] = (self.s1_handler[i].waiting() + self.s1_slots[i].waiting()) as u32;
            flying[3 + i] = self.s1_slots[i].in_service();
        }
        self.rec.snapshot(t, dsp, waiting, flying);
    }

    /// Runs to the horizon and writes the report. Everything still queued or in flight is pending.
    pub fn finish(mut self) -> Report {
        while !self.step(u64::MAX) {}
        // What is left is pending: generate the rest of every batch so it is counted by kind and route.
        let mut leftovers = Vec::new();
        while let Some((_, ev)) = self.calendar.pop() {
            match ev {
                Ev::DspDone(r) | Ev::Handled(r) | Ev::Device(r, _, _) => self.rec.pending(&r),
                Ev::Release(b) => leftovers.push(Cursor::new(b as usize, &self.batches[b as usize], &self.pop)),
                Ev::RetryDue | Ev::DspWake | Ev::OnDemand | Ev::Maintenance(_) => {}
            }
        }
        for r in self.dsp.on_demand.drain(..).chain(self.dsp.retries.drain(..)) {
            self.rec.pending(&r);
        }
        leftovers.extend(self.dsp.backlog.drain(..));
        for mut c in leftovers {
            let b = &self.batches[c.batch];
            while let Some(r) = c.next(b, &self.pop, &self.rules) {
                self.rec.submitted(&r);
                self.rec.pending(&r);
            }
        }
        for st in self.csp.iter_mut().chain(self.s1_handler.iter_mut()).chain(self.s1_slots.iter_mut()) {
            for r in st.drain_waiting() {
                self.rec.pending(&r);
            }
        }
        self.rec.finish(&self.scenario, self.pop.sample, self.events, self.options.series)
    }
}

/// Runs a validated scenario to the end.
pub fn run(s: &Scenario, options: RunOptions) -> Report {
    Simulation::new(s, options).finish()
}
