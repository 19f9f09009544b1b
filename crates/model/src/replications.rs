//! Replications: the same scenario under successive seeds, with the mean and a 95% confidence
//! interval (Student's t) of each key figure.

use serde::Serialize;

use super::report::Report;
use super::scenario::Scenario;
use super::simulation::{RunOptions, run};

/// Mean and 95% confidence half-width of one figure over the replications.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Interval {
    pub figure: &'static str,
    pub mean: f64,
    pub half_width_95: f64,
    pub values: Vec<f64>,
}

/// Student's t 0.975 quantile for `df` degrees of freedom.
pub fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        f64::INFINITY
    } else if df <= 30 {
        T[df - 1]
    } else {
        1.96
    }
}

pub fn interval(figure: &'static str, values: Vec<f64>) -> Interval {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n.max(1) as f64;
    let half = if n < 2 {
        0.0
    } else {
        let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        t975(n - 1) * (var / n as f64).sqrt()
    };
    Interval {
        figure,
        mean,
        half_width_95: half,
        values,
    }
}

/// The figures a replication set summarises.
pub fn figures(r: &Report) -> Vec<(&'static str, f64)> {
    let k = &r.key_figures;
    vec![
        ("peak_requests_per_second", r.peak_requests_per_second),
        ("mhhs_delivered_by_needed_by", k.mhhs_delivered_by_needed_by),
        ("mhhs_delivered_by_end_of_d1", k.mhhs_delivered_by_end_of_d1),
        ("on_demand_trt_compliance", k.on_demand_trt_compliance),
        ("scheduled_trt_compliance", k.scheduled_trt_compliance),
        ("daytime_wait_p95_s", k.daytime_wait_p95_s),
        (
            "mhhs_requests_in_working_hours",
            k.mhhs_requests_in_working_hours as f64,
        ),
        ("cache_hits", k.cache_hits as f64),
        ("last_mhhs_completion_h", k.last_mhhs_completion_h),
    ]
}

/// Runs `n` replications (seeds `s.seed`, `s.seed + 1`, ...) and summarises them.
pub fn replicate(s: &Scenario, options: &RunOptions, n: u32) -> (Vec<Report>, Vec<Interval>) {
    let reports: Vec<Report> = crate::sizing::seeded(s.clone(), options.sample, n)
        .iter()
        .map(|job| run(&job.scenario, options.clone()))
        .collect();
    let names = figures(&reports[0]);
    let intervals = names
        .iter()
        .enumerate()
        .map(|(i, (name, _))| interval(name, reports.iter().map(|r| figures(r)[i].1).collect()))
        .collect();
    (reports, intervals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_of_known_values() {
        let i = interval("x", vec![1.0, 2.0, 3.0]);
        assert_eq!(i.mean, 2.0);
        // s = 1, n = 3: 4.303 / sqrt(3)
        assert!((i.half_width_95 - 4.303 / 3f64.sqrt()).abs() < 1e-9);
        assert_eq!(interval("y", vec![5.0]).half_width_95, 0.0);
    }
}
