//! The scenario: every assumption of a model run in one versioned, serde-serialisable value.
//!
//! Defaults are the "DCC recommendation" day drawn from `shared/domain/facts.md`; the source (or
//! the label "assumption") of each field lives in [`super::sources`], keyed by the field's path,
//! so the command line and the browser can show it. [`Scenario::validate`] returns every problem
//! with the field it concerns; a scenario that validates never makes the engine panic or yield NaN.

use serde::{Deserialize, Serialize};

use super::station::Discipline;

/// The scenario format version. Bump it when a field changes meaning; readers refuse versions
/// they do not know and read older ones they do with notes (see [`Scenario::from_json_with_notes`]).
///
/// Version 2: a device failure probability is per attempt (`devices.smets2_failure` became
/// `devices.smets2_attempt_failure`, likewise SMETS1), beside a new share of meters that fail
/// every attempt (`devices.smets2_persistent_failure`, `devices.smets1_persistent_failure`).
pub const SCENARIO_VERSION: u32 = 2;

/// Fields renamed since version 1: (old path, new path). Files and links that use an old name
/// still read.
pub const RENAMED_FIELDS: &[(&str, &str)] = &[
    ("devices.smets2_failure", "devices.smets2_attempt_failure"),
    ("devices.smets1_failure", "devices.smets1_attempt_failure"),
];

/// Fields added since version 1 (after `collection.next_night`, which files may lack too):
/// files without them read them as their defaults.
pub const ADDED_FIELDS: &[&str] = &[
    "collection.next_night",
    "devices.smets2_persistent_failure",
    "devices.smets1_persistent_failure",
];

/// A field's path under today's name (an old name from [`RENAMED_FIELDS`] is translated).
pub fn current_path(path: &str) -> std::borrow::Cow<'_, str> {
    for (old, new) in RENAMED_FIELDS {
        if let Some(rest) = path.strip_prefix(old)
            && (rest.is_empty() || rest.starts_with('['))
        {
            return format!("{new}{rest}").into();
        }
    }
    path.into()
}

/// A span of the day in hours from 00:00 on day D (may run past 24 into D+1). `start` < `end`.
/// Hours are local clock time of the settlement day: 00:00 is local midnight (23:00 UTC in
/// summer), as MHHS change request CR036 moves reads to clock midnight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub start_h: f64,
    pub end_h: f64,
}

impl Window {
    pub const fn new(start_h: f64, end_h: f64) -> Self {
        Self { start_h, end_h }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    pub seed: u64,
    pub population: Population,
    pub users: Users,
    pub collection: Collection,
    pub schedules: Schedules,
    pub policy: DccPolicy,
    pub routes: Routes,
    pub devices: Devices,
    pub cache: Cache,
    pub trt: Trt,
    pub existing: ExistingTraffic,
    pub report: ReportOptions,
}

/// Electricity smart meters in scope, by route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Electricity smart meters enrolled with DCC (SMETS2 + SMETS1).
    pub meters: u64,
    /// Share of those that are SMETS2 (the rest are enrolled SMETS1).
    pub smets2_share: f64,
    /// SMETS2 split by CSP region: North, Central, South (sums to 1).
    pub region_shares: [f64; 3],
    /// SMETS1 split by S1SP cohort: IOC, MOC, FOC (sums to 1).
    pub cohort_shares: [f64; 3],
    /// Share of meters with export (microgeneration).
    pub export_share: f64,
    /// Share of meters not communicating (traditional mode, no WAN): every request to them fails.
    pub non_communicating_share: f64,
}

/// Who reads MHHS data and whether the same data is asked for twice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Users {
    /// Share of meters whose MHHS data an independent MDR agent collects (the rest: the supplier
    /// collects its own, acting as its own agent).
    pub agent_share: f64,
    /// Of the agent's meters, the share whose data the agent passes on to the supplier (reuse
    /// outside DCC). For the rest, the supplier asks DCC for the same HH data again.
    pub agent_passes_data_on: f64,
    /// Share of MHHS requests that carry the optional "MHHS purpose" attribute.
    pub mhhs_flag_share: f64,
}

