//! Schedules: when each user's requests are asked for, and when the DCC releases them.
//!
//! A user's DCC schedules fire in a window, in equal slices; each slice covers an equal block of
//! meters and fires as one burst. Register reads that cannot be DCC-scheduled (SRV 4.1.1, and
//! SR 4.2 unless MP162 makes it schedulable) are sent around midnight instead, future-dated or
//! on demand. Existing users' scheduled reads fire in their own window on each simulated day.
//! The MHHS collection is D's; when the scenario asks, D+1's own collection fires 24 hours later
//! over the meters due on D+1, its requests marked as the next night's.
//!
//! A batch never stores its requests: a [`Cursor`] walks its block of meters and generates them
//! when the DSP is ready for them, so a backlog of 60 million requests costs a few bytes.

use std::ops::Range;

use super::calendar::{Nanos, nanos};
use super::population::{Collector, Meter, Population, packed_for_night};
use super::recipes::{Recipe, Recipes};
use super::scenario::{Scenario, Window};
use super::service_requests::{Request, Sr};
use super::trait_table::TraitTable;
use super::users::UserGroup;

/// Which requests a batch generates for each of its meters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sweep {
    /// A user's scheduled MHHS requests (HH data, daily read logs, schedulable register reads).
    Mhhs(UserGroup),
    /// Validation register reads that cannot be scheduled: 4.1.1 (future-dated) and 4.2 (on demand).
    Midnight,
    /// Existing users' scheduled reads.
    Existing,
}

/// One burst of requests.
#[derive(Clone, Debug)]
pub struct Batch {
    /// When the user asked (TRTs count from here).
    pub fired: Nanos,
    /// When the DCC lets the DSP start on it (later than `fired` in a separate MHHS window).
    pub release: Nanos,
    pub sweep: Sweep,
    pub meters: Range<u32>,
    /// With a separate MHHS window: only meters whose requests are (true) or are not (false) flagged.
    pub flagged: Option<bool>,
    /// Requests it generates in all (counted when the run is set up).
    pub total: u64,
    /// Part of D+1's own MHHS collection (the next night): its meters' traits are those of D+1
    /// and its requests are marked as the next night's.
    pub next_night: bool,
}

impl Batch {
    /// Its requests are on-demand or future-dated (the midnight register reads), so they wait
    /// in the DSP's on-demand line, not in the DCC-scheduled backlog.
    pub fn on_demand(&self) -> bool {
        self.sweep == Sweep::Midnight
    }
}

/// The options of a run that decide which requests a meter gets.
#[derive(Clone, Debug)]
pub struct Rules {
    pub mhhs: bool,
    pub srv_4_1_1_for_smets2: bool,
    pub sr_4_2_schedulable: bool,
}

impl Rules {
    pub fn new(s: &Scenario) -> Rules {
        Rules {
            mhhs: s.collection.mhhs,
            srv_4_1_1_for_smets2: s.schedules.srv_4_1_1_for_smets2,
            sr_4_2_schedulable: s.schedules.sr_4_2_schedulable,
        }
    }

    /// Quick test: `sweep` has nothing for meter `m` (when false, it may have something) on D,
    /// or on D+1 for the next night's batches. It reads only the trait that rules most meters
    /// out, so passing over them is cheap.
    pub fn has_nothing_for(
        &self,
        sweep: Sweep,
        pop: &Population,
        m: u32,
        next_night: bool,
    ) -> bool {
        match sweep {
            Sweep::Existing => !pop.existing_scheduled(m),
            Sweep::Mhhs(UserGroup::Agent) => !self.mhhs || !pop.agent_collects(m),
            Sweep::Mhhs(_) => !self.mhhs,
            Sweep::Midnight => !self.mhhs || !pop.validation_due(m, next_night as u32),
        }
    }

