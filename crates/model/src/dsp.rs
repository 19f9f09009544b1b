//! The DCC data service (DSP): one sequential server, at its throughput, that every request passes
//! through before its route. It holds two classes of waiting work. On-demand and future-dated
//! work: existing users' on-demand requests, the midnight register reads that cannot be
//! DCC-scheduled (SRV 4.1.1, and SR 4.2 unless it is made schedulable: batches walked as they
//! are served), and their retries. DCC-scheduled work: released batches and their retries. The
//! DCC policy decides what it takes next: on-demand first (or strictly in order of asking), only
//! DCC-scheduled work held to the smoothing cap (and, upstream, moved into the MHHS window), and
//! nothing during a maintenance window.
//!
//! The DSP runs in steps: [`Dsp::advance`] serves everything that leaves it before a given time
//! and appends it to `out`, one list per route. Nothing a route does can reach the DSP sooner
//! than the retry delay, which is what lets the routes run a step behind, or on another thread.

use std::collections::VecDeque;

use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::calendar::Nanos;
use super::existing_traffic::OnDemandSource;
use super::line::Line;
use super::population::Population;
use super::recipes::Recipes;
use super::report::{BIN, Recorder};
use super::schedules::{Batch, Cursor, Rules};
use super::service_requests::{Request, Sr};
use super::station::Discipline;
use super::trait_table::TraitTable;
use super::users::UserGroup;

/// A request the DSP sent on, and when.
pub type Dispatch = (Nanos, Request);

/// A [`Dispatch`] as the lists between the DSP and the routes hold it: three words, the time and
/// then the request's two. Between Web Workers such a list travels as one copy of its memory
/// rather than being written and read back entry by entry (which cost each worker over a second
/// of the GB day).
pub type Sent = [u64; 3];

/// `r`, sent at `t`, as a list between the DSP and the routes holds it.
#[inline]
pub fn sent(t: Nanos, r: Request) -> Sent {
    let [a, b] = r.words();
    [t, a, b]
}

/// The request an entry of such a list holds, and when it was sent.
#[inline]
pub fn dispatch(s: &Sent) -> Dispatch {
    (s[0], Request::from_words(s[1], s[2]))
}

pub struct Dsp {
    /// Service time of one request: 1 / throughput.
    gap: Nanos,
    /// Smoothing: at least this long between scheduled requests (0 = no cap).
    cap_gap: Nanos,
    discipline: Discipline,
    horizon: Nanos,
    maintenance: Option<(Nanos, Nanos)>,
    pop: Population,
    /// The simulated meters' traits (filled by the simulation before or while the DSP runs).
    pub traits: TraitTable,
    /// What each batch asks of each meter, worked out as meters are met.
    recipes: Recipes,
    /// Every batch of the run, in order of release.
    batches: Vec<Batch>,
    next_release: usize,
    source: OnDemandSource,
    next_on_demand: Option<Nanos>,
    rng: Xoshiro256PlusPlus,
    /// Failed requests to send again, in the order they fall due.
    /// One lane per route (each in time order, as the route handed them back), taken in time
    /// order across lanes (the lower route first on a tie).
    retry_lanes: [Line<Dispatch>; 6],
    /// When each lane's first retry falls due (`Nanos::MAX`: none), kept as the lanes change, so
    /// the next retry is found without looking into six lines (for each of a day's 34 million
    /// retries that look was 3% of a run on one thread).
    retry_fronts: [Nanos; 6],
    /// When the next retry falls due, and in which lane (kept as the lanes change).
    next_retry: Option<(Nanos, usize)>,
    on_demand: Line<Request>,
    /// Released batches of on-demand and future-dated reads (midnight register reads), in order.
    on_demand_batches: VecDeque<Cursor>,
    retries: Line<Request>,
    backlog: VecDeque<Cursor>,
    /// Requests still to come from the batches in `on_demand_batches` and `backlog`.
    batch_waiting: u64,
    /// The largest backlog so far in the current minute.
    minute_backlog: u64,
    /// When the server is next free to choose (when idle: how far it has waited).
    free_at: Nanos,
    /// The request in service and when it leaves.
    serving: Option<Dispatch>,
    /// Earliest time the smoothing cap lets the next scheduled request go.
    next_scheduled: Nanos,
    next_snapshot: Nanos,
    pub events: u64,
    /// Serve a backlog batch back to back when nothing else can happen ([`Dsp::serve_batch_run`]);
    /// off only in the test that shows it changes nothing.
    pub(crate) batch_runs: bool,
    pub rec: Recorder,
    /// What left the DSP in the current step, per route, in time order.
    pub out: [Vec<Sent>; 6],
}

