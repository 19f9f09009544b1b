//! The report of a run: the accounts (every request ends completed within TRT, completed late,
//! failed or still pending), key figures, tables by service request and route, and minute-by-minute
//! series. The [`Recorder`] collects while the simulation runs; [`Recorder::finish`] turns that
//! into a [`Report`], scaled up to GB when the run was a sample.

use serde::{Deserialize, Serialize};

use super::calendar::{Nanos, SECOND, seconds};
use super::routes::ROUTES;
use super::scenario::Scenario;
use super::service_requests::{Request, SRS, Sr};
use super::trt::Trts;
use super::users::UserGroup;

/// Width of a series bin.
pub const BIN: Nanos = 60 * SECOND;

/// Where every request ended. A request is what a user asked for once (a schedule's read of a
/// meter, an on-demand read), however many attempts it took; it ends exactly once: completed
/// within its TRT or late (both counted from the user's request, through every retry), failed
/// (given up after its last attempt) or pending (still in the system at the horizon, a retry
/// waiting included). The four outcomes add up to `submitted`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    pub submitted: u64,
    pub completed_within_trt: u64,
    pub completed_late: u64,
    pub failed: u64,
    pub pending: u64,
    /// Of `pending`, those whose TRT had already run out at the horizon (so they can no longer
    /// be answered in time).
    #[serde(default)]
    pub pending_past_trt: u64,
}

impl Accounts {
    pub fn ended(&self) -> u64 {
        self.completed_within_trt + self.completed_late + self.failed + self.pending
    }
    fn add(&mut self, o: &Accounts) {
        self.submitted += o.submitted;
        self.completed_within_trt += o.completed_within_trt;
        self.completed_late += o.completed_late;
        self.failed += o.failed;
        self.pending += o.pending;
        self.pending_past_trt += o.pending_past_trt;
    }
    /// Scaled by `k`, keeping the outcomes adding up to the total.
    fn scaled(&self, k: f64) -> Accounts {
        let s = |x: u64| (x as f64 * k).round() as u64;
        let a = Accounts {
            submitted: 0,
            completed_within_trt: s(self.completed_within_trt),
            completed_late: s(self.completed_late),
            failed: s(self.failed),
            pending: s(self.pending),
            pending_past_trt: s(self.pending_past_trt).min(s(self.pending)),
        };
        Accounts {
            submitted: a.ended(),
            ..a
        }
    }
    /// TRT compliance: the share of requests answered within their TRT, counted from the user's
    /// request through every retry, among those whose outcome is known: requests given up, and
    /// requests still pending after their TRT ran out, count as not within it (1 when none).
    pub fn trt_compliance(&self) -> f64 {
        let known =
            self.completed_within_trt + self.completed_late + self.failed + self.pending_past_trt;
        if known == 0 {
            1.0
        } else {
            self.completed_within_trt as f64 / known as f64
        }
    }
}

/// What the devices saw: every attempt sent to a meter (a first try or a retry; answers from the
/// S1SP cache are not device attempts). Each ends answered, failed (an error or no answer by the
/// timeout), or still in flight at the horizon: `sent` = `answered` + `failed` + `in_flight`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    pub sent: u64,
    pub answered: u64,
    pub failed: u64,
    pub in_flight: u64,
}

impl Attempts {
    pub fn ended(&self) -> u64 {
        self.answered + self.failed + self.in_flight
    }
    fn add(&mut self, o: &Attempts) {
        self.sent += o.sent;
        self.answered += o.answered;
        self.failed += o.failed;
        self.in_flight += o.in_flight;
    }
    /// Scaled by `k`, keeping the outcomes adding up to the total.
    fn scaled(&self, k: f64) -> Attempts {
        let s = |x: u64| (x as f64 * k).round() as u64;
        let a = Attempts {
            sent: 0,
            answered: s(self.answered),
            failed: s(self.failed),
            in_flight: s(self.in_flight),
        };
        Attempts {
            sent: a.ended(),
            ..a
        }
    }
}

/// Response times on a log scale: 128 bins per doubling (each 0.4% to 0.8% wide) from 1 ms to
/// about 100 days, found from the bits of the time in nanoseconds (no logarithm per request).
/// A quantile is its bin's geometric middle, so it is within 0.4% of the exact sample quantile
/// (for times over 1 ms; shorter times share the first bin and read as 1 ms).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogHistogram {
    #[serde(with = "sparse_counts")]
    counts: Vec<u64>,
    total: u64,
    sum: f64,
}

