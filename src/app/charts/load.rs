//! "Requests per second over the day, by route and purpose": what the DCC data service sends on
//! to each route, with the MHHS part over all routes, and working hours shaded.

use super::figure::{Axis, Figure, Hourly, Series};
use super::{quarter_hours, working_shade};
use crate::model::routes::ROUTES;
use crate::model::{Report, Scenario};
use crate::present::format::{clock, number};

pub fn figure(report: &Report, s: &Scenario) -> Figure {
    let Some(series) = &report.series else {
        return super::empty("load");
    };
    let mut lines: Vec<Series> = series
        .dispatched_per_s
        .iter()
        .zip(ROUTES)
        .map(|(r, route)| {
            let total: Vec<f32> = r.mhhs.iter().zip(&r.existing).map(|(a, b)| a + b).collect();
            Series {
                label: route.label().into(),
                colour: route.index(),
                values: quarter_hours(&total, Hourly::Mean),
            }
        })
        .collect();
    let mhhs: Vec<f32> = (0..series.backlog_dsp.len())
        .map(|i| series.dispatched_per_s.iter().map(|r| r.mhhs[i]).sum())
        .collect();
    lines.push(Series {
        label: "MHHS, all routes".into(),
        colour: 6,
        values: quarter_hours(&mhhs, Hourly::Mean),
    });
    let x = super::quarter_hour_axis(series.backlog_dsp.len(), series.bin_seconds);
    let peak = format!(
        "DCC load peaks at {} requests/s at {}",
        number(report.peak_requests_per_second),
        clock(report.peak_at_h)
    );
    let title = if report.key_figures.last_mhhs_completion_h > 0.0 {
        format!(
            "{peak}; MHHS work runs until {}",
            clock(report.key_figures.last_mhhs_completion_h)
        )
    } else {
        format!("{peak}; no MHHS traffic")
    };
    let busiest = lines[..6]
        .iter()
        .map(|l| {
            (
                l.label.clone(),
                l.values.iter().copied().fold(0.0, f64::max),
            )
        })
        .fold((String::new(), 0.0), |a, b| if b.1 > a.1 { b } else { a });
    let description = format!(
        "Line chart of requests per second the DCC data service sends to each route, and the MHHS part over all routes, in 15-minute averages from 00:00 on day D to the end of D+1, working hours shaded. {title}. The busiest route is {} at {} requests/s.",
        busiest.0,
        number(busiest.1)
    );
    Figure {
        id: "load",
        title,
        description,
        x: Axis::Hours(x),
        x_desc: "time (day D, then D+1)".into(),
        y_desc: "requests per second (15-minute average)".into(),
        percent: false,
        series: lines,
        shade: working_shade(s),
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: "requests/s",
    }
}
