//! "Queue backlog per route": requests waiting at the DCC data service and at each CSP region and
//! S1SP cohort (not yet with a device), over the day.

use super::figure::{Axis, Figure, Hourly, Series};
use super::{quarter_hours, working_shade};
use crate::model::routes::ROUTES;
use crate::model::{Report, Scenario};
use crate::present::format::{clock, number};

pub fn figure(report: &Report, s: &Scenario) -> Figure {
    let Some(series) = &report.series else {
        return super::empty("backlog");
    };
    let x = super::quarter_hour_axis(series.backlog_dsp.len(), series.bin_seconds);
    let mut lines: Vec<Series> = series
        .backlog_route
        .iter()
        .zip(ROUTES)
        .map(|(b, route)| Series {
            label: route.label().into(),
            colour: route.index(),
            values: quarter_hours(b, Hourly::Mean),
        })
        .collect();
    lines.push(Series {
        label: "DCC data service".into(),
        colour: 6,
        values: quarter_hours(&series.backlog_dsp, Hourly::Mean),
    });
    // The worst queue, and when every queue is last non-empty.
    let (worst, at, peak) = lines
        .iter()
        .flat_map(|l| {
            l.values
                .iter()
                .enumerate()
                .map(move |(i, v)| (l.label.clone(), i, *v))
        })
        .fold(
            (String::new(), 0, 0.0),
            |a, b| if b.2 > a.2 { b } else { a },
        );
    let last_busy = (0..x.len())
        .rev()
        .find(|&i| lines.iter().any(|l| l.values[i] >= 0.5));
    let title = match last_busy {
        None => "No request waits in any queue".to_string(),
        Some(i) => format!(
            "The longest queue is {} requests at {} around {}; queues are last non-empty around {}",
            number(peak),
            worst,
            clock(x[at]),
            clock(x[i])
        ),
    };
    let description = format!(
        "Line chart of requests waiting, not yet sent to a device, at the DCC data service and at each route, in 15-minute averages over {} hours from 00:00 on day D, working hours shaded. {title}.",
        (x.len() as f64 / 4.0).round()
    );
    Figure {
        id: "backlog",
        title,
        description,
        x: Axis::Hours(x),
        x_desc: "time (day D, then D+1)".into(),
        y_desc: "requests waiting".into(),
        percent: false,
        series: lines,
        shade: working_shade(s),
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: "requests",
    }
}
