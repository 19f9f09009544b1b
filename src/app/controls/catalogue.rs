//! The explorer's assumption controls, grouped as the model is. Each names its scenario field
//! path; its unit, basis and source come from [`crate::model::sources`], so the page and the About
//! table cannot disagree. Shares are shown as percentages.

/// How a control is edited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number in `min..=max` (in the shown unit), with a slider step.
    Number { min: f64, max: f64, step: f64 },
    /// A whole number in `min..=max`.
    Whole { min: u64, max: u64 },
    /// On or off.
    Flag,
    /// One of a few named values: (value, label).
    Choice(&'static [(&'static str, &'static str)]),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Control {
    /// The scenario field path ([`crate::model::fields`]).
    pub path: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// A share (0..1) shown and typed as a percentage.
    pub percent: bool,
    /// The share that takes up the rest when this one changes (shares adding up to 100%).
    pub balance: Option<&'static str>,
}

pub struct Group {
    pub id: &'static str,
    pub title: &'static str,
    pub controls: &'static [Control],
    /// Shares computed from the others: (path, label), shown read-only.
    pub balanced: &'static [(&'static str, &'static str)],
}

const fn share(path: &'static str, label: &'static str) -> Control {
    Control {
        path,
        label,
        kind: Kind::Number {
            min: 0.0,
            max: 100.0,
            step: 0.5,
        },
        percent: true,
        balance: None,
    }
}
const fn shares_with_rest(path: &'static str, label: &'static str, rest: &'static str) -> Control {
    Control {
        balance: Some(rest),
        ..share(path, label)
    }
}
const fn num(path: &'static str, label: &'static str, min: f64, max: f64, step: f64) -> Control {
    Control {
        path,
        label,
        kind: Kind::Number { min, max, step },
        percent: false,
        balance: None,
    }
}
const fn whole(path: &'static str, label: &'static str, min: u64, max: u64) -> Control {
    Control {
        path,
        label,
        kind: Kind::Whole { min, max },
        percent: false,
        balance: None,
    }
}
const fn flag(path: &'static str, label: &'static str) -> Control {
    Control {
        path,
        label,
        kind: Kind::Flag,
        percent: false,
        balance: None,
    }
}
const fn hour(path: &'static str, label: &'static str, max: f64) -> Control {
    num(path, label, 0.0, max, 0.25)
}

pub const DISCIPLINES: &[(&str, &str)] = &[
    ("on_demand_first", "On-demand requests first"),
    ("fifo", "First come, first served"),
];