/// What the DSP needs to know of a run.
pub struct DspSetup {
    pub per_s: f64,
    pub smoothing_cap_per_s: Option<f64>,
    pub discipline: Discipline,
    pub horizon: Nanos,
    pub maintenance: Option<(Nanos, Nanos)>,
    pub source: OnDemandSource,
    pub rng: Xoshiro256PlusPlus,
    pub rec: Recorder,
}

impl Dsp {
    pub fn new(setup: DspSetup, pop: Population, rules: Rules, batches: Vec<Batch>) -> Dsp {
        let per_gap = |per_s: f64| super::calendar::nanos(1.0 / per_s).max(1);
        let mut rng = setup.rng;
        let next_on_demand = setup.source.next(&mut rng, 0, setup.horizon);
        Dsp {
            gap: per_gap(setup.per_s),
            cap_gap: setup.smoothing_cap_per_s.map_or(0, per_gap),
            discipline: setup.discipline,
            horizon: setup.horizon,
            maintenance: setup.maintenance,
            traits: TraitTable::new(&pop),
            pop,
            recipes: Recipes::new(rules),
            batches,
            next_release: 0,
            source: setup.source,
            next_on_demand,
            rng,
            retry_lanes: Default::default(),
            retry_fronts: [Nanos::MAX; 6],
            next_retry: None,
            on_demand: Line::new(),
            on_demand_batches: VecDeque::new(),
            retries: Line::new(),
            backlog: VecDeque::new(),
            batch_waiting: 0,
            minute_backlog: 0,
            free_at: 0,
            serving: None,
            next_scheduled: 0,
            next_snapshot: BIN,
            events: 0,
            batch_runs: true,
            rec: setup.rec,
            out: Default::default(),
        }
    }

    /// Fills up to `budget` more meters of the trait table; true when it is full.
    pub fn fill_traits(&mut self, budget: &mut u64) -> bool {
        *budget -= self.traits.fill(&self.pop, *budget);
        self.traits.is_full()
    }