/// Times under 2^20 ns (about 1 ms) share the first bin.
const H_FLOOR_BITS: u32 = 20;
const H_SHIFT: u32 = 7;
const H_PER_DOUBLING: u32 = 1 << H_SHIFT;
const H_BINS: usize = 1 + 33 * H_PER_DOUBLING as usize;

/// Empty until its first time: a recorder holds one per service request and route (about two
/// megabytes of bins in all) and each of a run's seven recorders fills only its own route's.
/// Zeroing and adding up the rest was a sixth of a preview's run.
impl Default for LogHistogram {
    fn default() -> Self {
        LogHistogram {
            counts: Vec::new(),
            total: 0,
            sum: 0.0,
        }
    }
}

impl LogHistogram {
    fn bin(t: Nanos) -> usize {
        if t < 1 << H_FLOOR_BITS {
            return 0;
        }
        let doubling = 63 - t.leading_zeros();
        let within = (t >> (doubling - H_SHIFT)) & (H_PER_DOUBLING as u64 - 1);
        (1 + (doubling - H_FLOOR_BITS) as usize * H_PER_DOUBLING as usize + within as usize)
            .min(H_BINS - 1)
    }

    /// The geometric middle of bin `i`, in seconds.
    fn middle(i: usize) -> f64 {
        if i == 0 {
            return 0.001;
        }
        let doubling = (H_FLOOR_BITS + (i as u32 - 1) / H_PER_DOUBLING) as i32;
        let within = ((i as u32 - 1) % H_PER_DOUBLING) as f64;
        let k = H_PER_DOUBLING as f64;
        2f64.powi(doubling) * ((1.0 + within / k) * (1.0 + (within + 1.0) / k)).sqrt()
            / SECOND as f64
    }

    pub fn add(&mut self, t: Nanos) {
        made(&mut self.counts, H_BINS)[Self::bin(t)] += 1;
        self.total += 1;
        self.sum += seconds(t);
    }
    pub fn merge(&mut self, o: &LogHistogram) {
        add_series(&mut self.counts, &o.counts, |x, y| *x += y);
        self.total += o.total;
        self.sum += o.sum;
    }
    /// Mean in seconds.
    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum / self.total as f64
        }
    }
    /// The `q` quantile (0..1) in seconds, to within half a bin (0.4%).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let target = (q * self.total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return Self::middle(i);
            }
        }
        Self::middle(H_BINS - 1)
    }
}

/// A histogram's counts as (bin, count) pairs of the bins that are not empty: a report's
/// recorders travel between workers, and most of their thousands of bins are empty.
mod sparse_counts {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(counts: &[u64], s: S) -> Result<S::Ok, S::Error> {
        let pairs: Vec<(u32, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (i as u32, *c))
            .collect();
        pairs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
        let pairs = Vec::<(u32, u64)>::deserialize(d)?;
        let mut counts = vec![0; super::H_BINS];
        for (i, c) in pairs {
            let slot = counts.get_mut(i as usize).ok_or_else(|| {
                serde::de::Error::custom(format!("histogram bin {i} out of range"))
            })?;
            *slot = c;
        }
        Ok(counts)
    }
}

/// Where a request's HH data item is counted: D's or D+1's collection, suppliers or agents; `None`
/// when it is not a user's MHHS HH data.
fn item_index(r: &Request) -> Option<usize> {
    (r.sr().is_hh_data() && (r.user() as usize) < 2)
        .then(|| r.next_night() as usize * 2 + r.user() as usize)
}

/// Adds counts `b` into `a`, row by row.
fn add_counts<const N: usize>(a: &mut [[u32; N]], b: &[[u32; N]]) {
    a.iter_mut().zip(b).for_each(|(x, y)| add_row(x, y));
}

fn add_row<const N: usize>(a: &mut [u32; N], b: &[u32; N]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
}

/// A series (of minutes, or of a histogram's bins), made all zeros the first time it is written.
fn made<T: Copy + Default>(series: &mut Vec<T>, bins: usize) -> &mut [T] {
    if series.is_empty() {
        series.resize(bins, T::default());
    }
    series
}