/// What MHHS data is collected each day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// MHHS collection on at all (off: today's traffic only).
    pub mhhs: bool,
    /// Share of meters collected every day with one day of HH data (DCC recommendation = 1); the
    /// rest are collected once a month with a month of HH data (the original TOM = 0).
    pub daily_share: f64,
    /// Days of HH data in a monthly request (and the cycle over which monthly meters are spread).
    pub monthly_days: u32,
    /// Register reads for validation per collected meter per day (1 = every day).
    pub validation_reads_per_day: f64,
    /// Run D+1's own MHHS collection too: the next night, the same schedules 24 hours later, so
    /// D's collection still under way after 24:00 meets it. Off: D's collection alone, from an
    /// empty system. (Absent from scenarios written before it existed: off.)
    #[serde(default)]
    pub next_night: bool,
}

/// When users ask for their requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedules {
    /// Suppliers collecting their own MHHS data fire their DCC schedules in this window.
    pub supplier_window: Window,
    /// Independent MDR agents fire their DCC schedules in this window.
    pub agent_window: Window,
    /// Schedules in a window fire in this many equal slices (each slice a burst at its start).
    pub slices: u32,
    /// Future-dated and on-demand register reads "around midnight" spread over this many minutes.
    pub midnight_spread_min: f64,
    /// Proposed option: SRV 4.1.1 available for SMETS2 devices. If not, SMETS2 validation reads
    /// come from the daily read log (SRV 4.6.1, DCC-schedulable).
    pub srv_4_1_1_for_smets2: bool,
    /// If 4.1.1 is available for SMETS2, the share of users that use it (future-dated at midnight).
    pub srv_4_1_1_uptake: f64,
    /// Proposed option: SR 4.2 (instantaneous export read) DCC-schedulable. If not, SMETS1 export
    /// meters need an on-demand 4.2 around midnight.
    pub sr_4_2_schedulable: bool,
}

/// What the DCC does with scheduled requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DccPolicy {
    /// Smooth scheduled requests: release them no faster than `smoothing_cap_per_s` (using the
    /// freedom of the 24 h TRT). Off: release as requested.
    pub smoothing: bool,
    /// Cap on the release rate of scheduled requests when smoothing, requests per second.
    pub smoothing_cap_per_s: f64,
    /// Move requests flagged "MHHS purpose" into their own window, spread evenly across it.
    pub mhhs_window_on: bool,
    pub mhhs_window: Window,
    /// A maintenance window with no capacity anywhere (DSP, CSPs, S1SPs).
    pub maintenance_on: bool,
    pub maintenance: Window,
    /// How queues choose between on-demand and scheduled work.
    pub discipline: Discipline,
}

/// Capacities of the routes a request takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    /// DCC data service (DSP) throughput, service requests per second.
    pub dsp_per_s: f64,
    /// CSP in-flight limit per region (North, Central, South): requests awaiting a device answer.
    pub csp_in_flight: [u32; 3],
    /// S1SP handling rate per cohort (IOC, MOC, FOC): requests per second, one at a time.
    pub s1sp_per_s: [f64; 3],
    /// S1SP in-flight limit per cohort (IOC, MOC, FOC).
    pub s1sp_in_flight: [u32; 3],
}

/// How devices answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Devices {
    /// SMETS2 response time median and 95th percentile by region (N, C, S), seconds (lognormal).
    pub smets2_median_s: [f64; 3],
    pub smets2_p95_s: [f64; 3],
    /// SMETS1 response time median and 95th percentile by cohort (IOC, MOC, FOC), seconds.
    pub smets1_median_s: [f64; 3],
    pub smets1_p95_s: [f64; 3],
    /// Extra device time per extra day of HH data in one request, seconds.
    pub extra_s_per_day_of_data: f64,
    /// Probability that an attempt at a meter that neither is silent nor fails persistently
    /// fails (drawn anew at every attempt), SMETS2 and SMETS1. Called `smets2_failure` /
    /// `smets1_failure` in scenario version 1.
    #[serde(alias = "smets2_failure")]
    pub smets2_attempt_failure: f64,
    #[serde(alias = "smets1_failure")]
    pub smets1_attempt_failure: f64,
    /// Share of communicating meters that fail every attempt of the run (a persistent fault),
    /// SMETS2 and SMETS1. Absent from version 1 files: read as the default.
    #[serde(default = "default_smets2_persistent_failure")]
    pub smets2_persistent_failure: f64,
    #[serde(default = "default_smets1_persistent_failure")]
    pub smets1_persistent_failure: f64,
    /// How long a request to a non-communicating meter holds its slot before it fails, seconds.
    pub no_response_timeout_s: f64,
    /// A failed request is retried after this many hours (at least a minute: the engine runs the
    /// DSP and the routes in steps of half this delay)...
    pub retry_after_h: f64,
    /// ...up to this many attempts in all.
    pub max_attempts: u32,
}

