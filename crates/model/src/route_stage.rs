//! One route from the DSP to the meters, as a stage of the simulation: a CSP region's in-flight
//! slots, or an S1SP cohort's sequential handler, then the S1SP cache, then its in-flight slots.
//! Devices answer, fail or never answer; failures are handed back to the DSP for a retry.
//!
//! A route only hears from the DSP (the requests it sent, in time order) and only answers back
//! through retries, which wait at least the retry delay. So each route runs a step at a time, on
//! its own random stream, after the DSP has run that step — on the same thread or another — and
//! the result is the same either way.

use rand_xoshiro::Xoshiro256PlusPlus;

use super::cache::{Data, S1spCache};
use super::calendar::{Calendar, Nanos};
use super::devices::{Devices, Outcome};
use super::dsp::{Dispatch, Sent, dispatch, sent};
use super::line::Line;
use super::report::{BIN, Recorder};
use super::routes::Route;
use super::service_requests::{Request, Sr};
use super::station::{Discipline, Station};
use super::trt::Trts;

/// What a route needs to know of a run.
pub struct RouteSetup {
    pub route: Route,
    pub discipline: Discipline,
    /// In-flight slots (already scaled to the sample).
    pub slots: u32,
    /// How much longer a sampled attempt holds its slot, so that whole slots carry the
    /// sample's exact share of the route's throughput (1 at full scale).
    pub hold_stretch: f64,
    /// SMETS1 only: the handler's time per request.
    pub handler_gap: Nanos,
    pub maintenance: Option<(Nanos, Nanos)>,
    pub horizon: Nanos,
    pub retry_after: Nanos,
    pub max_attempts: u8,
    pub monthly_days: u32,
    pub cache_response: Nanos,
    pub devices: Devices,
    pub trts: Trts,
    pub rng: Xoshiro256PlusPlus,
    pub rec: Recorder,
}

pub struct RouteStage {
    route: Route,
    smets1: bool,
    hold_stretch: f64,
    handler_gap: Nanos,
    horizon: Nanos,
    retry_after: Nanos,
    max_attempts: u8,
    monthly_days: u32,
    cache_response: Nanos,
    /// Maintenance start and end, and which of the two comes next (2: none left).
    maintenance: [Nanos; 2],
    next_maintenance: usize,
    devices: Devices,
    trts: Trts,
    rng: Xoshiro256PlusPlus,
    /// What the DSP sent this way in the current step, and how far the route has got through it.
    pub arrivals: Vec<Sent>,
    next_arrival: usize,
    /// SMETS1: the sequential handler and the request it is on (with when it finishes).
    handler: Station<Request>,
    handling: Option<Dispatch>,
    slots: Station<Request>,
    /// Device attempts in progress, by when they end (each marked with how it ends).
    in_flight: Calendar<Request>,
    /// Attempts at non-communicating meters, which all hold their slot for the same timeout:
    /// started in time order, they end in time order, so they wait in a line rather than in
    /// the calendar (a sixth of a GB day's attempts, and the longest ones).
    timeouts: Line<Dispatch>,
    /// Answers from the S1SP cache, by when they arrive (a fixed delay, so already in order).
    cache_answers: Line<Dispatch>,
    /// Failed requests due for a retry, in time order, collected by the simulation after a step.
    pub retries: Vec<Sent>,
    next_snapshot: Nanos,
    /// The most waiting, and in flight, so far in the current minute.
    minute_waiting: u32,
    minute_in_flight: u32,
    pub events: u64,
    pub rec: Recorder,
}

impl RouteStage {
    pub fn new(s: RouteSetup) -> RouteStage {
        let maintenance = s.maintenance.map_or([Nanos::MAX; 2], |(a, b)| [a, b]);
        RouteStage {
            route: s.route,
            smets1: s.route.is_smets1(),
            hold_stretch: s.hold_stretch,
            handler_gap: s.handler_gap,
            horizon: s.horizon,
            retry_after: s.retry_after,
            max_attempts: s.max_attempts,
            monthly_days: s.monthly_days,
            cache_response: s.cache_response,
            next_maintenance: if s.maintenance.is_some() { 0 } else { 2 },
            maintenance,
            devices: s.devices,
            trts: s.trts,
            rng: s.rng,
            arrivals: Vec::new(),
            next_arrival: 0,
            handler: Station::new(1, s.discipline),
            handling: None,
            slots: Station::new(s.slots, s.discipline),
            in_flight: Calendar::new(),
            timeouts: Line::new(),
            cache_answers: Line::new(),
            retries: Vec::new(),
            next_snapshot: BIN,
            minute_waiting: 0,
            minute_in_flight: 0,
            events: 0,
            rec: s.rec,
        }
    }

