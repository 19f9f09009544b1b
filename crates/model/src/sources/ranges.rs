//! The plausible range of every numeric assumption: the low and high ends a sensitivity
//! (tornado) run tries, and where a sizing search starts looking.
//!
//! Each row names the scenario field it belongs to (a row of [`super::PROVENANCE`]) and the
//! [lever](crate::sizing::levers) that moves it: a number set directly, a group of numbers
//! scaled together (`×0.5` to `×2` of today's values), a window shifted by hours, or one share of
//! a split with the others rescaled. Most ranges come from the sensitivity column of
//! `shared/domain/facts.md` §6; the rest are this model's assumptions and say so. A test fails
//! if a numeric field has no row.

use super::Basis::{self, *};

/// How far one assumption plausibly moves, and why.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Range {
    /// The provenance row (scenario field) this range belongs to.
    pub field: &'static str,
    /// The lever's path: usually the field itself; an element such as
    /// `population.region_shares[0]` for a split.
    pub lever: &'static str,
    /// A short name for charts ("DSP throughput"), at most 20 characters so bars' labels fit.
    pub label: &'static str,
    /// The low and high ends, in the lever's units: the field's own units for a number or a
    /// share, a factor for a group scaled together, hours for a shifted window.
    pub low: f64,
    pub high: f64,
    pub basis: Basis,
    pub why: &'static str,
}

const fn r(
    field: &'static str,
    label: &'static str,
    low: f64,
    high: f64,
    basis: Basis,
    why: &'static str,
) -> Range {
    Range {
        field,
        label,
        lever: field,
        low,
        high,
        basis,
        why,
    }
}

const FACTS: &str = "facts.md §6, range for sensitivity";

/// Numeric fields that are not assumptions, so have no range.
pub static NOT_ASSUMPTIONS: &[(&str, &str)] = &[
    ("version", "the file format's version"),
    (
        "seed",
        "the random seed: replications vary it, not a tornado",
    ),
];