    /// Appends to `out` the requests `sweep` generates for meter `m` (traits `t`) at time `at`.
    pub fn requests(
        &self,
        sweep: Sweep,
        flagged: Option<bool>,
        m: u32,
        t: &Meter,
        at: Nanos,
        out: &mut Vec<Request>,
    ) {
        let route = t.route;
        let smets1 = route.is_smets1();
        let req = |sr: Sr, user: UserGroup, on_demand: bool, monthly: bool| {
            Request::new(
                at,
                m,
                sr,
                user as u8,
                route,
                on_demand,
                monthly,
                t.communicating,
            )
        };
        match sweep {
            Sweep::Existing => {
                if t.existing_scheduled {
                    out.push(req(
                        Sr::ExistingScheduled,
                        UserGroup::Existing,
                        false,
                        false,
                    ));
                }
            }
            Sweep::Mhhs(user) => {
                if !self.mhhs || !t.collected_today || flagged.is_some_and(|f| f != t.mhhs_flag) {
                    return;
                }
                let collects = collector_group(t.collector) == user;
                let duplicate = user == UserGroup::Supplier && t.supplier_also_reads;
                if collects || duplicate {
                    out.push(req(Sr::HhImport, user, false, !t.daily));
                    if t.export {
                        out.push(req(Sr::HhExport, user, false, !t.daily));
                    }
                }
                if collects && t.validation_today {
                    if !smets1 {
                        if !(self.srv_4_1_1_for_smets2 && t.uses_4_1_1) {
                            out.push(req(Sr::ImportDailyLog, user, false, false));
                        }
                        if t.export {
                            out.push(req(Sr::ExportDailyLog, user, false, false));
                        }
                    } else if t.export && self.sr_4_2_schedulable {
                        out.push(req(Sr::InstantExport, user, false, false));
                    }
                }
            }
            Sweep::Midnight => {
                if !self.mhhs || !t.collected_today || !t.validation_today {
                    return;
                }
                let user = collector_group(t.collector);
                if smets1 || (self.srv_4_1_1_for_smets2 && t.uses_4_1_1) {
                    out.push(req(Sr::InstantImport, user, true, false));
                }
                if smets1 && t.export && !self.sr_4_2_schedulable {
                    out.push(req(Sr::InstantExport, user, true, false));
                }
            }
        }
    }
}

pub fn collector_group(c: Collector) -> UserGroup {
    match c {
        Collector::Supplier => UserGroup::Supplier,
        Collector::Agent => UserGroup::Agent,
    }
}

/// Splits `window` into `slices` bursts over the meter blocks of `meters`.
fn sliced(
    window: &Window,
    slices: u32,
    meters: u32,
    sweep: Sweep,
    day_offset_h: f64,
) -> Vec<Batch> {
    let k = slices.max(1);
    (0..k)
        .map(|i| {
            let h = day_offset_h
                + window.start_h
                + (window.end_h - window.start_h) * i as f64 / k as f64;
            let lo = (meters as u64 * i as u64 / k as u64) as u32;
            let hi = (meters as u64 * (i as u64 + 1) / k as u64) as u32;
            Batch {
                fired: nanos(h * 3600.0),
                release: nanos(h * 3600.0),
                sweep,
                meters: lo..hi,
                flagged: None,
                total: 0,
                next_night: false,
            }
        })
        .collect()
}

/// Every batch of the simulated day, before counting (totals are 0).
pub fn plan(s: &Scenario, meters: u32) -> Vec<Batch> {
    let sch = &s.schedules;
    let mut batches = Vec::new();
    // D's collection, and D+1's own when the scenario runs the next night too.
    let nights = if s.collection.next_night { 2 } else { 1 };
    for night in 0..nights * s.collection.mhhs as u32 {
        let offset_h = 24.0 * night as f64;
        let mut collection = Vec::new();
        for (user, window) in [
            (UserGroup::Supplier, &sch.supplier_window),
            (UserGroup::Agent, &sch.agent_window),
        ] {
            for (i, b) in sliced(window, sch.slices, meters, Sweep::Mhhs(user), offset_h)
                .into_iter()
                .enumerate()
            {
                if s.policy.mhhs_window_on {
                    // The DCC moves flagged requests into its MHHS window, slice by slice.
                    let w = &s.policy.mhhs_window;
                    let k = sch.slices.max(1) as f64;
                    let h = offset_h + w.start_h + (w.end_h - w.start_h) * i as f64 / k;
                    collection.push(Batch {
                        release: nanos(h * 3600.0).max(b.fired),
                        flagged: Some(true),
                        ..b.clone()
                    });
                    collection.push(Batch {
                        flagged: Some(false),
                        ..b
                    });
                } else {
                    collection.push(b);
                }
            }
        }
        let spread = Window::new(0.0, (sch.midnight_spread_min / 60.0).max(1.0 / 60.0));
        let slices = sch.midnight_spread_min.round().max(1.0) as u32;
        collection.extend(sliced(&spread, slices, meters, Sweep::Midnight, offset_h));
        for b in &mut collection {
            b.next_night = night == 1;
        }
        batches.extend(collection);
    }
    let days = (s.report.horizon_h / 24.0).ceil() as u32;
    for day in 0..days {
        batches.extend(sliced(
            &s.existing.scheduled_window,
            sch.slices,
            meters,
            Sweep::Existing,
            24.0 * day as f64,
        ));
    }
    batches.retain(|b| b.fired < nanos(s.report.horizon_h * 3600.0));
    batches.sort_by_key(|b| (b.release, b.fired));
    batches
}