/// Adds series `b` into `a`, element by element; a series never written adds nothing.
fn add_series<T: Copy>(a: &mut Vec<T>, b: &[T], add: impl Fn(&mut T, &T)) {
    if b.is_empty() {
        return;
    }
    if a.is_empty() {
        a.extend_from_slice(b);
        return;
    }
    a.iter_mut().zip(b).for_each(|(x, y)| add(x, y));
}

/// Collects what a run measures (serialisable so a split run can pass the DSP's accounts on).
#[derive(Serialize, Deserialize)]
pub struct Recorder {
    bins: usize,
    trts: Trts,
    horizon: Nanos,
    working: [(Nanos, Nanos); 2],
    /// Requests the DSP sent on, per minute: [route][0 = MHHS, 1 = existing].
    pub dispatched: Vec<[[u32; 2]; 6]>,
    /// The largest DSP backlog within each minute (requests waiting, not yet sent on).
    pub backlog_dsp: Vec<u64>,
    /// The largest number waiting at each route within each minute, and in flight to devices.
    pub backlog_route: Vec<[u32; 6]>,
    pub in_flight_route: Vec<[u32; 6]>,
    /// HH data items (meter, user, import/export) delivered per minute, per night and user group:
    /// [D's suppliers, D's agents, D+1's suppliers, D+1's agents] (see [`item_index`]).
    pub delivered: Vec<[u32; 4]>,
    /// HH data items asked for, the same way.
    pub items: [u64; 4],
    /// Requests by service request and route (see [`Accounts`]).
    pub accounts: Vec<[Accounts; 6]>,
    /// The same outcomes by how requests were sent: [on-demand or future-dated, DCC-scheduled].
    pub by_class: [Accounts; 2],
    /// Device attempts by service request and route (see [`Attempts`]).
    pub attempts: Vec<[Attempts; 6]>,
    pub times: Vec<[LogHistogram; 6]>,
    pub daytime_wait: LogHistogram,
    pub mhhs_in_working_hours: u64,
    pub cache_hits: [u64; 6],
    pub last_mhhs_completion: Nanos,
}

impl Recorder {
    pub fn new(s: &Scenario) -> Recorder {
        let bins = (s.report.horizon_h * 60.0).ceil() as usize;
        let w = &s.report.working_hours;
        let h = |x: f64| (x * 3600.0 * SECOND as f64) as Nanos;
        Recorder {
            bins,
            trts: Trts::new(s),
            horizon: (s.report.horizon_h * 3600.0 * SECOND as f64) as Nanos,
            working: [
                (h(w.start_h), h(w.end_h)),
                (h(w.start_h + 24.0), h(w.end_h + 24.0)),
            ],
            // Each stage fills only some of the minute series (the DSP what it sent and its
            // backlog, the routes theirs): a series is made when first written.
            dispatched: Vec::new(),
            backlog_dsp: Vec::new(),
            backlog_route: Vec::new(),
            in_flight_route: Vec::new(),
            delivered: Vec::new(),
            items: [0; 4],
            accounts: vec![[Accounts::default(); 6]; SRS.len()],
            by_class: [Accounts::default(); 2],
            attempts: vec![[Attempts::default(); 6]; SRS.len()],
            times: (0..SRS.len()).map(|_| Default::default()).collect(),
            daytime_wait: LogHistogram::default(),
            mhhs_in_working_hours: 0,
            cache_hits: [0; 6],
            last_mhhs_completion: 0,
        }
    }

    fn bin(&self, t: Nanos) -> usize {
        ((t / BIN) as usize).min(self.bins - 1)
    }

    pub fn in_working_hours(&self, t: Nanos) -> bool {
        self.working.iter().any(|&(a, b)| t >= a && t < b)
    }

    /// Applies `f` to the request's row (service request × route) and to its class.
    fn count(&mut self, r: &Request, f: impl Fn(&mut Accounts)) {
        f(&mut self.accounts[r.sr_index()][r.route().index()]);
        f(&mut self.by_class[!r.on_demand() as usize]);
    }

    /// Applies `f` to the request's row of device attempts.
    fn attempt(&mut self, r: &Request, f: impl Fn(&mut Attempts)) {
        f(&mut self.attempts[r.sr_index()][r.route().index()]);
    }

