//! The meter population: every electricity smart meter in scope and its traits (route, export,
//! communicating or not, who collects its MHHS data, daily or monthly collection).
//!
//! Traits come from a hash of the meter number and the seed, not from stored tables: 30 million
//! meters cost no memory, any meter's traits can be recomputed anywhere, and the same seed gives
//! the same population. Shares are met to within sampling noise (±0.03 points at 30M meters).

use super::routes::Route;
use super::scenario::Scenario;

/// Who collects a meter's MHHS data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collector {
    /// The supplier, acting as its own MDR agent.
    Supplier,
    /// An independent MDR agent.
    Agent,
}

/// One meter's traits for the simulated day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Meter {
    pub route: Route,
    pub export: bool,
    pub communicating: bool,
    pub collector: Collector,
    /// The supplier also asks DCC for this agent-collected meter's HH data (no reuse outside DCC).
    pub supplier_also_reads: bool,
    /// Collected daily (one day of HH data) rather than monthly (a month of data).
    pub daily: bool,
    /// Collected today: daily meters always, monthly ones on their day of the cycle.
    pub collected_today: bool,
    /// A validation register read is due today.
    pub validation_today: bool,
    /// This meter's requests carry the "MHHS purpose" attribute.
    pub mhhs_flag: bool,
    /// Its user reads SMETS2 validation with SRV 4.1.1 (when that stays available).
    pub uses_4_1_1: bool,
    /// Existing users schedule a read of it today.
    pub existing_scheduled: bool,
    /// Collected on the next night too (D+1's own collection): daily meters always, monthly ones
    /// on the next day of their cycle.
    pub collected_tomorrow: bool,
    /// A validation register read is due on D+1 (the next meters in turn when not every meter
    /// has one every day).
    pub validation_tomorrow: bool,
}

impl Meter {
    /// The traits in 15 bits: route in the low three, then one bit per flag.
    pub fn packed(&self) -> u16 {
        let flags = [
            self.export,
            self.communicating,
            self.collector == Collector::Agent,
            self.supplier_also_reads,
            self.daily,
            self.collected_today,
            self.validation_today,
            self.mhhs_flag,
            self.uses_4_1_1,
            self.existing_scheduled,
            self.collected_tomorrow,
            self.validation_tomorrow,
        ];
        flags
            .iter()
            .enumerate()
            .fold(self.route.index() as u16, |bits, (i, &f)| {
                bits | (f as u16) << (3 + i)
            })
    }

    /// The traits [`Meter::packed`] packed.
    pub fn from_packed(bits: u16) -> Meter {
        let f = |i: u32| bits >> (3 + i) & 1 == 1;
        Meter {
            route: Route::from_index((bits & 7) as usize),
            export: f(0),
            communicating: f(1),
            collector: if f(2) {
                Collector::Agent
            } else {
                Collector::Supplier
            },
            supplier_also_reads: f(3),
            daily: f(4),
            collected_today: f(5),
            validation_today: f(6),
            mhhs_flag: f(7),
            uses_4_1_1: f(8),
            existing_scheduled: f(9),
            collected_tomorrow: f(10),
            validation_tomorrow: f(11),
        }
    }
}

/// Packed traits as they stand for a night's collection: as they are for D's; for D+1's
/// (`next_night`), "collected today" and "validation read due today" become those of D+1.
pub fn packed_for_night(bits: u16, next_night: bool) -> u16 {
    if !next_night {
        return bits;
    }
    const TODAY: u16 = 0b11 << (3 + 5);
    let tomorrow = (bits >> (3 + 10)) & 0b11;
    (bits & !TODAY & !(0b11 << (3 + 10))) | tomorrow << (3 + 5)
}

/// The population of a run (the whole of GB, or a sample of it).
#[derive(Clone, Debug)]
pub struct Population {
    pub meters: u32,
    seed: u64,
    /// Every `stride`-th meter is simulated (1 = full scale). Meters' traits are hashed, so a
    /// regular stride is an unbiased sample, and walking it skips the other meters for free.
    pub stride: u32,
    /// Share of meters simulated: exactly 1 / stride.
    pub sample: f64,
    monthly_days: u32,
    /// The scenario's shares as whole-number cut-offs on the hashes.
    cuts: Cuts,
}