/// Walks a batch's meters, generating their requests on demand (from their [`Recipes`]).
pub struct Cursor {
    /// When the batch was asked for (its requests' submission time).
    pub fired: Nanos,
    sweep: Sweep,
    next_night: bool,
    /// The batch's kind in the [`Recipes`].
    kind: usize,
    next_meter: u32,
    /// `next_meter`'s place among the sampled meters (`next_meter / stride`, kept as it moves).
    next_index: u32,
    end: u32,
    stride: u32,
    /// The current meter, its requests, and how many of them have been taken.
    meter: u32,
    recipe: Recipe,
    taken: u32,
    pub remaining: u64,
}

impl Cursor {
    pub fn new(b: &Batch, pop: &Population, recipes: &mut Recipes) -> Cursor {
        let first = pop
            .first_sampled_from(b.meters.start)
            .min(b.meters.end as u64) as u32;
        Cursor {
            fired: b.fired,
            sweep: b.sweep,
            next_night: b.next_night,
            kind: recipes.kind(b.sweep, b.flagged),
            next_meter: first,
            next_index: first / pop.stride,
            end: b.meters.end,
            stride: pop.stride,
            meter: 0,
            recipe: Recipe::default(),
            taken: 0,
            remaining: b.total,
        }
    }

    /// The next request of the batch, or `None` when it is exhausted.
    pub fn next(
        &mut self,
        pop: &Population,
        traits: &TraitTable,
        recipes: &mut Recipes,
    ) -> Option<Request> {
        while self.taken == self.recipe.len {
            if self.next_meter >= self.end {
                return None;
            }
            let m = self.next_meter;
            let held = traits.packed_at(self.next_index);
            self.next_meter = self.next_meter.saturating_add(self.stride);
            self.next_index += 1;
            debug_assert!(pop.in_sample(m));
            debug_assert_eq!(held.is_some(), traits.holds(m));
            let packed = if let Some(packed) = held {
                packed
            } else if recipes
                .rules()
                .has_nothing_for(self.sweep, pop, m, self.next_night)
            {
                continue;
            } else {
                pop.packed(m)
            };
            let packed = packed_for_night(packed, self.next_night);
            self.meter = m;
            self.recipe = recipes.recipe(self.kind, packed);
            self.taken = 0;
        }
        self.remaining = self.remaining.saturating_sub(1);
        self.taken += 1;
        let r = recipes.request(
            self.kind,
            self.recipe,
            self.taken - 1,
            self.meter,
            self.fired,
        );
        Some(if self.next_night {
            r.of_next_night()
        } else {
            r
        })
    }
}

