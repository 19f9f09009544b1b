//! "What would it take?": a key figure against a capacity, one line per DCC policy (as
//! requested, smoothed, MHHS window), the target as a line of its own and each policy's answer
//! (the least capacity that meets it) marked.

use super::figure::{Axis, Figure, Hourly, Marker, Series};
use crate::model::sizing::POLICIES;
use crate::model::sizing::targets::Target;
use crate::present::format::number;
use crate::present::format::short_reason;
use crate::present::key_figures::{KeyFigure, Measure};

/// What a sizing of one capacity found, for each policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Frontier {
    /// What was sized, in words ("DSP throughput").
    pub capacity: String,
    /// Its unit ("requests/s", "× today's values").
    pub unit: String,
    /// A factor on today's values (×2), not a value of its own.
    pub factor: bool,
    pub target: Target,
    pub needed_by_h: f64,
    /// Per policy: the least value that meets the target, or why there is none.
    pub answers: Vec<Result<f64, String>>,
    /// The capacities run for the lines, ascending.
    pub values: Vec<f64>,
    /// Per policy: the figure at each of `values`.
    pub lines: Vec<Vec<f64>>,
}

impl Frontier {
    fn key(&self) -> Option<&'static KeyFigure> {
        KeyFigure::named(self.target.figure)
    }

    /// A capacity as people say it: "3,210 requests/s" or "×2.4 today's".
    pub fn capacity_text(&self, x: f64) -> String {
        capacity_text(self.factor, &self.unit, x)
    }

    /// The target in words: "MHHS data by 07:00 at least 90.0%".
    pub fn target_text(&self) -> String {
        let Some(k) = self.key() else {
            return self.target.to_string();
        };
        let way = if self.target.op.higher_is_better() {
            "at least"
        } else {
            "at most"
        };
        format!(
            "{} {way} {}",
            k.short(self.needed_by_h),
            k.show_value(self.target.value)
        )
    }

    /// The finding in one sentence: each policy's answer.
    pub fn finding(&self) -> String {
        let parts: Vec<String> = POLICIES
            .iter()
            .zip(&self.answers)
            .map(|(policy, a)| match a {
                Ok(x) => format!("{} {policy}", self.capacity_text(*x)),
                Err(_) => format!("out of reach {policy}"),
            })
            .collect();
        format!(
            "{} for {}: {}",
            self.capacity,
            self.target_text(),
            parts.join("; ")
        )
    }
}

/// A capacity as people say it: "×3.09 today's" for a factor, else "3,210 requests/s".
pub fn capacity_text(factor: bool, unit: &str, x: f64) -> String {
    if factor {
        format!("×{x:.2} today's")
    } else {
        format!("{} {unit}", number(x))
    }
}

pub fn figure(f: &Frontier) -> Figure {
    let percent = f.key().is_some_and(|k| k.measure == Measure::Share);
    let mut series: Vec<Series> = POLICIES
        .iter()
        .zip(&f.lines)
        .enumerate()
        .map(|(i, (policy, values))| Series {
            label: (*policy).to_string(),
            colour: i,
            values: values.clone(),
        })
        .collect();
    series.push(Series {
        label: "target".into(),
        colour: 6,
        values: vec![f.target.value; f.values.len()],
    });
    let markers = POLICIES
        .iter()
        .zip(&f.answers)
        .filter_map(|(policy, a)| a.as_ref().ok().map(|x| (policy, *x)))
        .map(|(policy, x)| Marker {
            at_h: x,
            label: format!("{policy}: {}", crate::app::charts::draw::compact(x)),
        })
        .collect();
    let unreachable: Vec<String> = POLICIES
        .iter()
        .zip(&f.answers)
        .filter_map(|(policy, a)| {
            a.as_ref()
                .err()
                .map(|why| format!("{policy}: {}", short_reason(why)))
        })
        .collect();
    let title = f.finding();
    let description = format!(
        "Line chart of {} against {} ({}), one line per DCC policy, with the target as a flat line and each policy's answer marked. {title}.{}",
        f.key()
            .map_or(f.target.figure.to_string(), |k| k.label(f.needed_by_h)),
        f.capacity,
        f.unit,
        if unreachable.is_empty() {
            String::new()
        } else {
            format!(" {}.", unreachable.join(" "))
        }
    );
    Figure {
        id: "frontier",
        title,
        description,
        x: Axis::Values(f.values.clone()),
        x_desc: format!("{} ({})", f.capacity, f.unit),
        y_desc: f
            .key()
            .map_or(f.target.figure.to_string(), |k| k.short(f.needed_by_h)),
        percent,
        series,
        shade: vec![],
        markers,
        legend_lower: true,
        hourly: Hourly::Mean,
        unit: if percent { "share" } else { "value" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frontier() -> Frontier {
        Frontier {
            capacity: "DSP throughput".into(),
            unit: "requests/s".into(),
            factor: false,
            target: Target::parse("mhhs_delivered_by_needed_by>=0.9").unwrap(),
            needed_by_h: 7.0,
            answers: vec![
                Ok(3210.0),
                Ok(2950.0),
                Err("routes.dsp_per_s: no value meets x".into()),
            ],
            values: vec![1000.0, 2000.0, 4000.0],
            lines: vec![
                vec![0.3, 0.6, 0.95],
                vec![0.35, 0.7, 0.96],
                vec![0.2, 0.3, 0.4],
            ],
        }
    }

    #[test]
    fn the_title_gives_each_policys_answer() {
        let f = figure(&frontier());
        assert_eq!(
            f.title,
            "DSP throughput for MHHS data by 07:00 at least 90.0%: 3,210 requests/s as requested; 2,950 requests/s smoothed; out of reach MHHS window"
        );
        assert!(
            f.description
                .contains("MHHS window: no value meets the target, up to the most")
        );
        assert_eq!(f.series.len(), 4);
        assert_eq!(f.markers.len(), 2);
        assert_eq!(f.table().1.len(), 3);
        assert!(f.csv().starts_with(
            "dsp_throughput_requests_s,as_requested,smoothed,mhhs_window,target\n1000,"
        ));
    }
}