/// The proposed cache at the S1SPs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    pub enabled: bool,
    /// How long retrieved HH data stays servable, hours.
    pub lifetime_h: f64,
    /// S1SP time to answer from the cache, seconds.
    pub response_s: f64,
}

/// Target response times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trt {
    /// On-demand (and future-dated, after execution time) TRT for SMETS2, seconds.
    pub on_demand_smets2_s: f64,
    /// On-demand (and future-dated) TRT for SMETS1, seconds.
    pub on_demand_smets1_s: f64,
    /// DCC-scheduled TRT, hours.
    pub scheduled_h: f64,
}

/// Today's (non-MHHS) traffic on the same routes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingTraffic {
    /// Existing scheduled reads per meter per day (billing, customer insight).
    pub scheduled_per_meter_day: f64,
    /// Window in which users fire those schedules.
    pub scheduled_window: Window,
    /// Existing on-demand requests per meter per day (Install & Commission, prepayment, ...).
    pub on_demand_per_meter_day: f64,
    /// Share of the on-demand requests that fall in working hours.
    pub working_hours_share: f64,
}

/// What the report looks at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportOptions {
    /// Hour of D by which users need their MHHS data (e.g. 7 = 07:00).
    pub needed_by_h: f64,
    /// Working hours (daytime traffic, Install & Commission), each day.
    pub working_hours: Window,
    /// Hours simulated from 00:00 on D (48 = to the end of D+1).
    pub horizon_h: f64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            version: SCENARIO_VERSION,
            name: "DCC recommendation: every meter daily".into(),
            seed: 1,
            population: Population {
                meters: 30_000_000,
                smets2_share: 19.0 / 26.0,
                region_shares: [0.25, 0.375, 0.375],
                cohort_shares: [0.22, 0.32, 0.46],
                export_share: 0.015,
                non_communicating_share: 0.06,
            },
            users: Users {
                agent_share: 0.3,
                agent_passes_data_on: 0.5,
                mhhs_flag_share: 1.0,
            },
            collection: Collection {
                mhhs: true,
                daily_share: 1.0,
                monthly_days: 30,
                validation_reads_per_day: 1.0,
                next_night: false,
            },
            schedules: Schedules {
                supplier_window: Window::new(0.5, 6.5),
                agent_window: Window::new(0.5, 6.5),
                slices: 12,
                midnight_spread_min: 30.0,
                srv_4_1_1_for_smets2: false,
                srv_4_1_1_uptake: 0.5,
                sr_4_2_schedulable: true,
            },
            policy: DccPolicy {
                smoothing: false,
                smoothing_cap_per_s: 1200.0,
                mhhs_window_on: false,
                mhhs_window: Window::new(22.0, 30.0),
                maintenance_on: false,
                maintenance: Window::new(20.0, 26.0),
                discipline: Discipline::OnDemandFirst,
            },
            routes: Routes {
                dsp_per_s: 2500.0,
                csp_in_flight: [6000, 9000, 9000],
                s1sp_per_s: [100.0, 100.0, 150.0],
                s1sp_in_flight: [3000, 5000, 4000],
            },
            devices: Devices {
                smets2_median_s: [10.0, 6.0, 6.0],
                smets2_p95_s: [25.0, 20.0, 20.0],
                smets1_median_s: [15.0, 30.0, 15.0],
                smets1_p95_s: [45.0, 90.0, 45.0],
                extra_s_per_day_of_data: 0.5,
                smets2_attempt_failure: 0.02,
                smets1_attempt_failure: 0.06,
                smets2_persistent_failure: default_smets2_persistent_failure(),
                smets1_persistent_failure: default_smets1_persistent_failure(),
                no_response_timeout_s: 60.0,
                retry_after_h: 1.0,
                max_attempts: 5,
            },
            cache: Cache {
                enabled: false,
                lifetime_h: 24.0,
                response_s: 1.0,
            },
            trt: Trt {
                on_demand_smets2_s: 30.0,
                on_demand_smets1_s: 60.0,
                scheduled_h: 24.0,
            },
            existing: ExistingTraffic {
                scheduled_per_meter_day: 0.6,
                scheduled_window: Window::new(1.0, 5.0),
                on_demand_per_meter_day: 0.5,
                working_hours_share: 0.8,
            },
            report: ReportOptions {
                needed_by_h: 7.0,
                working_hours: Window::new(8.0, 18.0),
                horizon_h: 48.0,
            },
        }
    }
}