/// Counts each batch's requests, for the backlog series: exactly for batches of up to 65,536
/// sampled meters (every preview); for larger ones, the batch's meters times the requests per
/// meter of its kind (sweep and flag), measured once per kind on an evenly spread 131,072-meter
/// subsample of the whole population. Every trait of a meter is hashed from its index, so all
/// slices of a kind share that rate: the estimate is within about 1% of the batch's true count
/// (a few tenths of a percent for GB-sized batches), and setting up a full GB run takes ~10 ms
/// instead of a quarter of a second. The accounts never use this count: every request is
/// generated and counted one by one.
pub fn count(batches: &mut [Batch], pop: &Population, rules: &Rules) {
    const EXACT_UP_TO: u64 = 65_536;
    const SUBSAMPLE: u64 = 131_072;
    // A sampled population this small keeps each meter's packed traits once worked out: a
    // preview's meters are each in several batches (one per sweep), and hashing them again for
    // each was a tenth of a preview's run.
    const REMEMBER_UP_TO: u64 = 1 << 20;
    const UNKNOWN: u16 = u16::MAX; // packed traits use 15 bits
    let mut buf = Vec::with_capacity(8);
    let sampled_in = |r: &Range<u32>| {
        (r.end as u64)
            .saturating_sub(pop.first_sampled_from(r.start))
            .div_ceil(pop.stride as u64)
    };
    let everyone = sampled_in(&(0..pop.meters));
    let remembered = if everyone <= REMEMBER_UP_TO {
        everyone
    } else {
        0
    };
    let mut known = vec![UNKNOWN; remembered as usize];
    // Requests from `step`-spaced sampled meters in `range`, and how many meters were looked at.
    let mut tally = |b: &Batch, range: Range<u32>, step: u64| {
        let (mut n, mut looked) = (0u64, 0u64);
        let mut m = pop.first_sampled_from(range.start);
        while m < range.end as u64 {
            let meter = m as u32;
            buf.clear();
            // Packed on whole numbers: the same traits as `pop.meter`, faster (set-up time is
            // a task in the page).
            let packed = match known.get_mut((meter / pop.stride) as usize) {
                Some(slot) if *slot != UNKNOWN => *slot,
                Some(slot) => {
                    *slot = pop.packed(meter);
                    *slot
                }
                None => pop.packed(meter),
            };
            let packed = packed_for_night(packed, b.next_night);
            rules.requests(
                b.sweep,
                b.flagged,
                meter,
                &Meter::from_packed(packed),
                0,
                &mut buf,
            );
            n += buf.len() as u64;
            looked += 1;
            m += step;
        }
        (n, looked)
    };
    let mut rates: Vec<((Sweep, Option<bool>, bool), f64)> = Vec::new();
    for b in batches.iter_mut() {
        let sampled = sampled_in(&b.meters);
        if sampled <= EXACT_UP_TO {
            b.total = tally(b, b.meters.clone(), pop.stride as u64).0;
            continue;
        }
        let key = (b.sweep, b.flagged, b.next_night);
        let rate = match rates.iter().find(|(k, _)| *k == key) {
            Some((_, r)) => *r,
            None => {
                let all = 0..pop.meters;
                let step = (sampled_in(&all) / SUBSAMPLE).max(1) * pop.stride as u64;
                let (n, looked) = tally(b, all, step);
                let r = n as f64 / looked.max(1) as f64;
                rates.push((key, r));
                r
            }
        };
        b.total = (rate * sampled as f64).round() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.population.meters = 20_000;
        s
    }

    #[test]
    fn cursors_generate_exactly_the_counted_requests() {
        let mut s = small();
        s.collection.next_night = true;
        s.collection.daily_share = 0.5;
        s.collection.validation_reads_per_day = 0.4;
        let pop = Population::new(&s, 1.0);
        let rules = Rules::new(&s);
        let mut batches = plan(&s, pop.meters);
        count(&mut batches, &pop, &rules);
        // Half the meters in the table, half hashed as the cursor goes.
        let mut traits = TraitTable::new(&pop);
        traits.fill(&pop, pop.meters as u64 / 2);
        let mut recipes = Recipes::new(rules);
        let mut nights = [0, 0];
        for b in &batches {
            let mut c = Cursor::new(b, &pop, &mut recipes);
            let mut n = 0;
            while let Some(r) = c.next(&pop, &traits, &mut recipes) {
                assert_eq!(r.next_night(), b.next_night);
                n += 1;
            }
            assert_eq!(n, b.total);
            assert_eq!(c.remaining, 0);
            if b.sweep != Sweep::Existing {
                nights[b.next_night as usize] += n;
            }
        }
        // D+1's collection asks as much as D's within sampling noise (other monthly meters and
        // validation reads).
        let ratio = nights[1] as f64 / nights[0] as f64;
        assert!((ratio - 1.0).abs() < 0.03, "{nights:?}");
    }

    #[test]
    fn the_quick_test_only_passes_over_meters_with_nothing_to_send() {
        let mut s = small();
        s.users.agent_share = 0.4;
        s.existing.scheduled_per_meter_day = 0.5;
        s.collection.validation_reads_per_day = 0.3;
        s.collection.daily_share = 0.5;
        let pop = Population::new(&s, 1.0);
        let rules = Rules::new(&s);
        let mut buf = Vec::new();
        let sweeps = [
            Sweep::Existing,
            Sweep::Midnight,
            Sweep::Mhhs(UserGroup::Agent),
            Sweep::Mhhs(UserGroup::Supplier),
        ];
        // On D, and on D+1 for the next night's batches.
        for next_night in [false, true] {
            let mut passed = [0; 4];
            for m in 0..pop.meters {
                let t = Meter::from_packed(packed_for_night(pop.packed(m), next_night));
                for (i, &sweep) in sweeps.iter().enumerate() {
                    if rules.has_nothing_for(sweep, &pop, m, next_night) {
                        buf.clear();
                        rules.requests(sweep, None, m, &t, 0, &mut buf);
                        assert!(
                            buf.is_empty(),
                            "{sweep:?} passed over meter {m} that has requests (D+1: {next_night})"
                        );
                        passed[i] += 1;
                    }
                }
            }
            assert!(
                passed[..3].iter().all(|&n| n > 1000),
                "each quick test rules meters out: {passed:?}"
            );
        }
    }

    #[test]
    fn large_batches_are_counted_within_two_percent() {
        let mut s = Scenario::default();
        s.population.meters = 3_000_000;
        s.policy.mhhs_window_on = true;
        s.users.mhhs_flag_share = 0.6;
        let pop = Population::new(&s, 1.0);
        let rules = Rules::new(&s);
        let mut batches = plan(&s, pop.meters);
        count(&mut batches, &pop, &rules);
        let traits = TraitTable::new(&pop);
        let mut recipes = Recipes::new(rules);
        let mut large = 0;
        for (i, b) in batches.iter().enumerate() {
            if b.meters.len() <= 65_536 {
                // Counted exactly: the test above checks those.
                continue;
            }
            large += 1;
            let mut c = Cursor::new(b, &pop, &mut recipes);
            let mut n = 0u64;
            while c.next(&pop, &traits, &mut recipes).is_some() {
                n += 1;
            }
            let err = (b.total as f64 - n as f64).abs() / (n.max(1) as f64);
            // Binomial noise of a 100,000-meter batch against the population's rate: ~0.5% (1 sd).
            assert!(
                err < 0.02,
                "batch {i} ({:?}): counted {} against {n}",
                b.sweep,
                b.total
            );
        }
        assert!(
            large > 10,
            "the test must cover estimated batches ({large})"
        );
    }

    #[test]
    fn sr_4_2_on_demand_at_midnight_only_when_not_schedulable() {
        let mut s = small();
        let count_sr = |s: &Scenario, sr: Sr, sweep: Sweep| {
            let pop = Population::new(s, 1.0);
            let rules = Rules::new(s);
            let mut buf = Vec::new();
            for m in 0..pop.meters {
                rules.requests(sweep, None, m, &pop.meter(m), 0, &mut buf);
            }
            buf.iter().filter(|r| r.sr() == sr).count()
        };
        s.schedules.sr_4_2_schedulable = true;
        assert_eq!(count_sr(&s, Sr::InstantExport, Sweep::Midnight), 0);
        let scheduled = count_sr(&s, Sr::InstantExport, Sweep::Mhhs(UserGroup::Supplier))
            + count_sr(&s, Sr::InstantExport, Sweep::Mhhs(UserGroup::Agent));
        s.schedules.sr_4_2_schedulable = false;
        let midnight = count_sr(&s, Sr::InstantExport, Sweep::Midnight);
        assert!(scheduled > 0);
        assert_eq!(
            scheduled, midnight,
            "the same reads move from scheduled to midnight on-demand"
        );
    }
}
