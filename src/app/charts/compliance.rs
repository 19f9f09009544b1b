//! "TRT compliance by service request and route": the share of requests answered within their
//! target response time, counted from the user's request through every retry (requests given
//! up, or pending past their TRT, are not within it), one bar per route for each service
//! request. A preview leaves out the on-demand service requests: their seconds-long TRTs hang on
//! waits that a sample cannot show (`mp162_model::preview`).

use super::figure::{Axis, Figure, Hourly, Series};
use crate::model::routes::ROUTES;
use crate::model::{Report, Scenario};
use crate::present::format::percent;

/// True when service request `code` is sent on demand (or future-dated) in scenario `s`.
fn on_demand(code: &str, s: &Scenario) -> bool {
    match code {
        "4.1.1" | "existing-on-demand" => true,
        "4.2" => !s.schedules.sr_4_2_schedulable,
        _ => false,
    }
}

pub fn figure(report: &Report, s: &Scenario) -> Figure {
    let preview = report.sample < 1.0;
    let mut codes: Vec<String> = Vec::new();
    for row in &report.by_service_request_and_route {
        if !codes.contains(&row.sr) {
            codes.push(row.sr.clone());
        }
    }
    let series: Vec<Series> = ROUTES
        .iter()
        .map(|route| Series {
            label: route.label().into(),
            colour: route.index(),
            values: codes
                .iter()
                .map(|c| {
                    report
                        .by_service_request_and_route
                        .iter()
                        .find(|r| &r.sr == c && r.route == route.key() && r.requests.submitted > 0)
                        .filter(|_| !(preview && on_demand(c, s)))
                        .map(|r| r.trt_compliance)
                        .unwrap_or(f64::NAN)
                })
                .collect(),
        })
        .collect();
    let worst = series
        .iter()
        .flat_map(|s| {
            s.values
                .iter()
                .enumerate()
                .map(move |(i, v)| (s.label.clone(), i, *v))
        })
        .filter(|x| x.2.is_finite())
        .fold(None, |a: Option<(String, usize, f64)>, b| {
            if a.as_ref().is_none_or(|a| b.2 < a.2) {
                Some(b)
            } else {
                a
            }
        });
    let left_out: Vec<String> = codes
        .iter()
        .filter(|c| preview && on_demand(c, s))
        .map(|c| long_label(c))
        .collect();
    let title = match &worst {
        Some((route, i, v)) if *v < 0.995 => format!(
            "Lowest TRT compliance: {} via {} at {}",
            long_label(&codes[*i]),
            route,
            percent(*v)
        ),
        Some(_) => "Every service request meets its TRT on every route (99.5% or more)".to_string(),
        None => "No request completed".to_string(),
    };
    let title = if left_out.is_empty() {
        title
    } else {
        format!("{title} (preview: on-demand requests need a full-scale run)")
    };
    let description = format!(
        "Bar chart of the share of requests answered within their target response time, counted from the user's request through every retry (requests given up count as late), for each service request ({}), one bar per route that carries it. {title}.{}",
        codes
            .iter()
            .map(|c| long_label(c))
            .collect::<Vec<_>>()
            .join(", "),
        if left_out.is_empty() {
            String::new()
        } else {
            format!(
                " A preview leaves out {}: their TRTs are seconds, and a sample's waits are not the full run's.",
                left_out.join(", ")
            )
        }
    );
    Figure {
        id: "compliance",
        title,
        description,
        x: Axis::Categories(codes.iter().map(|c| label(c)).collect()),
        x_desc: "service request (SRV; other = today's non-MHHS traffic)".into(),
        y_desc: "answered within TRT".into(),
        percent: true,
        series,
        shade: vec![],
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: "share",
    }
}

/// A service request code as people say it: `4.8.1` → `SRV 4.8.1`; existing traffic by name.
pub fn label(code: &str) -> String {
    match code {
        "existing-scheduled" => "other sched.".into(),
        "existing-on-demand" => "other on-dem.".into(),
        c => c.into(),
    }
}

/// The same in full, for sentences.
pub fn long_label(code: &str) -> String {
    match code {
        "existing-scheduled" => "existing scheduled traffic".into(),
        "existing-on-demand" => "existing on-demand traffic".into(),
        c => format!("SRV {c}"),
    }
}