    /// A user's new request (its first attempt) joined the DSP.
    pub fn submitted(&mut self, r: &Request) {
        debug_assert_eq!(r.attempt(), 1, "only first attempts are new requests");
        self.count(r, |a| a.submitted += 1);
        if let Some(i) = item_index(r) {
            self.items[i] += 1;
        }
    }

    pub fn dispatched(&mut self, t: Nanos, r: &Request) {
        let mhhs = r.sr().is_mhhs();
        let b = self.bin(t);
        made(&mut self.dispatched, self.bins)[b][r.route().index()][!mhhs as usize] += 1;
        if mhhs && self.in_working_hours(t) {
            self.mhhs_in_working_hours += 1;
        }
    }

    /// An attempt reached a device (`device`) or the S1SP cache after queueing since it joined
    /// the DSP (the daytime queueing figure is this wait, attempt by attempt).
    pub fn started(&mut self, t: Nanos, r: &Request, device: bool) {
        if device {
            self.attempt(r, |a| a.sent += 1);
        }
        if r.sr() == Sr::ExistingOnDemand && self.in_working_hours(r.submitted()) {
            self.daytime_wait.add(t - r.submitted());
        }
    }

    pub fn answered(&mut self, t: Nanos, r: &Request, trt: Nanos, from_cache: bool) {
        let route = r.route().index();
        if from_cache {
            self.cache_hits[route] += 1
        } else {
            self.attempt(r, |a| a.answered += 1);
        }
        // From the user's request, through every retry.
        let took = t - r.asked();
        self.times[r.sr_index()][route].add(took);
        if took <= trt {
            self.count(r, |a| a.completed_within_trt += 1)
        } else {
            self.count(r, |a| a.completed_late += 1)
        }
        if let Some(i) = item_index(r) {
            let b = self.bin(t);
            made(&mut self.delivered, self.bins)[b][i] += 1;
        }
        if r.sr().is_mhhs() {
            self.last_mhhs_completion = self.last_mhhs_completion.max(t);
        }
    }

    /// A device attempt failed (an error, or no answer by the timeout).
    pub fn attempt_failed(&mut self, r: &Request) {
        self.attempt(r, |a| a.failed += 1);
    }

    /// The request is given up: its last attempt failed.
    pub fn gave_up(&mut self, r: &Request) {
        self.count(r, |a| a.failed += 1);
    }

    /// The request is still in the system at the horizon (waiting, or waiting for a retry).
    pub fn pending(&mut self, r: &Request) {
        let trt = self.trts.of(r.on_demand(), r.route().is_smets1());
        let past = self.horizon.saturating_sub(r.asked()) > trt;
        self.count(r, |a| {
            a.pending += 1;
            a.pending_past_trt += past as u64;
        });
    }

    /// The request is still at a device at the horizon: pending, its attempt in flight.
    pub fn pending_at_device(&mut self, r: &Request) {
        self.pending(r);
        self.attempt(r, |a| a.in_flight += 1);
    }

    /// The DSP's largest backlog in the minute holding `t`.
    pub fn snapshot_dsp(&mut self, t: Nanos, backlog: u64) {
        let b = self.bin(t);
        made(&mut self.backlog_dsp, self.bins)[b] = backlog;
    }

    /// One route's largest number waiting, and in flight, in the minute holding `t`.
    pub fn snapshot_route(&mut self, t: Nanos, route: usize, waiting: u32, in_flight: u32) {
        let b = self.bin(t);
        made(&mut self.backlog_route, self.bins)[b][route] = waiting;
        made(&mut self.in_flight_route, self.bins)[b][route] = in_flight;
    }

