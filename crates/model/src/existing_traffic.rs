//! Existing on-demand traffic (Install & Commission, prepayment top-ups, change of supplier reads
//! and the like): a Poisson stream of requests to communicating meters, heavier in working hours,
//! sharing the DSP and the routes with MHHS work so that overnight spill shows as contention.

use rand_distr::{Distribution, Exp};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::calendar::{Nanos, SECOND, nanos};
use super::scenario::Scenario;

/// A Poisson stream whose rate is one figure inside working hours and another outside.
pub struct OnDemandSource {
    rate_working: f64,
    rate_other: f64,
    working: (f64, f64),
}

impl OnDemandSource {
    /// The stream for `communicating` meters (already scaled to the run's sample).
    pub fn new(s: &Scenario, communicating: f64) -> Self {
        let e = &s.existing;
        let w = &s.report.working_hours;
        let len = w.end_h - w.start_h;
        let per_day = communicating * e.on_demand_per_meter_day;
        OnDemandSource {
            rate_working: per_day * e.working_hours_share / (len * 3600.0),
            rate_other: if len >= 24.0 {
                0.0
            } else {
                per_day * (1.0 - e.working_hours_share) / ((24.0 - len) * 3600.0)
            },
            working: (w.start_h, w.end_h),
        }
    }

    /// Rate at hour `h` and the next hour at which it changes.
    fn rate_at(&self, h: f64) -> (f64, f64) {
        let day = (h / 24.0).floor() * 24.0;
        let (a, b) = (day + self.working.0, day + self.working.1);
        if h < a {
            (self.rate_other, a)
        } else if h < b {
            (self.rate_working, b)
        } else {
            (self.rate_other, day + 24.0)
        }
    }

    /// The next arrival after `t`, or `None` before `horizon`. The stream is memoryless, so a
    /// draw that crosses a change of rate is simply redrawn from the change at the new rate.
    pub fn next(&self, rng: &mut Xoshiro256PlusPlus, t: Nanos, horizon: Nanos) -> Option<Nanos> {
        let mut h = t as f64 / (3600.0 * SECOND as f64);
        let end = horizon as f64 / (3600.0 * SECOND as f64);
        while h < end {
            let (rate, until) = self.rate_at(h);
            if rate > 0.0 {
                let dt: f64 = Exp::new(rate).expect("positive rate").sample(rng) / 3600.0;
                if h + dt < until {
                    return Some(nanos((h + dt) * 3600.0).max(t)).filter(|&x| x <= horizon);
                }
            }
            h = until;
        }
        None
    }
}
