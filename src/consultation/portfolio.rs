//! The respondent's portfolio as a scenario: GB (the DCC-recommendation day) shaped like their
//! meters, schedules and needs. Meters keep the GB total, so queues and capacities stay at GB
//! scale and the figures read "if all of GB looked like your portfolio".

use super::capacity::CapacityFinding;
use super::response::{Response, parse_count, parse_hour};
use crate::model::Scenario;
use crate::model::scenario::Window;

pub const METER_QUESTIONS: [&str; 6] = [
    "smets2_north",
    "smets2_central",
    "smets2_south",
    "smets1_ioc",
    "smets1_moc",
    "smets1_foc",
];

/// Meters by route (CSP North, Central, South, S1SP IOC, MOC, FOC), if every count is given.
pub fn meters(r: &Response) -> Option<[u64; 6]> {
    let mut out = [0; 6];
    for (i, q) in METER_QUESTIONS.iter().enumerate() {
        out[i] = parse_count(r.value(q))?;
    }
    Some(out)
}

/// Sets a scenario's SMETS2 share and its region and cohort splits from meters by route (CSP
/// North, Central, South, S1SP IOC, MOC, FOC); a kind with no meters keeps the scenario's split.
/// The last share of each split takes up the rest, so the shares add up exactly as validation wants.
pub fn shape_population(s: &mut Scenario, m: [u64; 6]) {
    let total: u64 = m.iter().sum();
    if total == 0 {
        return;
    }
    let s2: u64 = m[..3].iter().sum();
    let s1: u64 = m[3..].iter().sum();
    s.population.smets2_share = s2 as f64 / total as f64;
    let split = |part: &[u64], sum: u64, keep: [f64; 3]| {
        if sum == 0 {
            return keep;
        }
        let a = part[0] as f64 / sum as f64;
        let b = part[1] as f64 / sum as f64;
        [a, b, (1.0 - a - b).max(0.0)]
    };
    s.population.region_shares = split(&m[..3], s2, s.population.region_shares);
    s.population.cohort_shares = split(&m[3..], s1, s.population.cohort_shares);
}

/// `base` shaped like the respondent's portfolio, or `None` until the portfolio is answered.
pub fn scenario(r: &Response, base: &Scenario) -> Option<Scenario> {
    let m = meters(r)?;
    let total: u64 = m.iter().sum();
    if total == 0 {
        return None;
    }
    let mut s = base.clone();
    s.name = "GB shaped like your portfolio".into();
    shape_population(&mut s, m);
    if let Some(export) = parse_count(r.value("export_meters")) {
        s.population.export_share = (export as f64 / total as f64).min(1.0);
    }
    if let (Some(a), Some(b)) = (
        parse_hour(r.value("schedule_start")),
        parse_hour(r.value("schedule_end")),
    ) {
        if b > a {
            s.schedules.supplier_window = Window::new(a, b);
            s.schedules.agent_window = Window::new(a, b);
        }
    }
    if let Some(h) = parse_hour(r.value("needed_by")) {
        s.report.needed_by_h = h;
    }
    let roles = r
        .answer("roles")
        .map(|a| a.values.clone())
        .unwrap_or_default();
    let supplier = roles.iter().any(|v| v == "supplier-own-data");
    let agent = roles.iter().any(|v| v == "independent-mdr");
    if supplier && !agent {
        s.users.agent_share = 0.0;
    } else if agent && !supplier {
        s.users.agent_share = 1.0;
    }
    match r.value("data_reused") {
        "yes" => s.users.agent_passes_data_on = 1.0,
        "no" => s.users.agent_passes_data_on = 0.0,
        _ => {}
    }
    s.validate().is_empty().then_some(s)
}

/// The capacity finding the response holds, if it is of the portfolio as answered now (an answer
/// changed since makes it stale: the NFR section works it out again when opened).
pub fn capacity(r: &Response) -> Option<&CapacityFinding> {
    let f = r.capacity.as_ref()?;
    let gb = crate::model::presets::preset("dcc-recommendation")?;
    scenario(r, &gb).is_some_and(|s| f.is_of(&s)).then_some(f)
}

/// The capacity finding in a sentence for an export (or why there is none).
pub fn capacity_text(r: &Response) -> String {
    match (capacity(r), &r.capacity) {
        (Some(f), _) => f.sentence("your portfolio’s"),
        (None, Some(_)) => "Worked out for earlier portfolio answers; open the non-functional requirements section to work it out again.".into(),
        (None, None) => "Not worked out (the non-functional requirements section does it once the portfolio is answered).".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::response::tests::complete;

    #[test]
    fn the_portfolio_shapes_the_scenario() {
        let (_, r) = complete();
        let s = scenario(&r, &Scenario::default()).unwrap();
        assert!(s.validate().is_empty());
        assert!((s.population.smets2_share - 400_000.0 / 500_000.0).abs() < 1e-9);
        assert!((s.population.region_shares[0] - 0.25).abs() < 1e-9);
        assert!((s.population.cohort_shares[2] - 0.5).abs() < 1e-9);
        assert!((s.population.export_share - 0.08).abs() < 1e-9);
        assert_eq!(s.schedules.supplier_window, Window::new(0.5, 5.0));
        assert_eq!(s.report.needed_by_h, 7.0);
        assert_eq!(
            s.users.agent_share, 0.0,
            "a supplier collecting its own data"
        );
        assert_eq!(
            s.population.meters,
            Scenario::default().population.meters,
            "GB scale"
        );
    }

    #[test]
    fn no_portfolio_no_scenario() {
        let (c, _) = complete();
        let r = Response::new(&c, "t");
        assert_eq!(scenario(&r, &Scenario::default()), None);
    }
}
