//! Where each default of the [`Scenario`](super::scenario::Scenario) comes from.
//!
//! One row per field path. The basis marks follow `shared/domain/facts.md`: a public source says
//! it, the October 2021 Working Group said it, it is inferred from sources by arithmetic, or it is
//! an assumption with no public source (to be replaced when DCC or SECAS publish a figure). A test
//! checks that every field of the scenario has a row, so no default goes unlabelled.

use serde::{Deserialize, Serialize};

pub mod ranges;
pub use ranges::{NOT_ASSUMPTIONS, RANGES, Range, range};

/// How well a default is founded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A public source states it.
    Public,
    /// The MP162 Working Group summary (October 2021) states it.
    WorkingGroup,
    /// Worked out from public sources.
    Inferred,
    /// No public source: an assumption of this model.
    Assumption,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::Public => "public source",
            Basis::WorkingGroup => "Working Group",
            Basis::Inferred => "inferred",
            Basis::Assumption => "assumption",
        }
    }
}

/// The provenance of one scenario field.
#[derive(Clone, Debug, Serialize)]
pub struct Provenance {
    pub field: &'static str,
    pub unit: &'static str,
    pub basis: Basis,
    /// Where it comes from, in a few words.
    pub source: &'static str,
    /// A public address for the source, when there is one.
    pub url: &'static str,
}

const fn p(
    field: &'static str,
    unit: &'static str,
    basis: Basis,
    source: &'static str,
    url: &'static str,
) -> Provenance {
    Provenance {
        field,
        unit,
        basis,
        source,
        url,
    }
}

use Basis::*;

const MATRIX: &str =
    "https://github.com/SmartDCCInnovation/duis-parser/blob/main/src/duis-request-matrix.json";
const N3RGY_MAINT: &str = "https://github.com/n3rgy/data/issues/10";
const N3RGY_FAIL: &str = "https://github.com/n3rgy/data/issues/2";
const UW_COHORTS: &str =
    "https://www.utilityweek.co.uk/dcc-migrate-4-million-smets1-devices-autumn/";

