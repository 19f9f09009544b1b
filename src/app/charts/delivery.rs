//! "Share of MHHS data delivered over time": for suppliers collecting their own data and for
//! independent MDR agents, against the needed-by time and the scheduled TRT.

use super::figure::{Axis, Figure, Hourly, Marker, Series};
use super::{quarter_hours, working_shade};
use crate::model::{Report, Scenario};
use crate::present::format::{clock, percent};

pub fn figure(report: &Report, s: &Scenario) -> Figure {
    let Some(series) = &report.series else {
        return super::empty("delivery");
    };
    let x = super::quarter_hour_axis(series.backlog_dsp.len(), series.bin_seconds);
    let labels = ["Suppliers (own data)", "Independent MDR agents"];
    let lines: Vec<Series> = series
        .delivered_share
        .iter()
        .zip(labels)
        .enumerate()
        .filter(|(u, _)| report.delivery.get(*u).is_some_and(|d| d.items > 0))
        .map(|(u, (v, label))| Series {
            label: label.into(),
            colour: u,
            values: quarter_hours(v, Hourly::Last),
        })
        .collect();
    let needed = s.report.needed_by_h;
    let opens = s
        .schedules
        .supplier_window
        .start_h
        .min(s.schedules.agent_window.start_h);
    let k = &report.key_figures;
    let title = if lines.is_empty() {
        "No MHHS data is collected in this scenario".to_string()
    } else {
        // The lines are D's data; D+1's own collection, when run, is said in words.
        let next_night = k
            .next_night_delivered_by_needed_by
            .map(|share| {
                format!(
                    "; D+1's own collection: {} by {} on D+1",
                    percent(share),
                    clock(needed)
                )
            })
            .unwrap_or_default();
        format!(
            "{} of MHHS data is delivered by {}, {} by the end of D+1{next_night}",
            percent(k.mhhs_delivered_by_needed_by),
            clock(needed),
            percent(k.mhhs_delivered_by_end_of_d1)
        )
    };
    let per_user: Vec<String> = report
        .delivery
        .iter()
        .filter(|d| d.items > 0)
        .map(|d| {
            format!(
                "{}: {} by {}",
                d.user,
                percent(d.by_needed_by),
                clock(needed)
            )
        })
        .collect();
    let description = format!(
        "Line chart of the running share of each user group's MHHS half-hourly data delivered, from 00:00 on day D to the end of D+1, with lines at the needed-by time and at the scheduled TRT. {title}. {}.",
        if per_user.is_empty() {
            "Nothing to deliver".to_string()
        } else {
            per_user.join("; ")
        }
    );
    Figure {
        id: "delivery",
        title,
        description,
        x: Axis::Hours(x),
        x_desc: "time (day D, then D+1)".into(),
        y_desc: "share of MHHS data delivered".into(),
        percent: true,
        series: lines,
        shade: working_shade(s),
        markers: vec![
            Marker {
                at_h: needed,
                label: format!("needed by {}", clock(needed)),
            },
            Marker {
                at_h: opens + s.trt.scheduled_h,
                label: format!(
                    "TRT {} h",
                    crate::present::format::number(s.trt.scheduled_h)
                ),
            },
        ],
        legend_lower: true,
        hourly: Hourly::Last,
        unit: "share",
    }
}