    /// Adds what another recorder of the same run collected. Every stage of a run (the DSP and
    /// each route) records apart, so they can run on different threads; each writes its own
    /// snapshot columns, so adding them puts the picture back together.
    pub fn merge(&mut self, o: &Recorder) {
        add_series(&mut self.dispatched, &o.dispatched, |a, b| add_counts(a, b));
        add_series(&mut self.backlog_dsp, &o.backlog_dsp, |a, b| *a += b);
        add_series(&mut self.backlog_route, &o.backlog_route, add_row);
        add_series(&mut self.in_flight_route, &o.in_flight_route, add_row);
        add_series(&mut self.delivered, &o.delivered, add_row);
        self.items
            .iter_mut()
            .zip(o.items)
            .for_each(|(x, y)| *x += y);
        for (a, b) in self
            .accounts
            .iter_mut()
            .flatten()
            .zip(o.accounts.iter().flatten())
        {
            a.add(b);
        }
        self.by_class
            .iter_mut()
            .zip(&o.by_class)
            .for_each(|(a, b)| a.add(b));
        for (a, b) in self
            .attempts
            .iter_mut()
            .flatten()
            .zip(o.attempts.iter().flatten())
        {
            a.add(b);
        }
        for (a, b) in self
            .times
            .iter_mut()
            .flatten()
            .zip(o.times.iter().flatten())
        {
            a.merge(b);
        }
        self.daytime_wait.merge(&o.daytime_wait);
        self.mhhs_in_working_hours += o.mhhs_in_working_hours;
        self.cache_hits
            .iter_mut()
            .zip(o.cache_hits)
            .for_each(|(x, y)| *x += y);
        self.last_mhhs_completion = self.last_mhhs_completion.max(o.last_mhhs_completion);
    }

    /// Totals over every service request and route.
    pub fn totals(&self) -> Accounts {
        let mut t = Accounts::default();
        self.accounts.iter().flatten().for_each(|a| t.add(a));
        t
    }

    /// Device attempts over every service request and route.
    pub fn attempt_totals(&self) -> Attempts {
        let mut t = Attempts::default();
        self.attempts.iter().flatten().for_each(|a| t.add(a));
        t
    }

    /// Device attempts sent on each route.
    fn device_hits(&self) -> [u64; 6] {
        let mut hits = [0; 6];
        for row in &self.attempts {
            for (h, a) in hits.iter_mut().zip(row) {
                *h += a.sent;
            }
        }
        hits
    }

    /// The share of the HH data items counted in `columns` (see [`item_index`]) delivered in the
    /// first `minutes` of the run; 1 when there are none.
    fn delivered_share(&self, columns: &[usize], minutes: usize) -> f64 {
        let items: u64 = columns.iter().map(|&c| self.items[c]).sum();
        let got: u64 = self.delivered[..minutes.min(self.bins)]
            .iter()
            .flat_map(|d| columns.iter().map(|&c| d[c] as u64))
            .sum();
        if items == 0 {
            1.0
        } else {
            got as f64 / items as f64
        }
    }