/// Every numeric assumption's plausible range.
pub static RANGES: &[Range] = &[
    r(
        "population.meters",
        "Meters collected",
        20_000_000.0,
        32_000_000.0,
        Public,
        "20M–32M electricity smart meters to collect daily (facts.md §6)",
    ),
    r(
        "population.smets2_share",
        "SMETS2 share",
        12.0 / 21.0,
        22.0 / 28.0,
        Inferred,
        "12M–22M SMETS2 beside 6M–9M SMETS1 (facts.md §6)",
    ),
    Range {
        lever: "population.region_shares[0]",
        ..r(
            "population.region_shares",
            "CSP North share",
            0.2,
            0.3,
            Assumption,
            "North 20–30% of SMETS2, Central and South sharing the rest (facts.md §6)",
        )
    },
    Range {
        lever: "population.cohort_shares[2]",
        ..r(
            "population.cohort_shares",
            "S1SP FOC share",
            0.41,
            0.51,
            Public,
            "FOC 46% ± 5 points, IOC and MOC sharing the rest (facts.md §6, Utility Week 2019)",
        )
    },
    r(
        "population.export_share",
        "Export meters",
        0.01,
        0.02,
        Inferred,
        "1–2% of meters export (SEG annual report; facts-2.md)",
    ),
    r(
        "population.non_communicating_share",
        "Non-comm. meters",
        0.04,
        0.10,
        Public,
        "4–10% in traditional mode (DESNZ; facts.md §6)",
    ),
    r(
        "users.agent_share",
        "MDR agents' share",
        0.1,
        0.6,
        Assumption,
        "how much of the market independent MDR agents win: no figure yet",
    ),
    r(
        "users.agent_passes_data_on",
        "Agents pass data on",
        0.0,
        1.0,
        Assumption,
        "from no reuse outside DCC to full reuse",
    ),
    r(
        "users.mhhs_flag_share",
        "MHHS flag uptake",
        0.5,
        1.0,
        Assumption,
        "uptake of the optional MHHS purpose attribute",
    ),
    r(
        "collection.daily_share",
        "Collected daily",
        0.8,
        1.0,
        WorkingGroup,
        "near the DCC recommendation (all daily); 0 is the original TOM, a preset of its own",
    ),
    r(
        "collection.monthly_days",
        "Days a monthly read",
        28.0,
        31.0,
        Assumption,
        "a calendar month of HH data",
    ),
    r(
        "collection.validation_reads_per_day",
        "Validation reads",
        0.03,
        1.0,
        Assumption,
        FACTS,
    ),
    r(
        "schedules.supplier_window",
        "Suppliers' window",
        -0.5,
        1.5,
        Assumption,
        "the overnight window from 00:00–06:00 to 02:00–08:00, within 22:00–08:00 (facts.md §6); the day's schedules cannot start before its midnight",
    ),
    r(
        "schedules.agent_window",
        "Agents' window",
        -0.5,
        1.5,
        Assumption,
        "as suppliers' window",
    ),
    r(
        "schedules.slices",
        "Schedule bursts",
        4.0,
        48.0,
        Assumption,
        "schedules fired in 4 to 48 bursts over the window",
    ),
    r(
        "schedules.midnight_spread_min",
        "Midnight spread",
        10.0,
        60.0,
        Assumption,
        "midnight reads spread over 10 to 60 minutes",
    ),
    r(
        "schedules.srv_4_1_1_uptake",
        "SRV 4.1.1 uptake",
        0.2,
        0.8,
        Assumption,
        "users that would use SRV 4.1.1 at midnight",
    ),
    r(
        "policy.smoothing_cap_per_s",
        "Smoothing cap",
        800.0,
        2000.0,
        Assumption,
        "between the 30M/day averages over 8 h (1,042/s) and a little under the DSP's assumed throughput (facts.md §6)",
    ),
    r(
        "policy.mhhs_window",
        "MHHS window",
        -2.0,
        2.0,
        Assumption,
        "the MHHS window moved up to 2 h either way",
    ),
    r(
        "policy.maintenance",
        "Maintenance window",
        -2.0,
        2.0,
        Public,
        "20:00–02:00, sometimes later (n3rgy #10)",
    ),
    r(
        "routes.dsp_per_s",
        "DSP throughput",
        1500.0,
        6000.0,
        Assumption,
        "no public figure: from 3.5× today's ~425 SR/s average to a DSP sized for a 6 h window with room",
    ),
    r(
        "routes.csp_in_flight",
        "CSP in-flight",
        0.5,
        2.0,
        Assumption,
        "half to twice the assumed in-flight slots of every CSP region",
    ),
    r(
        "routes.s1sp_per_s",
        "S1SP rates",
        0.5,
        2.0,
        Assumption,
        "half to twice the assumed rates (50–300/s a cohort; facts.md guesses 10–200/s)",
    ),
    r(
        "routes.s1sp_in_flight",
        "S1SP in-flight",
        0.5,
        2.0,
        Assumption,
        "half to twice the assumed in-flight limits (facts.md guesses 50–1,000)",
    ),
    r(
        "devices.smets2_median_s",
        "SMETS2 median time",
        0.5,
        1.5,
        Assumption,
        "median 3–15 s by region (facts.md §6)",
    ),
    r(
        "devices.smets2_p95_s",
        "SMETS2 p95 time",
        0.8,
        1.5,
        Assumption,
        "a tail from 16 s to 38 s",
    ),
    r(
        "devices.smets1_median_s",
        "SMETS1 median time",
        0.5,
        2.0,
        Assumption,
        "IOC/FOC 7–30 s, MOC 15–60 s (facts.md §6: 5–60 s, MOC 15–180 s)",
    ),
    r(
        "devices.smets1_p95_s",
        "SMETS1 p95 time",
        0.8,
        2.0,
        Assumption,
        "a tail from 36 s to 180 s",
    ),
    r(
        "devices.extra_s_per_day_of_data",
        "Time per data day",
        0.2,
        1.0,
        Assumption,
        "extra seconds a device takes per extra day of HH data",
    ),
    r(
        "devices.smets2_attempt_failure",
        "SMETS2 failures",
        0.01,
        0.05,
        Assumption,
        "with persistent faults, 2–6% of first attempts fail (facts.md §6: 1–8%)",
    ),
    r(
        "devices.smets1_attempt_failure",
        "SMETS1 failures",
        0.03,
        0.12,
        Assumption,
        "with persistent faults, 5–14% of first attempts fail (facts.md §6: 3–15%)",
    ),
    r(
        "devices.smets2_persistent_failure",
        "SMETS2 stuck meters",
        0.0,
        0.03,
        Assumption,
        "no share published (n3rgy #2)",
    ),
    r(
        "devices.smets1_persistent_failure",
        "SMETS1 stuck meters",
        0.0,
        0.05,
        Assumption,
        "no share published (n3rgy #2)",
    ),
    r(
        "devices.no_response_timeout_s",
        "Silent timeout",
        30.0,
        120.0,
        Assumption,
        "how long a silent meter holds its slot",
    ),
    r(
        "devices.retry_after_h",
        "Retry delay",
        0.5,
        3.0,
        Assumption,
        "retry after half an hour to three hours",
    ),
    r(
        "devices.max_attempts",
        "Attempts",
        3.0,
        10.0,
        Public,
        "3–10 attempts (facts.md §6; DCC used five in SMETS1 migration)",
    ),
    r(
        "cache.lifetime_h",
        "Cache lifetime",
        12.0,
        48.0,
        Assumption,
        "cached HH data served for half a day to two days",
    ),
    r(
        "cache.response_s",
        "Cache answer time",
        0.5,
        5.0,
        Assumption,
        "an answer from the S1SP's cache",
    ),
    r(
        "trt.on_demand_smets2_s",
        "SMETS2 TRT",
        25.0,
        30.0,
        Inferred,
        "RTT4 25 s to the 30 s commonly quoted (facts.md §6)",
    ),
    r(
        "trt.on_demand_smets1_s",
        "SMETS1 TRT",
        30.0,
        120.0,
        Assumption,
        FACTS,
    ),
    r(
        "trt.scheduled_h",
        "Scheduled TRT",
        22.0,
        24.0,
        WorkingGroup,
        "RTT2 22 h to the 24 h scheduled TRT (facts.md §6)",
    ),
    r(
        "existing.scheduled_per_meter_day",
        "Today's sched. reads",
        0.45,
        0.8,
        Inferred,
        "2–3 messages a meter a day (facts.md §6), about three fifths scheduled",
    ),
    r(
        "existing.scheduled_window",
        "Today's read window",
        -1.0,
        1.0,
        Assumption,
        "users' existing overnight reads an hour earlier or later",
    ),
    r(
        "existing.on_demand_per_meter_day",
        "Today's on-demand",
        0.35,
        0.65,
        Inferred,
        "2–3 messages a meter a day (facts.md §6), about two fifths on demand",
    ),
    r(
        "existing.working_hours_share",
        "Daytime on-demand",
        0.6,
        0.9,
        Assumption,
        "share of today's on-demand traffic in working hours",
    ),
    r(
        "report.needed_by_h",
        "Needed-by time",
        6.0,
        9.0,
        Assumption,
        "users need their data between 06:00 and 09:00",
    ),
    r(
        "report.working_hours",
        "Working hours",
        -1.0,
        1.0,
        Assumption,
        "working hours an hour earlier or later",
    ),
    r(
        "report.horizon_h",
        "Run length",
        36.0,
        48.0,
        Assumption,
        "the run stops at noon or midnight of D+1",
    ),
];

/// The range of a field (its provenance row), if it has one.
pub fn range(field: &str) -> Option<&'static Range> {
    RANGES.iter().find(|r| r.field == field)
}
