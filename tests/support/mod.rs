//! What the integration tests share: a scenario shrunk to a smaller population with every
//! capacity shrunk alike, so its loads are as at full size.

use mp162_explorer::model::scenario::Scenario;

/// `s` with `k` times the meters and `k` times every capacity (slot counts rounded, at least 1).
pub fn scaled(mut s: Scenario, k: f64) -> Scenario {
    s.population.meters = (s.population.meters as f64 * k) as u64;
    s.routes.dsp_per_s *= k;
    for i in 0..3 {
        s.routes.csp_in_flight[i] = ((s.routes.csp_in_flight[i] as f64 * k).round() as u32).max(1);
        s.routes.s1sp_in_flight[i] =
            ((s.routes.s1sp_in_flight[i] as f64 * k).round() as u32).max(1);
        s.routes.s1sp_per_s[i] *= k;
    }
    s.policy.smoothing_cap_per_s *= k;
    s
}