/// Shares as cut-offs on the hashes' whole numbers: a 16-bit quarter `k` is below share `s`
/// exactly when `k / 65536 < s`, i.e. `k < ceil(s × 65536)`, and a 53-bit uniform likewise — so
/// working out a meter's traits needs no floating point.
#[derive(Clone, Debug)]
struct Cuts {
    route: [u64; 5],
    export: u32,
    non_comm: u32,
    agent: u32,
    dup: u32,
    daily: u32,
    validation: u32,
    flag: u32,
    uptake: u32,
    existing: u32,
}

fn cut16(share: f64) -> u32 {
    (share * 65_536.0).ceil().clamp(0.0, 65_536.0) as u32
}

fn cut53(share: f64) -> u64 {
    (share * (1u64 << 53) as f64)
        .ceil()
        .clamp(0.0, (1u64 << 53) as f64) as u64
}

/// SplitMix64: a fast, well-mixed 64-bit hash (Steele, Lea & Flood 2014).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `i`-th 16-bit quarter of a hash: four independent uniforms (as whole numbers) per hash.
fn quarter(h: u64, i: u32) -> u32 {
    ((h >> (16 * i)) & 0xFFFF) as u32
}

/// The sampling stride for a requested share: a 1% sample walks every 100th meter.
pub fn stride_for(sample: f64) -> u32 {
    if sample.is_finite() && sample > 0.0 {
        (1.0 / sample.min(1.0)).round().clamp(1.0, 1e6) as u32
    } else {
        1
    }
}

/// The share of meters on each route and every route before it, in route order (the last, 1,
/// is left out): a meter's route is the first whose cumulative share exceeds its uniform.
fn cumulative_route_shares(p: &super::scenario::Population) -> [f64; 5] {
    let (s2, r, c) = (p.smets2_share, p.region_shares, p.cohort_shares);
    [
        s2 * r[0],
        s2 * (r[0] + r[1]),
        s2,
        s2 + (1.0 - s2) * c[0],
        s2 + (1.0 - s2) * (c[0] + c[1]),
    ]
}

impl Population {
    pub fn new(s: &Scenario, sample: f64) -> Population {
        let p = &s.population;
        let cum = cumulative_route_shares(p);
        Population {
            meters: p.meters.min(u32::MAX as u64) as u32,
            seed: mix(s.seed ^ 0x4D50_3136_3250_4F50),
            stride: stride_for(sample),
            sample: 1.0 / stride_for(sample) as f64,
            monthly_days: s.collection.monthly_days.max(1),
            cuts: Cuts {
                route: cum.map(cut53),
                export: cut16(p.export_share),
                non_comm: cut16(p.non_communicating_share),
                agent: cut16(s.users.agent_share),
                dup: cut16(1.0 - s.users.agent_passes_data_on),
                daily: cut16(s.collection.daily_share),
                validation: cut16(s.collection.validation_reads_per_day),
                flag: cut16(s.users.mhhs_flag_share),
                uptake: cut16(s.schedules.srv_4_1_1_uptake),
                existing: cut16(s.existing.scheduled_per_meter_day),
            },
        }
    }

    /// True when meter `m` is part of this run's sample.
    pub fn in_sample(&self, m: u32) -> bool {
        m % self.stride == 0
    }

    /// The first sampled meter at or after `m`.
    pub fn first_sampled_from(&self, m: u32) -> u64 {
        (m as u64).div_ceil(self.stride as u64) * self.stride as u64
    }