pub static GROUPS: &[Group] = &[
    Group {
        id: "population",
        title: "Population",
        controls: &[
            whole(
                "population.meters",
                "Electricity smart meters in scope",
                1_000,
                60_000_000,
            ),
            share("population.smets2_share", "Share that are SMETS2"),
            shares_with_rest(
                "population.region_shares[0]",
                "SMETS2 in CSP North",
                "population.region_shares[2]",
            ),
            shares_with_rest(
                "population.region_shares[1]",
                "SMETS2 in CSP Central",
                "population.region_shares[2]",
            ),
            shares_with_rest(
                "population.cohort_shares[0]",
                "SMETS1 in the IOC cohort",
                "population.cohort_shares[2]",
            ),
            shares_with_rest(
                "population.cohort_shares[1]",
                "SMETS1 in the MOC cohort",
                "population.cohort_shares[2]",
            ),
            share("population.export_share", "Meters with export"),
            share(
                "population.non_communicating_share",
                "Meters not communicating",
            ),
        ],
        balanced: &[
            (
                "population.region_shares[2]",
                "SMETS2 in CSP South (the rest)",
            ),
            (
                "population.cohort_shares[2]",
                "SMETS1 in the FOC cohort (the rest)",
            ),
        ],
    },
    Group {
        id: "users",
        title: "Users and who reads what",
        controls: &[
            share(
                "users.agent_share",
                "Meters read by an independent MDR agent",
            ),
            share(
                "users.agent_passes_data_on",
                "Agents' meters whose data the agent passes on to the supplier",
            ),
            share(
                "users.mhhs_flag_share",
                "MHHS requests carrying the 'MHHS purpose' attribute",
            ),
        ],
        balanced: &[],
    },
    Group {
        id: "collection",
        title: "Collection strategy",
        controls: &[
            flag("collection.mhhs", "Collect MHHS data"),
            share(
                "collection.daily_share",
                "Meters collected daily (the rest monthly, as in the original TOM)",
            ),
            whole(
                "collection.monthly_days",
                "Days of data in a monthly request",
                1,
                62,
            ),
            share(
                "collection.validation_reads_per_day",
                "Validation register reads per meter per day",
            ),
            flag(
                "collection.next_night",
                "Run D+1's own collection too (the next night)",
            ),
        ],
        balanced: &[],
    },
    Group {
        id: "scheduling",
        title: "Scheduling windows and DCC policy",
        controls: &[
            hour(
                "schedules.supplier_window.start_h",
                "Suppliers' schedules: window opens",
                24.0,
            ),
            hour(
                "schedules.supplier_window.end_h",
                "Suppliers' schedules: window closes",
                24.0,
            ),
            hour(
                "schedules.agent_window.start_h",
                "Agents' schedules: window opens",
                24.0,
            ),
            hour(
                "schedules.agent_window.end_h",
                "Agents' schedules: window closes",
                24.0,
            ),
            whole("schedules.slices", "Bursts per window", 1, 288),
            num(
                "schedules.midnight_spread_min",
                "Spread of midnight reads",
                0.0,
                240.0,
                5.0,
            ),
            flag(
                "policy.smoothing",
                "DCC smooths scheduled requests within the TRT",
            ),
            num(
                "policy.smoothing_cap_per_s",
                "Smoothing cap",
                10.0,
                20_000.0,
                10.0,
            ),
            flag(
                "policy.mhhs_window_on",
                "DCC moves 'MHHS purpose' requests into their own window",
            ),
            hour("policy.mhhs_window.start_h", "MHHS window opens", 48.0),
            hour("policy.mhhs_window.end_h", "MHHS window closes", 48.0),
            flag("policy.maintenance_on", "Maintenance window (no capacity)"),
            hour("policy.maintenance.start_h", "Maintenance starts", 48.0),
            hour("policy.maintenance.end_h", "Maintenance ends", 48.0),
            Control {
                path: "policy.discipline",
                label: "Queue order",
                kind: Kind::Choice(DISCIPLINES),
                percent: false,
                balance: None,
            },
        ],
        balanced: &[],
    },
    Group {
        id: "options",
        title: "The consultation's options",
        controls: &[
            flag(
                "schedules.srv_4_1_1_for_smets2",
                "SRV 4.1.1 (instantaneous import read) available for SMETS2",
            ),
            share(
                "schedules.srv_4_1_1_uptake",
                "Users who would use SRV 4.1.1 at midnight",
            ),
            flag(
                "schedules.sr_4_2_schedulable",
                "SR 4.2 (instantaneous export read) DCC-schedulable",
            ),
        ],
        balanced: &[],
    },
    Group {
        id: "cache",
        title: "S1SP cache",
        controls: &[
            flag("cache.enabled", "S1SP cache on"),
            num(
                "cache.lifetime_h",
                "Cached data servable for",
                0.0,
                240.0,
                1.0,
            ),
            num(
                "cache.response_s",
                "S1SP answer from the cache",
                0.0,
                60.0,
                0.5,
            ),
        ],
        balanced: &[],
    },
    Group {
        id: "devices",
        title: "Devices, failures and retries",
        controls: &[
            num(
                "devices.smets2_median_s[0]",
                "SMETS2 North: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets2_p95_s[0]",
                "SMETS2 North: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets2_median_s[1]",
                "SMETS2 Central: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets2_p95_s[1]",
                "SMETS2 Central: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets2_median_s[2]",
                "SMETS2 South: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets2_p95_s[2]",
                "SMETS2 South: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_median_s[0]",
                "SMETS1 IOC: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_p95_s[0]",
                "SMETS1 IOC: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_median_s[1]",
                "SMETS1 MOC: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_p95_s[1]",
                "SMETS1 MOC: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_median_s[2]",
                "SMETS1 FOC: median response",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.smets1_p95_s[2]",
                "SMETS1 FOC: 95th percentile",
                0.1,
                600.0,
                0.5,
            ),
            num(
                "devices.extra_s_per_day_of_data",
                "Extra device time per extra day of data",
                0.0,
                60.0,
                0.1,
            ),
            share(
                "devices.smets2_attempt_failure",
                "SMETS2 failure per attempt (drawn anew each try)",
            ),
            share(
                "devices.smets1_attempt_failure",
                "SMETS1 failure per attempt (drawn anew each try)",
            ),
            share(
                "devices.smets2_persistent_failure",
                "SMETS2 meters that fail every attempt",
            ),
            share(
                "devices.smets1_persistent_failure",
                "SMETS1 meters that fail every attempt",
            ),
            num(
                "devices.no_response_timeout_s",
                "Silent meter holds its slot for",
                1.0,
                600.0,
                1.0,
            ),
            num(
                "devices.retry_after_h",
                "Retry a failed request after",
                0.25,
                24.0,
                0.25,
            ),
            whole("devices.max_attempts", "Attempts in all", 1, 20),
        ],
        balanced: &[],
    },
    Group {
        id: "capacities",
        title: "Capacities",
        controls: &[
            num(
                "routes.dsp_per_s",
                "DCC data service throughput",
                10.0,
                50_000.0,
                10.0,
            ),
            whole(
                "routes.csp_in_flight[0]",
                "CSP North: requests in flight",
                1,
                1_000_000,
            ),
            whole(
                "routes.csp_in_flight[1]",
                "CSP Central: requests in flight",
                1,
                1_000_000,
            ),
            whole(
                "routes.csp_in_flight[2]",
                "CSP South: requests in flight",
                1,
                1_000_000,
            ),
            num(
                "routes.s1sp_per_s[0]",
                "S1SP IOC: handling rate",
                1.0,
                5_000.0,
                1.0,
            ),
            num(
                "routes.s1sp_per_s[1]",
                "S1SP MOC: handling rate",
                1.0,
                5_000.0,
                1.0,
            ),
            num(
                "routes.s1sp_per_s[2]",
                "S1SP FOC: handling rate",
                1.0,
                5_000.0,
                1.0,
            ),
            whole(
                "routes.s1sp_in_flight[0]",
                "S1SP IOC: requests in flight",
                1,
                1_000_000,
            ),
            whole(
                "routes.s1sp_in_flight[1]",
                "S1SP MOC: requests in flight",
                1,
                1_000_000,
            ),
            whole(
                "routes.s1sp_in_flight[2]",
                "S1SP FOC: requests in flight",
                1,
                1_000_000,
            ),
        ],
        balanced: &[],
    },
    Group {
        id: "trt",
        title: "Target response times, existing traffic and reporting",
        controls: &[
            num(
                "trt.on_demand_smets2_s",
                "On-demand TRT, SMETS2",
                1.0,
                3_600.0,
                1.0,
            ),
            num(
                "trt.on_demand_smets1_s",
                "On-demand TRT, SMETS1",
                1.0,
                3_600.0,
                1.0,
            ),
            num("trt.scheduled_h", "DCC-scheduled TRT", 1.0, 72.0, 1.0),
            num(
                "existing.scheduled_per_meter_day",
                "Existing scheduled reads per meter per day",
                0.0,
                1.0,
                0.05,
            ),
            hour(
                "existing.scheduled_window.start_h",
                "Existing schedules: window opens",
                24.0,
            ),
            hour(
                "existing.scheduled_window.end_h",
                "Existing schedules: window closes",
                24.0,
            ),
            num(
                "existing.on_demand_per_meter_day",
                "Existing on-demand requests per meter per day",
                0.0,
                10.0,
                0.05,
            ),
            share(
                "existing.working_hours_share",
                "Existing on-demand requests in working hours",
            ),
            hour("report.needed_by_h", "MHHS data needed by", 48.0),
            hour("report.working_hours.start_h", "Working hours start", 24.0),
            hour("report.working_hours.end_h", "Working hours end", 24.0),
            whole("seed", "Random seed", 0, 1_000_000_000),
        ],
        balanced: &[],
    },
];

