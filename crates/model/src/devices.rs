//! Devices: how long a meter takes to answer through its route, whether it answers at all, and
//! how failures are retried.
//!
//! Response times are lognormal, set by their median and 95th percentile (the figures a network
//! operator quotes), plus a fixed extra per extra day of HH data in the request.

use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::calendar::{Nanos, SECOND, nanos};
use super::response_times::FastLogNormal;
use super::routes::Route;
use super::scenario::Scenario;

/// How a device attempt ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Answered,
    Failed,
}

/// Device behaviour for every route.
#[derive(Clone)]
pub struct Devices {
    times: Vec<FastLogNormal>,
    failure: [f64; 2],
    extra_per_day: f64,
    timeout: Nanos,
}

/// z of the standard normal's 95th percentile.
const Z95: f64 = 1.644_853_626_951_472_2;

/// The lognormal with the given median and 95th percentile.
pub fn lognormal(median: f64, p95: f64) -> FastLogNormal {
    let mu = median.max(1e-9).ln();
    let sigma = ((p95.max(median) / median.max(1e-9)).ln() / Z95).max(0.0);
    FastLogNormal::new(mu, sigma)
}

impl Devices {
    pub fn new(s: &Scenario) -> Devices {
        let d = &s.devices;
        let mut times = Vec::new();
        for i in 0..3 {
            times.push(lognormal(d.smets2_median_s[i], d.smets2_p95_s[i]));
        }
        for i in 0..3 {
            times.push(lognormal(d.smets1_median_s[i], d.smets1_p95_s[i]));
        }
        Devices {
            times,
            failure: [d.smets2_failure, d.smets1_failure],
            extra_per_day: d.extra_s_per_day_of_data,
            timeout: nanos(d.no_response_timeout_s),
        }
    }

    /// One attempt at a meter on `route` for `days` of data: how long it holds its slot and how it ends.
    pub fn attempt(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        route: Route,
        communicating: bool,
        days: u32,
    ) -> (Nanos, Outcome) {
        if !communicating {
            return (self.timeout, Outcome::Failed);
        }
        let t = self.times[route.index()].sample(rng)
            + self.extra_per_day * days.saturating_sub(1) as f64;
        let outcome = if rng.random::<f64>() < self.failure[route.is_smets1() as usize] {
            Outcome::Failed
        } else {
            Outcome::Answered
        };
        // Truncating rather than rounding to the nanosecond: the same to any measure, and cheaper.
        ((t * SECOND as f64) as Nanos, outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn lognormal_has_the_requested_median_and_p95() {
        let d = lognormal(6.0, 20.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        assert!(
            (xs[100_000] / 6.0 - 1.0).abs() < 0.02,
            "median {}",
            xs[100_000]
        );
        assert!(
            (xs[190_000] / 20.0 - 1.0).abs() < 0.03,
            "p95 {}",
            xs[190_000]
        );
    }

    #[test]
    fn silent_meters_time_out_and_fail() {
        let s = Scenario::default();
        let dev = Devices::new(&s);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(
            dev.attempt(&mut rng, Route::CspNorth, false, 1),
            (nanos(60.0), Outcome::Failed)
        );
    }
}