/// A problem with one field of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldError {
    /// The field's path, e.g. `population.export_share`.
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

struct Checker(Vec<FieldError>);

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
    fn share(&mut self, field: &str, v: f64) {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            self.fail(field, format!("must be a share from 0 to 1 (got {v})"));
        }
    }
    fn range(&mut self, field: &str, v: f64, lo: f64, hi: f64, unit: &str) {
        if !(v.is_finite() && v >= lo && v <= hi) {
            self.fail(field, format!("must be from {lo} to {hi} {unit} (got {v})"));
        }
    }
    fn shares_sum(&mut self, field: &str, v: &[f64]) {
        for (i, x) in v.iter().enumerate() {
            self.share(&format!("{field}[{i}]"), *x);
        }
        let sum: f64 = v.iter().sum();
        if !((sum - 1.0).abs() <= 1e-6) {
            self.fail(
                field,
                format!("shares must add up to 1 (they add up to {sum:.4})"),
            );
        }
    }
    fn window(&mut self, field: &str, w: &Window, max_h: f64) {
        self.range(&format!("{field}.start_h"), w.start_h, 0.0, max_h, "hours");
        self.range(&format!("{field}.end_h"), w.end_h, 0.0, max_h, "hours");
        if w.start_h.is_finite() && w.end_h.is_finite() && w.start_h >= w.end_h {
            self.fail(
                field,
                "must end after it starts (use hours past 24 for the next day)",
            );
        }
    }
}

/// Largest population the engine accepts (keeps per-meter indices in 32 bits and memory bounded).
pub const MAX_METERS: u64 = 60_000_000;