/// Every scenario field with its unit and source.
pub static PROVENANCE: &[Provenance] = &[
    p(
        "version",
        "",
        Public,
        "scenario format version of this app",
        "",
    ),
    p("name", "", Assumption, "a label for the scenario", ""),
    p(
        "seed",
        "",
        Assumption,
        "random seed: the same seed gives the same run",
        "",
    ),
    p(
        "population.meters",
        "meters",
        WorkingGroup,
        "DCC recommendation: collect ~30M meters daily (WG); DESNZ/DCC totals",
        "",
    ),
    p(
        "population.smets2_share",
        "share",
        Inferred,
        "~19M SMETS2 and ~7M SMETS1 electricity meters on DCC (facts.md §6)",
        "https://www.industrialnews.co.uk/?p=315704",
    ),
    p(
        "population.region_shares",
        "shares",
        Assumption,
        "North 25%, Central 37.5%, South 37.5% from the 2013 contract estimates and population",
        "",
    ),
    p(
        "population.cohort_shares",
        "shares",
        Public,
        "IOC 22%, MOC 32%, FOC 46% (Utility Week, 2019)",
        UW_COHORTS,
    ),
    p(
        "population.export_share",
        "share",
        Inferred,
        "1.5%: about 0.3–0.6 M export MPANs, 1–2% of ~30 M meters (270,395 on SEG tariffs, Mar 2025, plus supplier export tariffs; most FiT sites have deemed export); 8% before model version 2",
        "https://www.ofgem.gov.uk/transparency-document/smart-export-guarantee-annual-report-april-2024-march-2025",
    ),
    p(
        "population.non_communicating_share",
        "share",
        Public,
        "6–9% of smart meters in traditional mode (DESNZ statistics)",
        "https://www.energylivenews.com/2024/08/29/",
    ),
    p(
        "users.agent_share",
        "share",
        Assumption,
        "share of meters whose data an independent MDR agent collects",
        "",
    ),
    p(
        "users.agent_passes_data_on",
        "share",
        Assumption,
        "reuse of data outside DCC (WG: the cache only helps without it)",
        "",
    ),
    p(
        "users.mhhs_flag_share",
        "share",
        WorkingGroup,
        "optional MHHS purpose attribute proposed by DCC (WG); uptake is an assumption",
        "",
    ),
    p(
        "collection.mhhs",
        "",
        WorkingGroup,
        "MHHS collection on or off",
        "",
    ),
    p(
        "collection.daily_share",
        "share",
        WorkingGroup,
        "DCC recommendation: all meters daily; original TOM: ~1M a day, a month at a time",
        "",
    ),
    p(
        "collection.monthly_days",
        "days",
        WorkingGroup,
        "original TOM collected a month of HH data per request",
        "",
    ),
    p(
        "collection.validation_reads_per_day",
        "reads per meter per day",
        Assumption,
        "register read for validation, 0.03–1 per day (facts.md §6)",
        "",
    ),
    p(
        "collection.next_night",
        "on/off",
        Assumption,
        "off: the run is D's collection from an empty system; on: D+1's own collection runs too, \
         so D's spill past 24:00 meets it (a GB run then takes about half as long again)",
        "",
    ),
    p(
        "schedules.supplier_window",
        "hours",
        Assumption,
        "overnight window 00:30–06:30 local time (facts.md §6); hours are of the local settlement day, which starts at local midnight, 23:00 UTC in summer (MHHS CR036)",
        "",
    ),
    p(
        "schedules.agent_window",
        "hours",
        Assumption,
        "same as suppliers; WG: an agent may spread across the day",
        "",
    ),
    p(
        "schedules.slices",
        "slices",
        Assumption,
        "schedules fire in bursts at the start of each slice",
        "",
    ),
    p(
        "schedules.midnight_spread_min",
        "minutes",
        Assumption,
        "instantaneous reads 'around midnight'",
        "",
    ),
    p(
        "schedules.srv_4_1_1_for_smets2",
        "",
        WorkingGroup,
        "open question: is SRV 4.1.1 needed for SMETS2? (WG felt not)",
        MATRIX,
    ),
    p(
        "schedules.srv_4_1_1_uptake",
        "share",
        Assumption,
        "users that would use 4.1.1 at midnight if it stays",
        "",
    ),
    p(
        "schedules.sr_4_2_schedulable",
        "",
        WorkingGroup,
        "open question: should SR 4.2 be schedulable? Today it is not (DUIS matrix)",
        MATRIX,
    ),
    p(
        "policy.smoothing",
        "",
        WorkingGroup,
        "DCC smoothing scheduled load within the 24 h TRT (WG)",
        "",
    ),
    p(
        "policy.smoothing_cap_per_s",
        "requests/s",
        Assumption,
        "release cap for scheduled requests when smoothing",
        "",
    ),
    p(
        "policy.mhhs_window_on",
        "",
        WorkingGroup,
        "separate windows for MHHS-flagged requests (WG)",
        "",
    ),
    p(
        "policy.mhhs_window",
        "hours",
        Assumption,
        "22:00 to 06:00 next day",
        "",
    ),
    p(
        "policy.maintenance_on",
        "",
        Public,
        "DCC maintenance, third Tuesday monthly, often weekly (n3rgy #10)",
        N3RGY_MAINT,
    ),
    p(
        "policy.maintenance",
        "hours",
        Public,
        "20:00–02:00 (n3rgy #10)",
        N3RGY_MAINT,
    ),
    p(
        "policy.discipline",
        "",
        Assumption,
        "on-demand requests served before scheduled ones",
        "",
    ),
    p(
        "routes.dsp_per_s",
        "requests/s",
        Assumption,
        "DCC data service throughput; no public figure (average today ~425 SR/s inferred from 2.2bn messages/month)",
        "",
    ),
    p(
        "routes.csp_in_flight",
        "requests",
        Assumption,
        "CSP requests awaiting a device answer at once, per region",
        "",
    ),
    p(
        "routes.s1sp_per_s",
        "requests/s",
        Assumption,
        "sequential within a cohort (WG); facts.md guesses 50/s (10–200); set to 100/100/150 so today's traffic is served within TRT",
        "",
    ),
    p(
        "routes.s1sp_in_flight",
        "requests",
        Assumption,
        "facts.md guesses 50–1,000; at 15–30 s per answer that cannot carry today's SMETS1 traffic, so 3,000/5,000/4,000",
        "",
    ),
    p(
        "devices.smets2_median_s",
        "seconds",
        Assumption,
        "lognormal; North (radio) 10 s, Central/South (cellular) 6 s; under the 25 s RTT4 target",
        "http://ininet.org/date-29th-march-2018.html?page=4",
    ),
    p(
        "devices.smets2_p95_s",
        "seconds",
        Assumption,
        "North 25 s, Central/South 20 s",
        "",
    ),
    p(
        "devices.smets1_median_s",
        "seconds",
        Assumption,
        "IOC/FOC 15 s; MOC 30 s (SMS wake-up, MP312)",
        "https://doloop.energy/item/bb3a9b80faa4a190",
    ),
    p(
        "devices.smets1_p95_s",
        "seconds",
        Assumption,
        "IOC/FOC 45 s; MOC 90 s",
        "",
    ),
    p(
        "devices.extra_s_per_day_of_data",
        "seconds",
        Assumption,
        "a month of HH data takes longer to read and return",
        "",
    ),
    p(
        "devices.smets2_attempt_failure",
        "share",
        Assumption,
        "2% of attempts, drawn anew each attempt; with 1% failing persistently, 3% of first attempts fail, the facts sheet's guess; intermittent failures documented (n3rgy #2)",
        N3RGY_FAIL,
    ),
    p(
        "devices.smets1_attempt_failure",
        "share",
        Assumption,
        "6% of attempts; with 2% failing persistently, 7.9% of first attempts fail (the facts sheet's 8%); failures after migration documented",
        N3RGY_FAIL,
    ),
    p(
        "devices.smets2_persistent_failure",
        "share",
        Assumption,
        "1% of communicating meters fail every attempt of the day; n3rgy, DCC and BEIS found requests that fail consistently in some cases, re-requested for days or weeks (n3rgy #2); no share published",
        N3RGY_FAIL,
    ),
    p(
        "devices.smets1_persistent_failure",
        "share",
        Assumption,
        "2% of communicating meters; the same problem spread to enrolled SMETS1 by 2022 (n3rgy #2); no share published",
        N3RGY_FAIL,
    ),
    p(
        "devices.no_response_timeout_s",
        "seconds",
        Assumption,
        "time a request to a silent meter holds its slot",
        "",
    ),
    p(
        "devices.retry_after_h",
        "hours",
        Assumption,
        "retry after 1 h (facts.md §6)",
        "",
    ),
    p(
        "devices.max_attempts",
        "attempts",
        Public,
        "DCC used 'at least five failed attempts' as a cut-off in SMETS1 migration",
        "",
    ),
    p(
        "cache.enabled",
        "",
        WorkingGroup,
        "proposed S1SP cache (WG, SMETS1 workshop); precedent MP312",
        "https://doloop.energy/item/bb3a9b80faa4a190",
    ),
    p(
        "cache.lifetime_h",
        "hours",
        Assumption,
        "how long cached HH data is served",
        "",
    ),
    p(
        "cache.response_s",
        "seconds",
        Assumption,
        "S1SP answer from its cache",
        "",
    ),
    p(
        "trt.on_demand_smets2_s",
        "seconds",
        Inferred,
        "30 s commonly quoted; fits the 25 s RTT4 target",
        "http://ininet.org/date-29th-march-2018.html?page=4",
    ),
    p(
        "trt.on_demand_smets1_s",
        "seconds",
        Assumption,
        "no SMETS1 TRT found",
        "",
    ),
    p(
        "trt.scheduled_h",
        "hours",
        WorkingGroup,
        "scheduled TRT has always been 24 h (WG); RTT2 22 h",
        "",
    ),
    p(
        "existing.scheduled_per_meter_day",
        "requests per meter per day",
        Inferred,
        "with on-demand, ~1.1 requests per meter per day: 2.2 bn messages a month over ~32 M meters (Aug 2024) is ~2.3 messages, a request and its response each; Jul 2022 had 1 bn request/response messages for 21 M meters, ~0.8 requests a day",
        "https://www.industrialnews.co.uk/?p=315704",
    ),
    p(
        "existing.scheduled_window",
        "hours",
        Assumption,
        "users' existing overnight reads",
        "",
    ),
    p(
        "existing.on_demand_per_meter_day",
        "requests per meter per day",
        Inferred,
        "see existing.scheduled_per_meter_day",
        "",
    ),
    p(
        "existing.working_hours_share",
        "share",
        Assumption,
        "Install & Commission and customer traffic in working hours",
        "",
    ),
    p(
        "report.needed_by_h",
        "hours",
        WorkingGroup,
        "users expect overnight data, e.g. by 07:00 local time (the model's clock is the local settlement day: 00:00 is local midnight, 23:00 UTC in summer)",
        "",
    ),
    p(
        "report.working_hours",
        "hours",
        Assumption,
        "08:00–18:00",
        "",
    ),
    p(
        "report.horizon_h",
        "hours",
        Assumption,
        "day D and the spill into D+1",
        "",
    ),
];