/// Every control, in page order.
pub fn controls() -> impl Iterator<Item = &'static Control> {
    GROUPS.iter().flat_map(|g| g.controls.iter())
}

/// The control of a field path.
pub fn control(path: &str) -> Option<&'static Control> {
    controls().find(|c| c.path == path)
}

/// The element id of a control's input: `population.region_shares[0]` → `f-population-region_shares-0`.
pub fn element_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '['], "-").replace(']', ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, fields, sources};

    #[test]
    fn every_control_names_a_field_with_a_source() {
        let s = Scenario::default();
        for c in controls() {
            assert!(
                fields::get(&s, c.path).is_some(),
                "{} is not a field",
                c.path
            );
            assert!(
                sources::provenance(fields::provenance_path(c.path)).is_some(),
                "{} has no source",
                c.path
            );
            if let Some(b) = c.balance {
                assert!(fields::get(&s, b).is_some());
            }
        }
    }

    #[test]
    fn every_number_field_but_the_version_has_a_control_or_is_balanced() {
        let balanced: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.balanced.iter().map(|b| b.0))
            .collect();
        for (path, v) in fields::leaves(&Scenario::default()) {
            if path == "version" || path == "name" || path == "report.horizon_h" {
                continue;
            }
            assert!(
                control(&path).is_some() || balanced.contains(&path.as_str()),
                "{path} = {v} has no control"
            );
        }
    }

    #[test]
    fn defaults_lie_within_each_control_range() {
        let s = Scenario::default();
        for c in controls() {
            let v = fields::get(&s, c.path)
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
                * if c.percent { 100.0 } else { 1.0 };
            match c.kind {
                Kind::Number { min, max, .. } => {
                    assert!((min..=max).contains(&v), "{} = {v}", c.path)
                }
                Kind::Whole { min, max } => {
                    assert!((min as f64..=max as f64).contains(&v), "{} = {v}", c.path)
                }
                _ => {}
            }
        }
        assert_eq!(
            element_id("population.region_shares[0]"),
            "f-population-region_shares-0"
        );
    }
}
