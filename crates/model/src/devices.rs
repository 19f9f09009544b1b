//! Devices: how long a meter takes to answer through its route, whether it answers at all, and
//! how failures are retried.
//!
//! Response times are lognormal, set by their median and 95th percentile (the figures a network
//! operator quotes), plus a fixed extra per extra day of HH data in the request.
//!
//! Failures come in three kinds. A non-communicating meter never answers: every attempt holds
//! its slot until the timeout. A persistently failing meter answers, but with a failure, at
//! every attempt of the run (public reports say some meters fail again and again for days:
//! n3rgy/data issue 2); which meters they are is hashed from the meter's number and the seed.
//! Every other meter fails each attempt independently with the per-attempt probability.

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
    /// Per-attempt failure probability, SMETS2 and SMETS1.
    failure: [f64; 2],
    /// Cut-offs on a meter's 53-bit hash below which it fails every attempt, SMETS2 and SMETS1.
    persistent: [u64; 2],
    seed: u64,
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
            failure: [d.smets2_attempt_failure, d.smets1_attempt_failure],
            persistent: [d.smets2_persistent_failure, d.smets1_persistent_failure]
                .map(|share| (share * (1u64 << 53) as f64).ceil() as u64),
            seed: super::population::mix(s.seed ^ 0x5045_5253_4953_5400),
            extra_per_day: d.extra_s_per_day_of_data,
            timeout: nanos(d.no_response_timeout_s),
        }
    }

    /// True when communicating meter `meter` on `route` fails every attempt of the run.
    pub fn fails_persistently(&self, route: Route, meter: u32) -> bool {
        let h = super::population::mix(self.seed.wrapping_add(meter as u64)) >> 11;
        h < self.persistent[route.is_smets1() as usize]
    }

    /// One attempt at meter `meter` on `route` for `days` of data: how long it holds its slot and
    /// how it ends.
    pub fn attempt(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        route: Route,
        meter: u32,
        communicating: bool,
        days: u32,
    ) -> (Nanos, Outcome) {
        if !communicating {
            return (self.timeout, Outcome::Failed);
        }
        let t = self.times[route.index()].sample(rng)
            + self.extra_per_day * days.saturating_sub(1) as f64;
        // The per-attempt draw is made for every meter, so the random stream (and every other
        // meter's outcome) does not depend on which meters fail persistently.
        let fails_now = rng.random::<f64>() < self.failure[route.is_smets1() as usize];
        let outcome = if fails_now || self.fails_persistently(route, meter) {
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
            dev.attempt(&mut rng, Route::CspNorth, 7, false, 1),
            (nanos(60.0), Outcome::Failed)
        );
    }

    #[test]
    fn persistently_failing_meters_fail_every_attempt_and_are_the_share_asked_for() {
        let mut s = Scenario::default();
        s.devices.smets2_attempt_failure = 0.0;
        s.devices.smets2_persistent_failure = 0.1;
        let dev = Devices::new(&s);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let stuck: Vec<u32> = (0..100_000)
            .filter(|&m| dev.fails_persistently(Route::CspSouth, m))
            .collect();
        let share = stuck.len() as f64 / 100_000.0;
        assert!((share - 0.1).abs() < 0.005, "share {share}");
        for &m in stuck.iter().take(50) {
            for _ in 0..5 {
                let (_, o) = dev.attempt(&mut rng, Route::CspSouth, m, true, 1);
                assert_eq!(o, Outcome::Failed, "meter {m}");
            }
        }
        let fine = (0..1000)
            .find(|&m| !dev.fails_persistently(Route::CspSouth, m))
            .unwrap();
        let (_, o) = dev.attempt(&mut rng, Route::CspSouth, fine, true, 1);
        assert_eq!(o, Outcome::Answered);
        // SMETS1 has its own share (0 here would mean none of them).
        s.devices.smets1_persistent_failure = 0.0;
        let dev = Devices::new(&s);
        assert!((0..10_000).all(|m| !dev.fails_persistently(Route::S1spMoc, m)));
    }
}