    // A meter's traits come from four hashes of its number; the quick tests below read one
    // hash, so a sweep can pass over meters it has nothing for without working out the rest.
    fn base(&self, m: u32) -> u64 {
        self.seed.wrapping_add(m as u64)
    }
    fn who(&self, m: u32) -> u64 {
        mix(self.base(m).wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }
    fn when(&self, m: u32) -> u64 {
        mix(self.base(m) ^ 0xA076_1D64_78BD_642F)
    }
    fn how(&self, m: u32) -> u64 {
        mix(self.base(m) ^ 0xE703_7ED1_A0B4_28DB)
    }

    /// The route of meter `m` (cheaper than [`Population::meter`]).
    pub fn route(&self, m: u32) -> Route {
        let u = mix(self.base(m)) >> 11;
        // The cuts rise, so the cuts passed are the first few: counted without a branch each
        // (a branch per cut mispredicted about one meter in two, a sixth of filling the table).
        let passed = self.cuts.route.iter().map(|&cut| (u >= cut) as usize).sum();
        Route::from_index(passed)
    }

    /// Whether meter `m` answers at all.
    pub fn communicating(&self, m: u32) -> bool {
        quarter(self.who(m), 0) >= self.cuts.non_comm
    }

    /// Quick test: an independent MDR agent collects meter `m`.
    pub fn agent_collects(&self, m: u32) -> bool {
        quarter(self.who(m), 2) < self.cuts.agent
    }

    /// Collected on day `day` (0 = D, 1 = D+1): daily meters every day, a monthly meter on the
    /// day its place in the cycle comes round.
    fn collected_on(&self, when: u64, day: u32) -> bool {
        let slot = quarter(when, 1) as u64 * self.monthly_days as u64 / 65_536;
        quarter(when, 0) < self.cuts.daily || slot == (day % self.monthly_days) as u64
    }

    /// A validation read due on day `day`: when a share v of meters is read each day, it is the
    /// meters whose uniform falls in [day × v, (day + 1) × v), round the unit interval.
    fn validation_on(&self, when: u64, day: u32) -> bool {
        let v = self.cuts.validation;
        let shifted = (quarter(when, 2) + 65_536 - (day * v) % 65_536) % 65_536;
        shifted < v
    }

    /// Quick test: meter `m` is collected on day `day` (0 = D, 1 = D+1) and has a validation
    /// read due.
    pub fn validation_due(&self, m: u32, day: u32) -> bool {
        let when = self.when(m);
        self.collected_on(when, day) && self.validation_on(when, day)
    }

    /// Quick test: existing users schedule a read of meter `m` today.
    pub fn existing_scheduled(&self, m: u32) -> bool {
        quarter(self.how(m), 1) < self.cuts.existing
    }

    /// [`Meter::packed`] of meter `m` (what a run's trait table holds).
    pub fn packed(&self, m: u32) -> u16 {
        let c = &self.cuts;
        let (who, when, how) = (self.who(m), self.when(m), self.how(m));
        let agent = quarter(who, 2) < c.agent;
        let flags = [
            quarter(who, 1) < c.export,
            quarter(who, 0) >= c.non_comm,
            agent,
            agent && quarter(who, 3) < c.dup,
            quarter(when, 0) < c.daily,
            self.collected_on(when, 0),
            self.validation_on(when, 0),
            quarter(when, 3) < c.flag,
            quarter(how, 0) < c.uptake,
            quarter(how, 1) < c.existing,
            self.collected_on(when, 1),
            self.validation_on(when, 1),
        ];
        flags
            .iter()
            .enumerate()
            .fold(self.route(m).index() as u16, |bits, (i, &f)| {
                bits | (f as u16) << (3 + i)
            })
    }

    /// Every trait of meter `m`.
    pub fn meter(&self, m: u32) -> Meter {
        Meter::from_packed(self.packed(m))
    }

    /// A meter drawn from a uniform `u` in [0, 1) (for on-demand traffic).
    pub fn meter_at(&self, u: f64) -> u32 {
        ((u * self.meters as f64) as u32).min(self.meters.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The traits by their definition — each share compared with a uniform in [0, 1) — to check
    /// the whole-number cut-offs against.
    fn by_definition(s: &Scenario, pop: &Population, m: u32) -> Meter {
        let u = |h: u64, i: u32| quarter(h, i) as f64 / 65_536.0;
        let (who, when, how) = (pop.who(m), pop.when(m), pop.how(m));
        let p = &s.population;
        let cum = cumulative_route_shares(p);
        let unit = (mix(pop.base(m)) >> 11) as f64 / (1u64 << 53) as f64;
        let agent = u(who, 2) < s.users.agent_share;
        let daily = u(when, 0) < s.collection.daily_share;
        let days = s.collection.monthly_days.max(1);
        let cycle_day = (u(when, 1) * days as f64).floor() as u32;
        // The share of meters read each day, on the 2^-16 grid the hash resolves; D+1's are the
        // next share in turn.
        let v = (s.collection.validation_reads_per_day * 65_536.0).ceil() / 65_536.0;
        Meter {
            route: Route::from_index(cum.iter().take_while(|&&cut| unit >= cut).count()),
            export: u(who, 1) < p.export_share,
            communicating: u(who, 0) >= p.non_communicating_share,
            collector: if agent {
                Collector::Agent
            } else {
                Collector::Supplier
            },
            supplier_also_reads: agent && u(who, 3) < 1.0 - s.users.agent_passes_data_on,
            daily,
            collected_today: daily || u(when, 1) * (s.collection.monthly_days.max(1) as f64) < 1.0,
            validation_today: u(when, 2) < s.collection.validation_reads_per_day,
            mhhs_flag: u(when, 3) < s.users.mhhs_flag_share,
            uses_4_1_1: u(how, 0) < s.schedules.srv_4_1_1_uptake,
            existing_scheduled: u(how, 1) < s.existing.scheduled_per_meter_day,
            collected_tomorrow: daily || cycle_day == 1 % days,
            validation_tomorrow: (u(when, 2) - v).rem_euclid(1.0) < v,
        }
    }

    #[test]
    fn shares_are_met_within_sampling_noise() {
        let mut s = Scenario::default();
        s.population.meters = 400_000;
        let pop = Population::new(&s, 1.0);
        let mut routes = [0u32; 6];
        let (mut export, mut silent, mut agent, mut collected) = (0, 0, 0, 0);
        for m in 0..pop.meters {
            let t = pop.meter(m);
            routes[t.route.index()] += 1;
            export += t.export as u32;
            silent += (!t.communicating) as u32;
            agent += (t.collector == Collector::Agent) as u32;
            collected += t.collected_today as u32;
            assert_eq!(t.communicating, pop.communicating(m));
            assert_eq!(t.collector == Collector::Agent, pop.agent_collects(m));
            assert_eq!(
                t.collected_today && t.validation_today,
                pop.validation_due(m, 0)
            );
            assert_eq!(t.existing_scheduled, pop.existing_scheduled(m));
            assert_eq!(Meter::from_packed(t.packed()), t);
            assert_eq!(t, by_definition(&s, &pop, m), "meter {m}");
        }
        let n = pop.meters as f64;
        let p = &s.population;
        let expect = [
            p.smets2_share * p.region_shares[0],
            p.smets2_share * p.region_shares[1],
            p.smets2_share * p.region_shares[2],
            (1.0 - p.smets2_share) * p.cohort_shares[0],
            (1.0 - p.smets2_share) * p.cohort_shares[1],
            (1.0 - p.smets2_share) * p.cohort_shares[2],
        ];
        for i in 0..6 {
            assert!(
                (routes[i] as f64 / n - expect[i]).abs() < 0.005,
                "route {i}: {} vs {}",
                routes[i] as f64 / n,
                expect[i]
            );
        }
        assert!((export as f64 / n - p.export_share).abs() < 0.003);
        assert!((silent as f64 / n - p.non_communicating_share).abs() < 0.003);
        assert!((agent as f64 / n - s.users.agent_share).abs() < 0.005);
        assert_eq!(
            collected, pop.meters,
            "daily collection collects every meter"
        );
    }

    #[test]
    fn whole_number_cut_offs_give_the_traits_by_definition_for_any_shares() {
        let mut s = Scenario::default();
        s.population.meters = 100_000;
        for (i, share) in [0.0, 1.0 / 3.0, 0.5, 0.999_99, 1.0].into_iter().enumerate() {
            s.seed = i as u64;
            s.population.export_share = share;
            s.population.non_communicating_share = 1.0 - share;
            s.population.smets2_share = share;
            s.users.agent_share = share;
            s.users.agent_passes_data_on = share / 2.0;
            s.collection.daily_share = share / 3.0;
            s.collection.monthly_days = 7 + i as u32 * 11;
            s.collection.validation_reads_per_day = share;
            s.users.mhhs_flag_share = 1.0 - share;
            s.schedules.srv_4_1_1_uptake = share;
            s.existing.scheduled_per_meter_day = share / 5.0;
            let pop = Population::new(&s, 1.0);
            for m in 0..pop.meters {
                let t = by_definition(&s, &pop, m);
                assert_eq!(pop.meter(m), t, "share {share}, meter {m}");
                assert_eq!(pop.route(m), t.route);
                assert_eq!(pop.communicating(m), t.communicating);
                assert_eq!(pop.agent_collects(m), t.collector == Collector::Agent);
                assert_eq!(
                    pop.validation_due(m, 0),
                    t.collected_today && t.validation_today
                );
                assert_eq!(
                    pop.validation_due(m, 1),
                    t.collected_tomorrow && t.validation_tomorrow
                );
                let tomorrow = Meter::from_packed(packed_for_night(t.packed(), true));
                assert_eq!(
                    (tomorrow.collected_today, tomorrow.validation_today),
                    (t.collected_tomorrow, t.validation_tomorrow)
                );
                assert_eq!(
                    Meter {
                        collected_today: t.collected_today,
                        validation_today: t.validation_today,
                        collected_tomorrow: false,
                        validation_tomorrow: false,
                        ..tomorrow
                    },
                    Meter {
                        collected_tomorrow: false,
                        validation_tomorrow: false,
                        ..t
                    },
                    "only the day's flags move"
                );
                assert_eq!(pop.existing_scheduled(m), t.existing_scheduled);
            }
        }
    }

    #[test]
    fn monthly_collection_reads_one_meter_in_thirty_a_day_and_others_the_next_day() {
        let mut s = Scenario::default();
        s.population.meters = 300_000;
        s.collection.daily_share = 0.0;
        s.collection.validation_reads_per_day = 0.4;
        let pop = Population::new(&s, 1.0);
        let (mut today, mut tomorrow, mut both) = (0, 0, 0);
        let (mut read_today, mut read_tomorrow, mut read_both) = (0, 0, 0);
        for m in 0..pop.meters {
            let t = pop.meter(m);
            today += t.collected_today as u32;
            tomorrow += t.collected_tomorrow as u32;
            both += (t.collected_today && t.collected_tomorrow) as u32;
            read_today += t.validation_today as u32;
            read_tomorrow += t.validation_tomorrow as u32;
            read_both += (t.validation_today && t.validation_tomorrow) as u32;
        }
        for n in [today, tomorrow] {
            assert!((n as f64 / 300_000.0 - 1.0 / 30.0).abs() < 0.002, "{n}");
        }
        for n in [read_today, read_tomorrow] {
            assert!((n as f64 / 300_000.0 - 0.4).abs() < 0.01, "{n}");
        }
        assert_eq!((both, read_both), (0, 0), "D+1 reads other meters");
    }

    #[test]
    fn samples_are_the_requested_share() {
        let mut s = Scenario::default();
        s.population.meters = 200_000;
        let pop = Population::new(&s, 0.1);
        assert_eq!((pop.stride, pop.sample), (10, 0.1));
        let sampled: Vec<u32> = (0..pop.meters).filter(|&m| pop.in_sample(m)).collect();
        assert_eq!(sampled.len(), 20_000);
        // The stride does not bias traits: export share among sampled meters is the population's.
        let export =
            sampled.iter().filter(|&&m| pop.meter(m).export).count() as f64 / sampled.len() as f64;
        assert!(
            (export - s.population.export_share).abs() < 0.01,
            "{export}"
        );
        assert_eq!(stride_for(0.01), 100);
        assert_eq!(stride_for(0.3), 3);
        assert_eq!(stride_for(f64::NAN), 1);
        assert_eq!(pop.first_sampled_from(11), 20);
    }
}