impl Scenario {
    /// Every problem with this scenario, each naming its field. Empty means it can run.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker(Vec::new());
        if !(1..=SCENARIO_VERSION).contains(&self.version) {
            c.fail(
                "version",
                format!(
                    "this app reads scenario versions 1 to {SCENARIO_VERSION}; the file says {}",
                    self.version
                ),
            );
        }
        if self.name.chars().count() > 200 {
            c.fail("name", "must be at most 200 characters");
        }
        let p = &self.population;
        if p.meters == 0 || p.meters > MAX_METERS {
            c.fail(
                "population.meters",
                format!("must be a whole number from 1 to {MAX_METERS}"),
            );
        }
        c.share("population.smets2_share", p.smets2_share);
        c.shares_sum("population.region_shares", &p.region_shares);
        c.shares_sum("population.cohort_shares", &p.cohort_shares);
        c.share("population.export_share", p.export_share);
        c.share(
            "population.non_communicating_share",
            p.non_communicating_share,
        );
        c.share("users.agent_share", self.users.agent_share);
        c.share(
            "users.agent_passes_data_on",
            self.users.agent_passes_data_on,
        );
        c.share("users.mhhs_flag_share", self.users.mhhs_flag_share);
        c.share("collection.daily_share", self.collection.daily_share);
        if !(1..=62).contains(&self.collection.monthly_days) {
            c.fail(
                "collection.monthly_days",
                "must be a whole number of days from 1 to 62",
            );
        }
        c.share(
            "collection.validation_reads_per_day",
            self.collection.validation_reads_per_day,
        );
        let s = &self.schedules;
        c.window("schedules.supplier_window", &s.supplier_window, 24.0);
        c.window("schedules.agent_window", &s.agent_window, 24.0);
        if !(1..=288).contains(&s.slices) {
            c.fail("schedules.slices", "must be a whole number from 1 to 288");
        }
        c.range(
            "schedules.midnight_spread_min",
            s.midnight_spread_min,
            0.0,
            240.0,
            "minutes",
        );
        c.share("schedules.srv_4_1_1_uptake", s.srv_4_1_1_uptake);
        let pol = &self.policy;
        c.range(
            "policy.smoothing_cap_per_s",
            pol.smoothing_cap_per_s,
            0.01,
            1e6,
            "requests per second",
        );
        c.window("policy.mhhs_window", &pol.mhhs_window, 48.0);
        c.window("policy.maintenance", &pol.maintenance, 48.0);
        let r = &self.routes;
        c.range(
            "routes.dsp_per_s",
            r.dsp_per_s,
            0.01,
            1e6,
            "requests per second",
        );
        for i in 0..3 {
            if !(1..=10_000_000).contains(&r.csp_in_flight[i]) {
                c.fail(
                    &format!("routes.csp_in_flight[{i}]"),
                    "must be a whole number from 1 to 10000000",
                );
            }
            if !(1..=10_000_000).contains(&r.s1sp_in_flight[i]) {
                c.fail(
                    &format!("routes.s1sp_in_flight[{i}]"),
                    "must be a whole number from 1 to 10000000",
                );
            }
            c.range(
                &format!("routes.s1sp_per_s[{i}]"),
                r.s1sp_per_s[i],
                0.01,
                1e6,
                "requests per second",
            );
        }
        let d = &self.devices;
        for (name, med, p95) in [
            ("smets2", &d.smets2_median_s, &d.smets2_p95_s),
            ("smets1", &d.smets1_median_s, &d.smets1_p95_s),
        ] {
            for i in 0..3 {
                c.range(
                    &format!("devices.{name}_median_s[{i}]"),
                    med[i],
                    0.01,
                    86_400.0,
                    "seconds",
                );
                c.range(
                    &format!("devices.{name}_p95_s[{i}]"),
                    p95[i],
                    0.01,
                    86_400.0,
                    "seconds",
                );
                if med[i].is_finite() && p95[i].is_finite() && p95[i] < med[i] {
                    c.fail(
                        &format!("devices.{name}_p95_s[{i}]"),
                        "must be at least the median",
                    );
                }
            }
        }
        c.range(
            "devices.extra_s_per_day_of_data",
            d.extra_s_per_day_of_data,
            0.0,
            3600.0,
            "seconds",
        );
        c.share("devices.smets2_attempt_failure", d.smets2_attempt_failure);
        c.share("devices.smets1_attempt_failure", d.smets1_attempt_failure);
        c.share(
            "devices.smets2_persistent_failure",
            d.smets2_persistent_failure,
        );
        c.share(
            "devices.smets1_persistent_failure",
            d.smets1_persistent_failure,
        );
        c.range(
            "devices.no_response_timeout_s",
            d.no_response_timeout_s,
            0.01,
            86_400.0,
            "seconds",
        );
        if !(d.retry_after_h.is_finite()
            && d.retry_after_h >= 1.0 / 60.0
            && d.retry_after_h <= 48.0)
        {
            c.fail(
                "devices.retry_after_h",
                format!(
                    "must be from 1 minute (0.0167) to 48 hours (got {})",
                    d.retry_after_h
                ),
            );
        }
        if !(1..=20).contains(&d.max_attempts) {
            c.fail(
                "devices.max_attempts",
                "must be a whole number from 1 to 20",
            );
        }
        c.range(
            "cache.lifetime_h",
            self.cache.lifetime_h,
            0.0,
            240.0,
            "hours",
        );
        c.range(
            "cache.response_s",
            self.cache.response_s,
            0.0,
            3600.0,
            "seconds",
        );
        c.range(
            "trt.on_demand_smets2_s",
            self.trt.on_demand_smets2_s,
            0.1,
            86_400.0,
            "seconds",
        );
        c.range(
            "trt.on_demand_smets1_s",
            self.trt.on_demand_smets1_s,
            0.1,
            86_400.0,
            "seconds",
        );
        c.range(
            "trt.scheduled_h",
            self.trt.scheduled_h,
            0.01,
            240.0,
            "hours",
        );
        let e = &self.existing;
        c.range(
            "existing.scheduled_per_meter_day",
            e.scheduled_per_meter_day,
            0.0,
            1.0,
            "requests per meter per day",
        );
        c.window("existing.scheduled_window", &e.scheduled_window, 24.0);
        c.range(
            "existing.on_demand_per_meter_day",
            e.on_demand_per_meter_day,
            0.0,
            10.0,
            "requests per meter per day",
        );
        c.share("existing.working_hours_share", e.working_hours_share);
        let rep = &self.report;
        c.range("report.horizon_h", rep.horizon_h, 24.0, 96.0, "hours");
        c.range("report.needed_by_h", rep.needed_by_h, 0.0, 48.0, "hours");
        c.window("report.working_hours", &rep.working_hours, 24.0);
        c.0
    }

    /// Reads a scenario from JSON, naming the field when the text does not fit the format.
    pub fn from_json(text: &str) -> Result<Scenario, Vec<FieldError>> {
        Self::from_json_with_notes(text).map(|(s, _)| s)
    }

    /// Reads a scenario from JSON, with a note for each thing read differently from what the
    /// file says: an old field name read under its new one, a field the file lacks read as its
    /// default. The scenario comes back as the current version.
    pub fn from_json_with_notes(text: &str) -> Result<(Scenario, Vec<String>), Vec<FieldError>> {
        let file_error = |message: String| {
            vec![FieldError {
                field: "(file)".into(),
                message,
            }]
        };
        if text.len() > 1_000_000 {
            return Err(file_error(
                "is larger than 1 MB; a scenario is a few kB".into(),
            ));
        }
        let not_a_scenario = |e: serde_json::Error| {
            format!("is not a scenario: {e}. Start from `mp162 show <preset>`.")
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| file_error(not_a_scenario(e)))?;
        let notes = upgrade_notes(&value);
        let mut scenario: Scenario =
            serde_json::from_value(value).map_err(|e| file_error(not_a_scenario(e)))?;
        let problems = scenario.validate();
        if !problems.is_empty() {
            return Err(problems);
        }
        scenario.version = SCENARIO_VERSION;
        Ok((scenario, notes))
    }
}