    /// True when every request the DSP handed over has arrived (the next batch may be handed in).
    pub fn took_all_arrivals(&self) -> bool {
        self.next_arrival == self.arrivals.len()
    }

    /// Swaps in the DSP's next list of requests for this route; the emptied list goes back.
    pub fn hand_over(&mut self, from_dsp: &mut Vec<Sent>) {
        debug_assert!(self.took_all_arrivals());
        self.arrivals.clear();
        std::mem::swap(&mut self.arrivals, from_dsp);
        self.next_arrival = 0;
    }

    /// Runs every event of this route before `until`, spending at most `budget` events.
    /// Returns true when it got there (false: out of budget; call again).
    pub fn advance(&mut self, until: Nanos, budget: &mut u64, cache: &S1spCache) -> bool {
        loop {
            let attempt = self.in_flight.peek_time().unwrap_or(Nanos::MAX);
            let timeout = self.timeouts.front().map_or(Nanos::MAX, |x| x.0);
            let device = attempt.min(timeout);
            let hit = self.cache_answers.front().map_or(Nanos::MAX, |x| x.0);
            let handled = self.handling.map_or(Nanos::MAX, |x| x.0);
            let arrival = self
                .arrivals
                .get(self.next_arrival)
                .map_or(Nanos::MAX, |x| x[0]);
            let maintenance = self
                .maintenance
                .get(self.next_maintenance)
                .copied()
                .unwrap_or(Nanos::MAX);
            let others = device.min(hit).min(handled).min(maintenance);
            if arrival < others.min(until) {
                // Arrivals before anything else happens (the usual case while a backlog builds)
                // are taken in a row, each setting how far the row may go on.
                self.arrivals_before(others.min(until), budget);
                if *budget == 0 {
                    return false;
                }
                continue;
            }
            let t = others.min(arrival);
            if t >= until {
                self.snapshots_to(until - 1);
                return true;
            }
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            self.events += 1;
            self.snapshots_to(t);
            if t == device {
                // An attempt and a timeout ending at the same instant: the attempt first.
                let (t, r) = if attempt <= timeout {
                    self.in_flight.pop().expect("peeked")
                } else {
                    self.timeouts.pop_front().expect("peeked")
                };
                if let Some(next) = self.slots.finish() {
                    self.start_device(t, next);
                }
                self.device_answered(t, r, cache);
            } else if t == hit {
                let (t, r) = self.cache_answers.pop_front().expect("peeked");
                let trt = self.trts.of(r.on_demand(), true);
                self.rec.answered(t, &r, trt, true);
            } else if t == handled {
                let (_, r) = self.handling.take().expect("peeked");
                if let Some(next) = self.handler.finish() {
                    self.handling = Some((t + self.handler_gap, next));
                }
                self.after_handler(t, r, cache);
            } else if t == arrival {
                self.arrive(t);
            } else {
                self.maintenance_turns(t);
            }
        }
    }

    /// Takes every arrival before `bound` (while budget lasts). A request that starts service
    /// schedules an event that may come before the next arrival, so it brings `bound` forward;
    /// arrivals lose ties, as in [`RouteStage::advance`].
    fn arrivals_before(&mut self, mut bound: Nanos, budget: &mut u64) {
        while let Some(&[t, ..]) = self.arrivals.get(self.next_arrival)
            && t < bound
            && *budget > 0
        {
            *budget -= 1;
            self.events += 1;
            self.snapshots_to(t);
            if let Some(next) = self.arrive(t) {
                bound = bound.min(next);
            }
        }
    }

    /// The next arrival, at `t`, joins the handler (SMETS1) or the slots; returns the time of
    /// the event it starts, if it starts service at once.
    fn arrive(&mut self, t: Nanos) -> Option<Nanos> {
        let (_, r) = dispatch(&self.arrivals[self.next_arrival]);
        self.next_arrival += 1;
        let joined = if self.smets1 {
            self.handler.arrive(r.class(), r)
        } else {
            self.slots.arrive(r.class(), r)
        };
        let Some(r) = joined else {
            self.waiting_grew();
            return None;
        };
        if self.smets1 {
            self.handling = Some((t + self.handler_gap, r));
            Some(t + self.handler_gap)
        } else {
            Some(self.start_device(t, r))
        }
    }

    /// A request joined a waiting line: the minute's most waiting may have grown.
    #[inline]
    fn waiting_grew(&mut self) {
        let waiting = (self.handler.waiting() + self.slots.waiting()) as u32;
        self.minute_waiting = self.minute_waiting.max(waiting);
    }