/// The provenance of a field path, if the table has it.
pub fn provenance(field: &str) -> Option<&'static Provenance> {
    PROVENANCE.iter().find(|p| p.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// Paths of every leaf (or array) field in a JSON value.
    fn leaf_paths(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    // A window is one field; so is an array of shares.
                    if x.get("start_h").is_some() || !x.is_object() {
                        out.push(path);
                    } else {
                        leaf_paths(&path, x, out);
                    }
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }

    #[test]
    fn every_scenario_field_has_a_source_or_is_an_assumption() {
        let mut paths = Vec::new();
        leaf_paths(
            "",
            &serde_json::to_value(Scenario::default()).unwrap(),
            &mut paths,
        );
        let missing: Vec<_> = paths.iter().filter(|f| provenance(f).is_none()).collect();
        assert!(missing.is_empty(), "fields without provenance: {missing:?}");
        let stale: Vec<_> = PROVENANCE
            .iter()
            .filter(|p| !paths.iter().any(|f| f == p.field))
            .map(|p| p.field)
            .collect();
        assert!(
            stale.is_empty(),
            "provenance rows for fields that do not exist: {stale:?}"
        );
    }

    #[test]
    fn every_numeric_assumption_has_a_plausible_range() {
        let s = Scenario::default();
        let value = serde_json::to_value(&s).unwrap();
        let mut paths = Vec::new();
        leaf_paths("", &value, &mut paths);
        let numeric = |path: &str| {
            let mut v = value.clone();
            let node = crate::fields::walk(&mut v, path).cloned().unwrap();
            node.is_number()
                || node.get("start_h").is_some()
                || node
                    .as_array()
                    .is_some_and(|a| a.iter().all(|x| x.is_number()))
        };
        let missing: Vec<_> = paths
            .iter()
            .filter(|f| numeric(f))
            .filter(|f| range(f).is_none() && !NOT_ASSUMPTIONS.iter().any(|(n, _)| n == f))
            .collect();
        assert!(
            missing.is_empty(),
            "numeric fields without a low/high range: {missing:?}"
        );
        for r in RANGES {
            assert!(
                provenance(r.field).is_some(),
                "{}: no provenance row",
                r.field
            );
            assert!(
                r.low < r.high,
                "{}: low {} is not below high {}",
                r.field,
                r.low,
                r.high
            );
            assert!(!r.why.is_empty(), "{}", r.field);
            assert!(
                r.label.chars().count() <= 20,
                "{}: label '{}' is long for a chart",
                r.field,
                r.label
            );
            let lever = crate::sizing::levers::Lever::new(&s, r.lever).unwrap();
            let x0 = lever.value_in(&s);
            assert!(
                r.low <= x0 + 1e-12 && x0 <= r.high + 1e-12,
                "{}: the default {x0} is outside its range {}–{}",
                r.lever,
                r.low,
                r.high
            );
            for x in [r.low, r.high] {
                assert!(lever.at(&s, x).is_ok(), "{} cannot take {x}", r.lever);
            }
        }
    }
}