fn default_smets2_persistent_failure() -> f64 {
    0.01
}

fn default_smets1_persistent_failure() -> f64 {
    0.02
}

/// What reading `v` as a scenario of today's version reads differently from what it says.
fn upgrade_notes(v: &serde_json::Value) -> Vec<String> {
    let has = |path: &str| {
        let mut at = v;
        for key in path.split('.') {
            match at.get(key) {
                Some(x) => at = x,
                None => return false,
            }
        }
        true
    };
    let mut notes = Vec::new();
    for (old, new) in RENAMED_FIELDS {
        if has(old) {
            notes.push(format!(
                "{old} is read as {new} (renamed in scenario version 2: a probability per attempt)"
            ));
        }
    }
    let defaults = serde_json::to_value(Scenario::default()).unwrap_or_default();
    for path in ADDED_FIELDS {
        if !has(path) {
            let mut d = &defaults;
            for key in path.split('.') {
                d = &d[key];
            }
            notes.push(format!(
                "{path} is not in the file: read as its default, {d}"
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_round_trip_through_json() {
        let s = Scenario::default();
        assert_eq!(s.validate(), vec![]);
        let text = serde_json::to_string_pretty(&s).unwrap();
        assert_eq!(Scenario::from_json(&text).unwrap(), s);
    }

    #[test]
    fn every_problem_names_its_field() {
        let mut s = Scenario::default();
        s.population.export_share = f64::NAN;
        s.population.region_shares = [0.5, 0.5, 0.5];
        s.schedules.supplier_window = Window::new(6.0, 1.0);
        s.devices.max_attempts = 0;
        s.devices.retry_after_h = 0.0;
        s.routes.dsp_per_s = -3.0;
        s.version = 99;
        let fields: Vec<String> = s.validate().into_iter().map(|e| e.field).collect();
        for f in [
            "population.export_share",
            "population.region_shares",
            "schedules.supplier_window",
            "devices.max_attempts",
            "devices.retry_after_h",
            "routes.dsp_per_s",
            "version",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn unknown_fields_and_bad_json_are_refused_with_a_message() {
        let mut v: serde_json::Value = serde_json::to_value(Scenario::default()).unwrap();
        v["population"]["smets3_share"] = 0.1.into();
        let err = Scenario::from_json(&v.to_string()).unwrap_err();
        assert!(err[0].message.contains("smets3_share"), "{err:?}");
        assert!(Scenario::from_json("not json").is_err());
    }
}