    /// The S1SP handler is done with `r`: answer it from the cache or send it to the device.
    fn after_handler(&mut self, t: Nanos, r: Request, cache: &S1spCache) {
        let export = r.sr() == Sr::HhExport;
        if r.sr().is_hh_data() && cache.lookup(t, r.meter(), export, Data::of(&r)) {
            self.rec.started(t, &r, false);
            self.cache_answers.push_back((t + self.cache_response, r));
        } else if let Some(r) = self.slots.arrive(r.class(), r) {
            self.start_device(t, r);
        } else {
            self.waiting_grew();
        }
    }

    /// Starts a device attempt; returns when it ends.
    fn start_device(&mut self, t: Nanos, r: Request) -> Nanos {
        self.rec.started(t, &r, true);
        self.minute_in_flight = self.minute_in_flight.max(self.slots.in_service());
        let days = if r.monthly() { self.monthly_days } else { 1 };
        let (mut took, outcome) = self.devices.attempt(
            &mut self.rng,
            self.route,
            r.meter(),
            r.communicating(),
            days,
        );
        if self.hold_stretch != 1.0 {
            took = (took as f64 * self.hold_stretch) as Nanos;
        }
        let r = r.in_flight(outcome == Outcome::Failed);
        if r.communicating() {
            self.in_flight.push(t + took, r);
        } else {
            debug_assert!(
                self.timeouts.back().is_none_or(|last| last.0 <= t + took),
                "timeouts end in the order they start"
            );
            self.timeouts.push_back((t + took, r));
        }
        t + took
    }

    /// A device attempt ended at `t`: the answer is recorded (and cached), or the failure is
    /// recorded and the request goes back for a retry, or is given up after its last attempt.
    /// A retry that would fall due after the horizon leaves the request pending (it is still in
    /// the system, waiting), not failed.
    fn device_answered(&mut self, t: Nanos, r: Request, cache: &S1spCache) {
        if r.failing() {
            self.rec.attempt_failed(&r);
            let at = t + self.retry_after;
            if r.attempt() >= self.max_attempts {
                self.rec.gave_up(&r);
            } else if at <= self.horizon {
                let again = r.in_flight(false).next_attempt();
                self.retries.push(sent(at, again));
            } else {
                self.rec.pending(&r);
            }
        } else {
            let trt = self.trts.of(r.on_demand(), self.smets1);
            self.rec.answered(t, &r, trt, false);
            if self.smets1 && r.sr().is_hh_data() {
                cache.store(t, r.meter(), r.sr() == Sr::HhExport, Data::of(&r));
            }
        }
    }

    /// A maintenance window starts (nothing new starts) or ends (idle slots start at once).
    fn maintenance_turns(&mut self, t: Nanos) {
        let start = self.next_maintenance == 0;
        self.next_maintenance += 1;
        for r in self.slots.set_paused(start) {
            self.start_device(t, r);
        }
        for r in self.handler.set_paused(start) {
            self.handling = Some((t + self.handler_gap, r));
        }
    }

    /// Records the most waiting and in flight in every minute that ended by `t`. A minute
    /// starts with what the one before ended with. (Called at every event, and true about once
    /// in a thousand: the test is inlined, the recording is not.)
    #[inline]
    fn snapshots_to(&mut self, t: Nanos) {
        if self.next_snapshot <= t {
            self.snapshot(t);
        }
    }

    #[cold]
    fn snapshot(&mut self, t: Nanos) {
        while self.next_snapshot <= t {
            self.rec.snapshot_route(
                self.next_snapshot - 1,
                self.route.index(),
                self.minute_waiting,
                self.minute_in_flight,
            );
            self.minute_waiting = (self.handler.waiting() + self.slots.waiting()) as u32;
            self.minute_in_flight = self.slots.in_service();
            self.next_snapshot += BIN;
        }
    }

    /// At the end of the run: everything still on this route is pending.
    pub fn close(&mut self) {
        while let Some((_, r)) = self.in_flight.pop() {
            self.rec.pending_at_device(&r);
        }
        for (_, r) in self.timeouts.drain() {
            self.rec.pending_at_device(&r);
        }
        let arrived = self
            .arrivals
            .drain(self.next_arrival..)
            .map(|x| dispatch(&x).1);
        let mut left: Vec<Request> = arrived.collect();
        left.extend(self.handling.take().map(|x| x.1));
        left.extend(self.cache_answers.drain().map(|x| x.1));
        left.extend(self.handler.drain_waiting());
        left.extend(self.slots.drain_waiting());
        for r in left {
            self.rec.pending(&r);
        }
        self.next_arrival = 0;
    }
}
