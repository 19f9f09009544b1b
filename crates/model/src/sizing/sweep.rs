//! A sweep: one lever over a list of values, every key figure at each (mean and 95% interval
//! over the seeds), each value under the same seeds.

use serde::Serialize;

use super::levers::Lever;
use super::{FigureStat, Job, figure_stats, seeded};
use crate::report::Headline;
use crate::scenario::{FieldError, Scenario};

/// A planned sweep: its values and the jobs that run them (`seeds` per value, in value order).
#[derive(Clone, Debug)]
pub struct Sweep {
    pub lever: Lever,
    pub values: Vec<f64>,
    pub seeds: u32,
    pub sample: f64,
    pub jobs: Vec<Job>,
}

/// The key figures at one value.
#[derive(Clone, Debug, Serialize)]
pub struct SweepRow {
    pub value: f64,
    /// The moved field at this value (the scaled group, the shifted window).
    pub field_value: serde_json::Value,
    pub figures: Vec<FigureStat>,
}

/// `steps` values evenly from `from` to `to` (geometrically when both are positive and an order
/// of magnitude apart, so a capacity sweep is as fine at the low end as at the high).
pub fn steps(from: f64, to: f64, steps: usize) -> Vec<f64> {
    let n = steps.max(2);
    let geometric = from > 0.0 && to > 0.0 && (to / from >= 10.0 || from / to >= 10.0);
    (0..n)
        .map(|i| {
            let t = i as f64 / (n - 1) as f64;
            if geometric {
                from * (to / from).powf(t)
            } else {
                from + (to - from) * t
            }
        })
        .collect()
}

impl Sweep {
    /// Plans a sweep of `path` over `values`; a value the field cannot take is refused by name.
    pub fn plan(
        base: &Scenario,
        path: &str,
        values: &[f64],
        seeds: u32,
        sample: f64,
    ) -> Result<Sweep, Vec<FieldError>> {
        let lever = Lever::new(base, path).map_err(|e| vec![e])?;
        let values: Vec<f64> = values.iter().map(|&x| lever.normalise(x)).collect();
        let mut jobs = Vec::new();
        for &x in &values {
            let s = lever.at(base, x).map_err(|problems| {
                problems
                    .into_iter()
                    .map(|p| FieldError {
                        message: format!("at {} = {x}: {}", lever.path, p.message),
                        ..p
                    })
                    .collect::<Vec<_>>()
            })?;
            jobs.extend(seeded(s, sample, seeds));
        }
        Ok(Sweep {
            lever,
            values,
            seeds,
            sample,
            jobs,
        })
    }

    /// The rows, from the jobs' headlines in the jobs' order.
    pub fn rows(&self, base: &Scenario, headlines: &[Headline]) -> Vec<SweepRow> {
        let per = self.seeds.max(1) as usize;
        self.values
            .iter()
            .zip(headlines.chunks(per))
            .map(|(&value, hs)| SweepRow {
                value,
                field_value: self.lever.shown_at(base, value),
                figures: figure_stats(hs),
            })
            .collect()
    }
}

/// The rows as CSV: the value, then each figure's mean and 95% half-width.
pub fn csv(field: &str, rows: &[SweepRow]) -> String {
    let mut out = String::from(field);
    if let Some(first) = rows.first() {
        for f in &first.figures {
            out.push_str(&format!(",{0},{0}_half_width_95", f.figure));
        }
    }
    out.push('\n');
    for row in rows {
        out.push_str(&row.value.to_string());
        for f in &row.figures {
            out.push_str(&format!(",{},{}", f.mean, f.half_width_95));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_even_or_geometric() {
        assert_eq!(steps(1.0, 3.0, 3), vec![1.0, 2.0, 3.0]);
        let g = steps(100.0, 10_000.0, 3);
        assert!((g[1] - 1000.0).abs() < 1e-9);
        assert_eq!(steps(-1.0, 1.0, 3), vec![-1.0, 0.0, 1.0]);
    }

    #[test]
    fn a_value_the_field_cannot_take_is_refused_by_name() {
        let e = Sweep::plan(
            &Scenario::default(),
            "routes.dsp_per_s",
            &[1000.0, -5.0],
            1,
            0.001,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "routes.dsp_per_s");
        assert!(e[0].message.contains("-5"), "{}", e[0].message);
    }
}