    pub fn finish(
        mut self,
        s: &Scenario,
        sample: f64,
        events: u64,
        include_series: bool,
    ) -> Report {
        // Series no stage wrote (nothing sent in a run, say) are zeros for every minute.
        let bins = self.bins;
        made(&mut self.dispatched, bins);
        made(&mut self.backlog_dsp, bins);
        made(&mut self.backlog_route, bins);
        made(&mut self.in_flight_route, bins);
        made(&mut self.delivered, bins);
        let k = 1.0 / sample;
        let per_s = |n: f64| n * k / seconds(BIN);
        let totals = self.totals();
        let attempts = self.attempt_totals();
        let device_hits = self.device_hits();
        let (peak_bin, peak) = self
            .dispatched
            .iter()
            .map(|b| b.iter().map(|r| (r[0] + r[1]) as f64).sum::<f64>())
            .enumerate()
            .fold((0, 0.0), |acc, (i, x)| if x > acc.1 { (i, x) } else { acc });
        let needed = ((s.report.needed_by_h * 60.0) as usize).min(self.bins);
        let by_users: Vec<Delivery> = (0..2)
            .map(|u| Delivery {
                user: UserGroup::from_index(u).label().into(),
                items: (self.items[u] as f64 * k).round() as u64,
                by_needed_by: self.delivered_share(&[u], needed),
                by_end_of_d1: self.delivered_share(&[u], 48 * 60),
            })
            .collect();
        let all_items: u64 = self.items[..2].iter().sum();
        let weighted = |f: fn(&Delivery) -> f64| {
            if all_items == 0 {
                1.0
            } else {
                (0..2)
                    .map(|u| f(&by_users[u]) * self.items[u] as f64)
                    .sum::<f64>()
                    / all_items as f64
            }
        };
        let mut rows = Vec::new();
        for sr in SRS {
            for route in ROUTES {
                let a = self.accounts[sr.index()][route.index()];
                if a.submitted == 0 {
                    continue;
                }
                let h = &self.times[sr.index()][route.index()];
                rows.push(SrRouteRow {
                    sr: sr.info().code.into(),
                    route: route.key().into(),
                    requests: a.scaled(k),
                    attempts: self.attempts[sr.index()][route.index()].scaled(k),
                    trt_compliance: a.trt_compliance(),
                    p50_s: h.quantile(0.5),
                    p95_s: h.quantile(0.95),
                    p99_s: h.quantile(0.99),
                });
            }
        }
        let [on_demand, scheduled] = self.by_class;
        let key = KeyFigures {
            mhhs_delivered_by_needed_by: weighted(|d| d.by_needed_by),
            mhhs_delivered_by_end_of_d1: weighted(|d| d.by_end_of_d1),
            next_night_delivered_by_needed_by: s
                .collection
                .next_night
                .then(|| self.delivered_share(&[2, 3], needed + 24 * 60)),
            mhhs_requests_in_working_hours: (self.mhhs_in_working_hours as f64 * k).round() as u64,
            daytime_wait_mean_s: self.daytime_wait.mean(),
            daytime_wait_p95_s: self.daytime_wait.quantile(0.95),
            on_demand_trt_compliance: on_demand.trt_compliance(),
            scheduled_trt_compliance: scheduled.trt_compliance(),
            device_hits: (device_hits.iter().sum::<u64>() as f64 * k).round() as u64,
            cache_hits: (self.cache_hits.iter().sum::<u64>() as f64 * k).round() as u64,
            peak_dsp_backlog: (self.backlog_dsp.iter().copied().max().unwrap_or(0) as f64 * k)
                .round() as u64,
            peak_s1sp_backlog: (self
                .backlog_route
                .iter()
                .map(|b| b[3] + b[4] + b[5])
                .max()
                .unwrap_or(0) as f64
                * k)
                .round() as u64,
            last_mhhs_completion_h: seconds(self.last_mhhs_completion) / 3600.0,
        };
        let series = include_series.then(|| Series {
            bin_seconds: seconds(BIN),
            dispatched_per_s: ROUTES
                .iter()
                .map(|r| {
                    let col = |p: usize| {
                        self.dispatched
                            .iter()
                            .map(|b| per_s(b[r.index()][p] as f64) as f32)
                            .collect()
                    };
                    RouteSeries {
                        route: r.key().into(),
                        mhhs: col(0),
                        existing: col(1),
                    }
                })
                .collect(),
            backlog_dsp: self
                .backlog_dsp
                .iter()
                .map(|&x| (x as f64 * k) as f32)
                .collect(),
            backlog_route: ROUTES
                .iter()
                .map(|r| {
                    self.backlog_route
                        .iter()
                        .map(|b| (b[r.index()] as f64 * k) as f32)
                        .collect()
                })
                .collect(),
            in_flight_route: ROUTES
                .iter()
                .map(|r| {
                    self.in_flight_route
                        .iter()
                        .map(|b| (b[r.index()] as f64 * k) as f32)
                        .collect()
                })
                .collect(),
            delivered_share: (0..2)
                .map(|u| {
                    let items = self.items[u].max(1) as f64;
                    let mut run = 0u64;
                    self.delivered
                        .iter()
                        .map(|d| {
                            run += d[u] as u64;
                            (run as f64 / items) as f32
                        })
                        .collect()
                })
                .collect(),
        });
        Report {
            model_version: MODEL_VERSION,
            scenario: s.name.clone(),
            seed: s.seed,
            sample,
            mode: if sample >= 1.0 {
                "full".into()
            } else {
                "sampled".into()
            },
            requests: totals.scaled(k),
            simulated_requests: totals,
            attempts: attempts.scaled(k),
            simulated_attempts: attempts,
            peak_requests_per_second: per_s(peak),
            peak_at_h: peak_bin as f64 / 60.0,
            events,
            wall_seconds: 0.0,
            key_figures: key,
            delivery: by_users,
            by_service_request_and_route: rows,
            hits_by_route: ROUTES
                .iter()
                .map(|r| RouteHits {
                    route: r.key().into(),
                    device: (device_hits[r.index()] as f64 * k).round() as u64,
                    cache: (self.cache_hits[r.index()] as f64 * k).round() as u64,
                })
                .collect(),
            series,
        }
    }
}