    /// Fills the rest of the trait table on `threads` threads.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn fill_traits_in_parallel(&mut self, threads: usize) {
        self.traits.fill_in_parallel(&self.pop, threads);
    }

    /// Serves everything that leaves the DSP before `until`, spending at most `budget` events.
    /// Returns true when it got there (false: out of budget; call again).
    pub fn advance(&mut self, until: Nanos, budget: &mut u64) -> bool {
        // The request in service and when the server is free, kept in locals in the hot loop.
        let mut serving = self.serving.take();
        let mut free_at = self.free_at;
        let got_there = loop {
            if let Some((done, r)) = serving {
                if done >= until {
                    break true;
                }
                if *budget == 0 {
                    break false;
                }
                *budget -= 1;
                self.events += 1;
                self.snapshots_to(done);
                serving = None;
                self.rec.dispatched(done, &r);
                self.out[r.route().index()].push(sent(done, r));
                free_at = done;
            }
            let t = free_at;
            if t >= until {
                break true;
            }
            if *budget == 0 {
                break false;
            }
            self.snapshots_to(t);
            let admitted = self.admit(t);
            if admitted > 0 {
                self.minute_backlog = self.minute_backlog.max(self.backlog_now());
            }
            self.events += admitted;
            *budget = budget.saturating_sub(admitted.max(1));
            if let Some((start, end)) = self.maintenance
                && t >= start
                && t < end
            {
                // Nothing is served in the window; everything that arrives meanwhile waits.
                free_at = end;
                continue;
            }
            match self.choose(t) {
                Some(r) => {
                    serving = Some((t + self.gap, r));
                    if self.batch_runs {
                        self.serve_batch_run(&mut serving, &mut free_at, until, budget);
                    }
                }
                // Idle: wait for the next arrival or for the cap, but no further than `until`,
                // because retries that fall due later in this step may not have been handed in yet.
                None => free_at = self.next_input(t).min(until),
            }
        };
        self.serving = serving;
        self.free_at = free_at;
        if got_there {
            self.snapshots_to(until - 1);
        }
        got_there
    }

    /// Serves the first batch of the backlog back to back for as long as the general loop of
    /// [`Dsp::advance`] would certainly do the same: nothing arrives, no on-demand work waits, no
    /// retry was asked for before the batch, the smoothing cap does not bind and no maintenance
    /// window starts. Through most of a night the DSP does just this, so the run skips taking in
    /// arrivals and choosing between lines for each request. `serving` is the request in service
    /// and when it leaves; it is left holding the next one, not yet sent on, or empty with the
    /// server free at `free_at` when the batch ran out.
    fn serve_batch_run(
        &mut self,
        serving: &mut Option<Dispatch>,
        free_at: &mut Nanos,
        until: Nanos,
        budget: &mut u64,
    ) {
        let Some((mut done, mut r)) = *serving else {
            return;
        };
        if !self.on_demand.is_empty()
            || !self.on_demand_batches.is_empty()
            || self.cap_gap > self.gap
        {
            return;
        }
        // Scheduled work goes next as `choose` would take it: a batch, not a retry.
        let Some((_, false)) = self.scheduled_front() else {
            return;
        };
        let window = match self.maintenance {
            Some((start, _)) if done < start => start,
            Some((_, end)) if done < end => return,
            _ => Nanos::MAX,
        };
        let stop = until.min(self.next_arrival()).min(window);
        while done < stop && *budget >= 2 {
            // Send `r` on at `done`, then take the batch's next request at the same moment.
            *budget -= 2;
            self.events += 1;
            self.snapshots_to(done);
            self.rec.dispatched(done, &r);
            self.out[r.route().index()].push(sent(done, r));
            match Self::next_from(
                &mut self.backlog,
                &mut self.batch_waiting,
                &self.pop,
                &self.traits,
                &mut self.recipes,
                &mut self.rec,
            ) {
                Some(next) => {
                    self.next_scheduled = done + self.cap_gap;
                    r = next;
                    done += self.gap;
                }
                None => {
                    // The batch is done (and dropped): the general loop chooses again at `done`.
                    *serving = None;
                    *free_at = done;
                    return;
                }
            }
        }
        *serving = Some((done, r));
    }

    /// Takes in everything that has arrived by `t`; returns how many arrivals that was.
    fn admit(&mut self, t: Nanos) -> u64 {
        let mut n = 0;
        while let Some(b) = self.batches.get(self.next_release)
            && b.release <= t
        {
            let cursor = Cursor::new(b, &self.pop, &mut self.recipes);
            self.batch_waiting += cursor.remaining;
            if b.on_demand() {
                self.on_demand_batches.push_back(cursor);
            } else {
                self.backlog.push_back(cursor);
            }
            self.next_release += 1;
            n += 1;
        }
        while let Some(at) = self.next_on_demand
            && at <= t
        {
            let r = self.existing_on_demand(at);
            self.rec.submitted(&r);
            self.on_demand.push_back(r);
            self.next_on_demand = self.source.next(&mut self.rng, at, self.horizon);
            n += 1;
        }
        while let Some((at, lane)) = self.next_retry
            && at <= t
        {
            let (_, r) = self.retry_lanes[lane]
                .pop_front()
                .expect("a lane's first retry");
            self.lane_changed(lane);
            // The retry queues from when it fell due; its TRT still counts from `r.asked()`.
            let r = r.resubmitted(at);
            if r.on_demand() {
                self.on_demand.push_back(r)
            } else {
                self.retries.push_back(r)
            }
            n += 1;
        }
        n
    }

    /// Route `i` hands back its failed requests of a step, in time order, for a retry.
    pub fn retry_later<'a>(&mut self, i: usize, due: impl Iterator<Item = &'a Sent>) {
        let lane = &mut self.retry_lanes[i];
        for x in due.map(dispatch) {
            debug_assert!(
                lane.back().is_none_or(|b| x.0 >= b.0),
                "retries come back in time order"
            );
            lane.push_back(x);
        }
        self.lane_changed(i);
    }

    /// Retry lane `i` gained or lost its first retry: its time, and the next retry's, again.
    fn lane_changed(&mut self, i: usize) {
        self.retry_fronts[i] = self.retry_lanes[i].front().map_or(Nanos::MAX, |x| x.0);
        self.next_retry = self.earliest_retry();
    }

    /// The retry that falls due first, and its lane (the lower lane first on a tie).
    fn earliest_retry(&self) -> Option<(Nanos, usize)> {
        let (at, lane) = (1..6).fold((self.retry_fronts[0], 0), |first, i| {
            let here = (self.retry_fronts[i], i);
            if here.0 < first.0 { here } else { first }
        });
        (at < Nanos::MAX).then_some((at, lane))
    }

    /// When something next arrives: a batch's release, an on-demand request or a retry falling
    /// due (`Nanos::MAX`: nothing more).
    fn next_arrival(&self) -> Nanos {
        let release = self
            .batches
            .get(self.next_release)
            .map_or(Nanos::MAX, |b| b.release);
        let on_demand = self.next_on_demand.unwrap_or(Nanos::MAX);
        let retry = self.next_retry.map_or(Nanos::MAX, |x| x.0);
        release.min(on_demand).min(retry)
    }

    /// The earliest time after `t` something could change: an arrival or the smoothing cap.
    fn next_input(&self, t: Nanos) -> Nanos {
        let capped = self.scheduled_front().is_some() && self.next_scheduled > t;
        let wake = if capped {
            self.next_scheduled
        } else {
            Nanos::MAX
        };
        self.next_arrival().min(wake)
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
        Request::new(
            t,
            m,
            Sr::ExistingOnDemand,
            UserGroup::Existing as u8,
            route,
            true,
            false,
            self.pop.communicating(m),
        )
    }

    /// The next scheduled request to serve, if any is waiting: when it was asked for, and
    /// whether it is a retry (the earlier asked for goes first; a retry on a tie).
    fn scheduled_front(&self) -> Option<(Nanos, bool)> {
        let retry = self.retries.front().map(|r| r.submitted());
        let batch = self.backlog.front().map(|c| c.fired);
        match (retry, batch) {
            (Some(a), Some(b)) if a <= b => Some((a, true)),
            (_, Some(b)) => Some((b, false)),
            (Some(a), None) => Some((a, true)),
            (None, None) => None,
        }
    }

    /// The next on-demand request to serve, if any is waiting: when it joined, and whether it
    /// comes from a batch of midnight reads (the earlier goes first; a single request on a tie).
    fn on_demand_front(&self) -> Option<(Nanos, bool)> {
        let single = self.on_demand.front().map(|r| r.submitted());
        let batch = self.on_demand_batches.front().map(|c| c.fired);
        match (single, batch) {
            (Some(a), Some(b)) if a <= b => Some((a, false)),
            (_, Some(b)) => Some((b, true)),
            (Some(a), None) => Some((a, false)),
            (None, None) => None,
        }
    }

    /// What the DSP serves next: on-demand first (or in order of asking under FIFO), scheduled
    /// work no faster than the smoothing cap allows. Among scheduled work, the earlier asked
    /// for goes first (a retry on a tie).
    fn choose(&mut self, t: Nanos) -> Option<Request> {
        loop {
            let od_front = self.on_demand_front();
            let od = od_front.map(|(at, _)| at);
            let front = self.scheduled_front();
            let sched = front.map(|(at, _)| at);
            let sched_ready = self.cap_gap == 0 || t >= self.next_scheduled;
            let take_od = match (od, sched) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(a), Some(b)) => {
                    !sched_ready || self.discipline == Discipline::OnDemandFirst || a <= b
                }
            };
            if take_od {
                let next = match od_front {
                    Some((_, true)) => Self::next_from(
                        &mut self.on_demand_batches,
                        &mut self.batch_waiting,
                        &self.pop,
                        &self.traits,
                        &mut self.recipes,
                        &mut self.rec,
                    ),
                    _ => self.on_demand.pop_front(),
                };
                match next {
                    Some(r) => return Some(r),
                    // An exhausted batch was dropped: look again.
                    None => continue,
                }
            }
            if sched.is_none() || !sched_ready {
                return None;
            }
            let next = match front {
                Some((_, true)) => self.retries.pop_front(),
                _ => Self::next_from(
                    &mut self.backlog,
                    &mut self.batch_waiting,
                    &self.pop,
                    &self.traits,
                    &mut self.recipes,
                    &mut self.rec,
                ),
            };
            if let Some(r) = next {
                self.next_scheduled = t + self.cap_gap;
                return Some(r);
            }
            // An exhausted batch was dropped: look again.
        }
    }

    /// The next request of the first batch in `batches`; `None` (and the batch dropped) when it
    /// has none left. (An associated function, so the caller can lend it one line of batches
    /// and the rest of the DSP at once.)
    fn next_from(
        batches: &mut VecDeque<Cursor>,
        batch_waiting: &mut u64,
        pop: &Population,
        traits: &TraitTable,
        recipes: &mut Recipes,
        rec: &mut Recorder,
    ) -> Option<Request> {
        let cursor = batches.front_mut()?;
        let before = cursor.remaining;
        match cursor.next(pop, traits, recipes) {
            Some(r) => {
                *batch_waiting -= before - cursor.remaining;
                rec.submitted(&r);
                Some(r)
            }
            None => {
                *batch_waiting -= cursor.remaining;
                batches.pop_front();
                None
            }
        }
    }

    /// Requests waiting at the DSP now (batches' requests by their count).
    fn backlog_now(&self) -> u64 {
        self.on_demand.len() as u64 + self.retries.len() as u64 + self.batch_waiting
    }

    /// Records the largest backlog of every minute that ended by `t`.
    #[inline]
    fn snapshots_to(&mut self, t: Nanos) {
        if self.next_snapshot <= t {
            self.snapshot_backlog(t);
        }
    }

    #[cold]
    fn snapshot_backlog(&mut self, t: Nanos) {
        let now = self.backlog_now();
        while self.next_snapshot <= t {
            // A minute starts with what the one before ended with.
            self.minute_backlog = self.minute_backlog.max(now);
            self.rec
                .snapshot_dsp(self.next_snapshot - 1, self.minute_backlog);
            self.minute_backlog = now;
            self.next_snapshot += BIN;
        }
    }

    /// At the end of the run: everything still waiting or in service is pending, and batches not
    /// yet released or not yet walked are generated so they are counted by kind and route.
    pub fn close(&mut self) {
        if let Some((_, r)) = self.serving.take() {
            self.rec.pending(&r);
        }
        for r in self.on_demand.drain().chain(self.retries.drain()) {
            self.rec.pending(&r);
        }
        for lane in &mut self.retry_lanes {
            for (_, r) in lane.drain() {
                self.rec.pending(&r);
            }
        }
        self.retry_fronts = [Nanos::MAX; 6];
        self.next_retry = None;
        let unreleased = (self.next_release..self.batches.len())
            .map(|i| Cursor::new(&self.batches[i], &self.pop, &mut self.recipes));
        let mut left: Vec<Cursor> = self.on_demand_batches.drain(..).collect();
        left.extend(self.backlog.drain(..));
        left.extend(unreleased);
        self.next_release = self.batches.len();
        for mut c in left {
            while let Some(r) = c.next(&self.pop, &self.traits, &mut self.recipes) {
                self.rec.submitted(&r);
                self.rec.pending(&r);
            }
        }
    }
}