/// The model's version, in every report and headline: version 2 counts each request once and
/// TRTs from the user's request through every retry (version 1, before December 2026, counted
/// attempts and restarted the TRT at each retry).
pub const MODEL_VERSION: u32 = 2;

fn model_version_1() -> u32 {
    1
}

fn full_scale() -> f64 {
    1.0
}

/// The headline of a report: what its key figures are read from. Small enough to keep as the
/// evidence of a consultation answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    /// The model version that made it (absent from headlines made by version 1).
    #[serde(default = "model_version_1")]
    pub model_version: u32,
    /// The share of meters simulated (1 = full scale; absent from version 1 headlines, whose
    /// figures are shown as they were).
    #[serde(default = "full_scale")]
    pub sample: f64,
    pub requests_submitted: u64,
    pub peak_requests_per_second: f64,
    pub peak_at_h: f64,
    pub key_figures: KeyFigures,
}

impl Report {
    pub fn headline(&self) -> Headline {
        Headline {
            model_version: self.model_version,
            sample: self.sample,
            requests_submitted: self.requests.submitted,
            peak_requests_per_second: self.peak_requests_per_second,
            peak_at_h: self.peak_at_h,
            key_figures: self.key_figures.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeyFigures {
    /// Share of users' MHHS HH data delivered by the needed-by time (e.g. 07:00 on D).
    pub mhhs_delivered_by_needed_by: f64,
    /// Share delivered by the end of D+1.
    pub mhhs_delivered_by_end_of_d1: f64,
    /// When D+1's own collection runs too: the share of its data delivered by the needed-by time
    /// on D+1 (the figures above are D's data alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_night_delivered_by_needed_by: Option<f64>,
    /// MHHS requests the DSP sent on during working hours.
    pub mhhs_requests_in_working_hours: u64,
    /// Queueing delay of existing on-demand requests sent in working hours (mean and 95th percentile).
    pub daytime_wait_mean_s: f64,
    pub daytime_wait_p95_s: f64,
    pub on_demand_trt_compliance: f64,
    pub scheduled_trt_compliance: f64,
    pub device_hits: u64,
    pub cache_hits: u64,
    pub peak_dsp_backlog: u64,
    pub peak_s1sp_backlog: u64,
    /// When the last MHHS request completed, hours from 00:00 on D.
    pub last_mhhs_completion_h: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Delivery {
    pub user: String,
    pub items: u64,
    pub by_needed_by: f64,
    pub by_end_of_d1: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SrRouteRow {
    pub sr: String,
    pub route: String,
    pub requests: Accounts,
    pub attempts: Attempts,
    pub trt_compliance: f64,
    pub p50_s: f64,
    pub p95_s: f64,
    pub p99_s: f64,
}

/// Requests that reached a device, and those the S1SP cache answered instead, on one route.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RouteHits {
    pub route: String,
    pub device: u64,
    pub cache: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RouteSeries {
    pub route: String,
    pub mhhs: Vec<f32>,
    pub existing: Vec<f32>,
}

/// Minute-by-minute series over the horizon (GB scale).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Series {
    pub bin_seconds: f64,
    pub dispatched_per_s: Vec<RouteSeries>,
    pub backlog_dsp: Vec<f32>,
    /// Waiting at each route (in route order), and in flight to devices.
    pub backlog_route: Vec<Vec<f32>>,
    pub in_flight_route: Vec<Vec<f32>>,
    /// Cumulative share of HH data delivered, suppliers then agents.
    pub delivered_share: Vec<Vec<f32>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// See [`MODEL_VERSION`].
    #[serde(default = "model_version_1")]
    pub model_version: u32,
    pub scenario: String,
    pub seed: u64,
    pub sample: f64,
    pub mode: String,
    /// GB-scale accounts of requests (the simulated ones scaled up by 1 / sample): each
    /// request a user made, counted once however many attempts it took.
    pub requests: Accounts,
    /// Accounts of the requests actually simulated.
    pub simulated_requests: Accounts,
    /// GB-scale device attempts (first tries and retries), and those actually simulated.
    pub attempts: Attempts,
    pub simulated_attempts: Attempts,
    pub peak_requests_per_second: f64,
    pub peak_at_h: f64,
    pub events: u64,
    pub wall_seconds: f64,
    pub key_figures: KeyFigures,
    pub delivery: Vec<Delivery>,
    pub by_service_request_and_route: Vec<SrRouteRow>,
    pub hits_by_route: Vec<RouteHits>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub series: Option<Series>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_within_a_bin() {
        let mut h = LogHistogram::default();
        for i in 1..=1000 {
            h.add(i * SECOND / 10);
        }
        assert!(
            (h.quantile(0.5) / 50.0 - 1.0).abs() < 0.03,
            "{}",
            h.quantile(0.5)
        );
        assert!(
            (h.quantile(0.95) / 95.0 - 1.0).abs() < 0.03,
            "{}",
            h.quantile(0.95)
        );
        assert!((h.mean() - 50.05).abs() < 1e-9);
        // Every bin's middle lies inside the bin, and bins grow by about 4.4%.
        for t in [
            1 << 20,
            1_500_000,
            999_999_999,
            86_400 * SECOND,
            40 * 86_400 * SECOND,
        ] {
            let m = LogHistogram::middle(LogHistogram::bin(t)) * SECOND as f64;
            assert!((m / t as f64 - 1.0).abs() < 0.0055, "{t}: middle {m}");
        }
        assert_eq!(LogHistogram::bin(5), 0);
        assert_eq!(LogHistogram::bin(u64::MAX), H_BINS - 1);
    }

    #[test]
    fn scaled_accounts_still_add_up() {
        let a = Accounts {
            submitted: 10,
            completed_within_trt: 3,
            completed_late: 3,
            failed: 3,
            pending: 1,
            pending_past_trt: 1,
        };
        let s = a.scaled(1.0 / 0.3);
        assert_eq!(s.submitted, s.ended());
        assert!(s.pending_past_trt <= s.pending);
    }

    #[test]
    fn compliance_counts_requests_given_up_and_pending_past_their_trt_as_not_within_it() {
        let a = Accounts {
            submitted: 10,
            completed_within_trt: 4,
            completed_late: 2,
            failed: 2,
            pending: 2,
            pending_past_trt: 1,
        };
        // 4 on time of the 9 whose outcome is known (one pending request may still be on time).
        assert!((a.trt_compliance() - 4.0 / 9.0).abs() < 1e-12);
        assert_eq!(Accounts::default().trt_compliance(), 1.0);
    }

    #[test]
    fn histograms_without_times_hold_no_bins_and_merge_as_zeros() {
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        assert!(a.counts.is_empty());
        a.merge(&b);
        assert!(a.counts.is_empty(), "nothing to add: still no bins");
        b.add(3 * SECOND);
        b.add(5 * SECOND);
        a.merge(&b);
        a.merge(&LogHistogram::default());
        assert_eq!((a.total, a.counts.len()), (2, H_BINS));
        assert_eq!(a.quantile(1.0), b.quantile(1.0));
        // Read back from a message, an empty one has every bin again, and the same figures.
        let json = serde_json::to_string(&LogHistogram::default()).unwrap();
        let back: LogHistogram = serde_json::from_str(&json).unwrap();
        assert_eq!((back.total, back.quantile(0.5)), (0, 0.0));
        let mut c = back.clone();
        c.merge(&b);
        assert_eq!(c.quantile(0.5), b.quantile(0.5));
    }

    #[test]
    fn quantiles_are_within_four_tenths_of_a_percent() {
        // Log-uniform times from 2 ms to 2 days: the exact sample quantile against the histogram's.
        let mut h = LogHistogram::default();
        let mut xs: Vec<u64> = (0..100_000u64)
            .map(|i| {
                let u = (i as f64 + 0.5) / 100_000.0;
                (2e6 * (86_400e9 * 2.0 / 2e6f64).powf(u)) as u64
            })
            .collect();
        xs.iter().for_each(|&x| h.add(x));
        xs.sort();
        for q in [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999] {
            let exact = xs[((q * xs.len() as f64).ceil() as usize).max(1) - 1] as f64 / 1e9;
            let got = h.quantile(q);
            assert!(
                (got / exact - 1.0).abs() < 0.004,
                "q {q}: {got} against {exact}"
            );
        }
    }
}
