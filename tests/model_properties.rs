//! Properties of the traffic model over many random valid scenarios: every request and every
//! device attempt is accounted for, runs repeat by seed, the cache off means no cache hits,
//! smoothing never raises the peak, and a sampled preview agrees with the full run. Then the
//! semantics of the figures: TRTs count from the user's request through every retry,
//! persistently failing meters keep failing, and midnight reads are not held by smoothing.
#![cfg(not(target_arch = "wasm32"))]

use mp162_explorer::model::scenario::{Scenario, Window};
use mp162_explorer::model::station::Discipline;
use mp162_explorer::model::{Report, RunOptions, run};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

mod support;

/// A random scenario that passes validation: small populations so many cases run quickly.
fn random_scenario(rng: &mut Xoshiro256PlusPlus) -> Scenario {
    let mut s = Scenario::default();
    s.seed = rng.random();
    s.population.meters = rng.random_range(500..6_000);
    s.population.smets2_share = rng.random_range(0.0..=1.0);
    let n: f64 = rng.random_range(0.1..0.5);
    let c: f64 = rng.random_range(0.1..(0.9 - n));
    s.population.region_shares = [n, c, 1.0 - n - c];
    let i: f64 = rng.random_range(0.1..0.5);
    let m: f64 = rng.random_range(0.1..(0.9 - i));
    s.population.cohort_shares = [i, m, 1.0 - i - m];
    s.population.export_share = rng.random_range(0.0..0.5);
    s.population.non_communicating_share = rng.random_range(0.0..0.3);
    s.users.agent_share = rng.random_range(0.0..=1.0);
    s.users.agent_passes_data_on = rng.random_range(0.0..=1.0);
    s.users.mhhs_flag_share = rng.random_range(0.0..=1.0);
    s.collection.mhhs = rng.random_bool(0.85);
    s.collection.daily_share = rng.random_range(0.0..=1.0);
    s.collection.validation_reads_per_day = rng.random_range(0.0..=1.0);
    s.collection.next_night = rng.random_bool(0.3);
    let a: f64 = rng.random_range(0.0..20.0);
    s.schedules.supplier_window = Window::new(a, a + rng.random_range(0.5..4.0));
    let b: f64 = rng.random_range(0.0..20.0);
    s.schedules.agent_window = Window::new(b, b + rng.random_range(0.5..4.0));
    s.schedules.slices = rng.random_range(1..20);
    s.schedules.midnight_spread_min = rng.random_range(0.0..60.0);
    s.schedules.srv_4_1_1_for_smets2 = rng.random_bool(0.5);
    s.schedules.sr_4_2_schedulable = rng.random_bool(0.5);
    s.policy.smoothing = rng.random_bool(0.3);
    s.policy.smoothing_cap_per_s = rng.random_range(0.05..2.0);
    s.policy.mhhs_window_on = rng.random_bool(0.3);
    s.policy.maintenance_on = rng.random_bool(0.3);
    s.policy.discipline = if rng.random_bool(0.5) {
        Discipline::Fifo
    } else {
        Discipline::OnDemandFirst
    };
    // Capacities scaled to the small population, sometimes far too small (backlogs and pending).
    let scale = s.population.meters as f64 / 30e6 * rng.random_range(0.2..3.0);
    s.routes.dsp_per_s = (2500.0 * scale).max(1.0);
    s.routes.csp_in_flight = [
        (6000.0 * scale).max(1.0) as u32,
        (9000.0 * scale).max(1.0) as u32,
        (9000.0 * scale).max(1.0) as u32,
    ];
    s.routes.s1sp_per_s = [
        (100.0 * scale).max(0.01),
        (100.0 * scale).max(0.01),
        (150.0 * scale).max(0.01),
    ];
    s.routes.s1sp_in_flight = [
        (3000.0 * scale).max(1.0) as u32,
        (5000.0 * scale).max(1.0) as u32,
        (4000.0 * scale).max(1.0) as u32,
    ];
    s.devices.smets2_attempt_failure = rng.random_range(0.0..0.5);
    s.devices.smets1_attempt_failure = rng.random_range(0.0..0.5);
    s.devices.smets2_persistent_failure = rng.random_range(0.0..0.2);
    s.devices.smets1_persistent_failure = rng.random_range(0.0..0.2);
    s.devices.max_attempts = rng.random_range(1..6);
    s.devices.retry_after_h = rng.random_range(1.0 / 60.0..6.0);
    s.cache.enabled = rng.random_bool(0.5);
    s.existing.scheduled_per_meter_day = rng.random_range(0.0..=1.0);
    s.existing.on_demand_per_meter_day = rng.random_range(0.0..2.0);
    s.report.horizon_h = rng.random_range(24.0..60.0);
    assert_eq!(
        s.validate(),
        vec![],
        "the generator must make valid scenarios"
    );
    s
}

fn full(s: &Scenario) -> Report {
    run(s, RunOptions::default())
}

fn assert_accounts_add_up(r: &Report, what: &str) {
    let q = &r.requests;
    assert_eq!(
        q.submitted,
        q.completed_within_trt + q.completed_late + q.failed + q.pending,
        "{what}: {q:?}"
    );
    assert_eq!(
        r.simulated_requests, r.requests,
        "{what}: a full run needs no scaling"
    );
    for row in &r.by_service_request_and_route {
        assert_eq!(
            row.requests.submitted,
            row.requests.ended(),
            "{what}: {} {}",
            row.sr,
            row.route
        );
    }
    let sum: u64 = r
        .by_service_request_and_route
        .iter()
        .map(|x| x.requests.submitted)
        .sum();
    assert_eq!(sum, q.submitted, "{what}: rows add up to the total");
    // Device attempts conserve too, in total and row by row, and agree with the requests.
    let a = &r.attempts;
    assert_eq!(a.sent, a.ended(), "{what}: attempts {a:?}");
    assert_eq!(r.simulated_attempts, *a, "{what}");
    for row in &r.by_service_request_and_route {
        let (x, q) = (&row.attempts, &row.requests);
        assert_eq!(x.sent, x.ended(), "{what}: {} {} {x:?}", row.sr, row.route);
        // Every request given up failed at least one attempt; every failed attempt belongs to
        // a request that was retried, given up or left pending.
        assert!(x.failed >= q.failed, "{what}: {} {}", row.sr, row.route);
        assert!(
            x.answered <= q.completed_within_trt + q.completed_late,
            "{what}: {} {}: an answered attempt completes its request",
            row.sr,
            row.route
        );
    }
    let sent: u64 = r
        .by_service_request_and_route
        .iter()
        .map(|x| x.attempts.sent)
        .sum();
    assert_eq!(sent, a.sent, "{what}: attempt rows add up to the total");
    assert_eq!(
        a.sent, r.key_figures.device_hits,
        "{what}: device hits are the attempts sent"
    );
    for (name, v) in [
        (
            "delivered by needed-by",
            r.key_figures.mhhs_delivered_by_needed_by,
        ),
        (
            "delivered by D+1",
            r.key_figures.mhhs_delivered_by_end_of_d1,
        ),
        (
            "on-demand compliance",
            r.key_figures.on_demand_trt_compliance,
        ),
        (
            "scheduled compliance",
            r.key_figures.scheduled_trt_compliance,
        ),
    ] {
        assert!(
            v.is_finite() && (0.0..=1.0).contains(&v),
            "{what}: {name} = {v}"
        );
    }
    assert!(r.peak_requests_per_second.is_finite());
}

#[test]
fn every_request_ends_completed_late_failed_or_pending() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2026);
    for case in 0..60 {
        let s = random_scenario(&mut rng);
        let r = full(&s);
        assert_accounts_add_up(&r, &format!("case {case}"));
        if s.collection.mhhs && s.population.meters > 0 {
            assert!(
                r.requests.submitted > 0,
                "case {case}: MHHS on sends requests"
            );
        }
    }
}

#[test]
fn runs_repeat_exactly_by_seed_and_differ_across_seeds() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    for case in 0..15 {
        let s = random_scenario(&mut rng);
        assert_eq!(full(&s), full(&s), "case {case}: same seed, same report");
    }
    let mut s = Scenario::default();
    s.population.meters = 20_000;
    let a = full(&s);
    s.seed += 1;
    assert_ne!(a, full(&s), "another seed, another run");
}

#[test]
fn cache_off_means_no_cache_hits_and_on_it_serves_second_users() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
    for case in 0..30 {
        let mut s = random_scenario(&mut rng);
        s.cache.enabled = false;
        assert_eq!(full(&s).key_figures.cache_hits, 0, "case {case}");
    }
    // Everyone SMETS1, agents never pass data on: suppliers ask again and the cache answers.
    let mut s = Scenario::default();
    s.population.meters = 20_000;
    s.population.smets2_share = 0.0;
    s.users.agent_share = 0.5;
    s.users.agent_passes_data_on = 0.0;
    s.schedules.agent_window = Window::new(0.5, 2.0);
    s.schedules.supplier_window = Window::new(8.0, 10.0);
    s.cache.enabled = true;
    let with = full(&s);
    assert!(with.key_figures.cache_hits > 1000, "{:?}", with.key_figures);
    s.cache.enabled = false;
    let without = full(&s);
    assert!(
        without.key_figures.device_hits > with.key_figures.device_hits,
        "the cache saves device hits"
    );
    // With data passed on, nobody asks twice: nothing for the cache to serve.
    s.cache.enabled = true;
    s.users.agent_passes_data_on = 1.0;
    assert_eq!(full(&s).key_figures.cache_hits, 0);
}

#[test]
fn smoothing_never_raises_the_peak() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    for case in 0..40 {
        let mut s = random_scenario(&mut rng);
        s.policy.smoothing = false;
        let as_requested = full(&s);
        s.policy.smoothing = true;
        let smoothed = full(&s);
        assert!(
            smoothed.peak_requests_per_second <= as_requested.peak_requests_per_second * 1.0 + 1e-9,
            "case {case}: smoothed peak {} > as requested {}",
            smoothed.peak_requests_per_second,
            as_requested.peak_requests_per_second
        );
        assert_accounts_add_up(&smoothed, &format!("case {case} smoothed"));
    }
}

#[test]
fn sr_4_2_on_demand_makes_a_midnight_spike_on_the_s1sp_routes() {
    let mut s = Scenario::default();
    s.population.meters = 300_000;
    s.population.export_share = 0.3;
    let midnight_s1sp = |s: &Scenario| -> (f64, u64) {
        let r = run(
            s,
            RunOptions {
                sample: 1.0,
                series: true,
                ..Default::default()
            },
        );
        let series = r.series.as_ref().unwrap();
        // Requests per second sent to the three S1SP cohorts in the first 30 minutes of D.
        let total: f64 = series.dispatched_per_s[3..]
            .iter()
            .map(|x| x.mhhs[..30].iter().map(|v| *v as f64).sum::<f64>())
            .sum();
        let sr_4_2: u64 = r
            .by_service_request_and_route
            .iter()
            .filter(|x| x.sr == "4.2")
            .map(|x| x.requests.submitted)
            .sum();
        (total, sr_4_2)
    };
    s.schedules.sr_4_2_schedulable = false;
    let (on_demand_load, on_demand_reads) = midnight_s1sp(&s);
    s.schedules.sr_4_2_schedulable = true;
    let (scheduled_load, scheduled_reads) = midnight_s1sp(&s);
    assert!(on_demand_reads > 0 && scheduled_reads > 0);
    assert!(
        on_demand_load > scheduled_load * 1.1,
        "midnight S1SP load with 4.2 on demand {on_demand_load:.0} vs scheduled {scheduled_load:.0}"
    );
}

#[test]
fn a_sampled_preview_agrees_with_the_full_run() {
    let mut s = Scenario::default();
    s.population.meters = 3_000_000;
    let f = 0.1;
    let scale = |s: &mut Scenario| {
        s.routes.dsp_per_s *= 0.1;
        for i in 0..3 {
            s.routes.csp_in_flight[i] /= 10;
            s.routes.s1sp_in_flight[i] /= 10;
            s.routes.s1sp_per_s[i] *= 0.1;
        }
        s.policy.smoothing_cap_per_s *= 0.1;
    };
    scale(&mut s);
    let full_run = full(&s);
    let preview = run(
        &s,
        RunOptions {
            sample: f,
            series: false,
            ..Default::default()
        },
    );
    let (a, b) = (&full_run.key_figures, &preview.key_figures);
    let close = |x: f64, y: f64, tol: f64, what: &str| {
        assert!((x - y).abs() <= tol, "{what}: full {x}, sampled {y}")
    };
    close(
        a.mhhs_delivered_by_needed_by,
        b.mhhs_delivered_by_needed_by,
        0.03,
        "delivered by needed-by",
    );
    close(
        a.mhhs_delivered_by_end_of_d1,
        b.mhhs_delivered_by_end_of_d1,
        0.03,
        "delivered by D+1",
    );
    close(
        a.scheduled_trt_compliance,
        b.scheduled_trt_compliance,
        0.03,
        "scheduled TRT compliance",
    );
    close(
        full_run.peak_requests_per_second / preview.peak_requests_per_second,
        1.0,
        0.05,
        "peak requests per second",
    );
    close(
        full_run.requests.submitted as f64 / preview.requests.submitted as f64,
        1.0,
        0.03,
        "requests submitted",
    );
}

/// A small GB-like day: capacities scaled to the population, so loads are as in the default.
fn small_gb(meters: u64) -> Scenario {
    let s = Scenario::default();
    let k = meters as f64 / s.population.meters as f64;
    let mut s = support::scaled(s, k);
    s.population.meters = meters;
    s
}

#[test]
fn trt_counts_from_the_user_request_so_nine_failures_in_ten_leave_a_tenth_on_time() {
    let mut s = small_gb(60_000);
    s.devices.smets2_attempt_failure = 0.9;
    s.devices.smets1_attempt_failure = 0.9;
    s.devices.smets2_persistent_failure = 0.0;
    s.devices.smets1_persistent_failure = 0.0;
    s.population.non_communicating_share = 0.0;
    let r = full(&s);
    assert_accounts_add_up(&r, "nine in ten");
    // An on-demand TRT is seconds and a retry waits an hour: only first attempts can be on
    // time, and nine in ten of them fail.
    let k = &r.key_figures;
    assert!(
        k.on_demand_trt_compliance <= 0.12,
        "on-demand compliance {} with nine attempts in ten failing",
        k.on_demand_trt_compliance
    );
    // Requests are counted once: with five attempts, about 0.9^5 = 59% of them fail five times
    // (given up, or pending when the horizon comes before the last retry), and attempts far
    // outnumber requests.
    let q = &r.requests;
    let unanswered = (q.failed + q.pending) as f64 / q.submitted as f64;
    assert!(
        (0.5..0.8).contains(&unanswered),
        "unanswered {unanswered}: {q:?}"
    );
    assert!(
        r.attempts.sent as f64 > 2.5 * q.submitted as f64,
        "{:?} {:?}",
        r.attempts,
        q
    );
}

#[test]
fn persistently_failing_meters_fail_every_attempt() {
    let mut s = small_gb(40_000);
    s.devices.smets2_attempt_failure = 0.0;
    s.devices.smets1_attempt_failure = 0.0;
    s.devices.smets2_persistent_failure = 1.0;
    s.devices.smets1_persistent_failure = 1.0;
    s.population.non_communicating_share = 0.0;
    s.report.horizon_h = 96.0;
    let r = full(&s);
    assert_accounts_add_up(&r, "all persistent");
    let (q, a) = (&r.requests, &r.attempts);
    assert_eq!(q.completed_within_trt + q.completed_late, 0, "{q:?}");
    assert_eq!(a.answered, 0, "{a:?}");
    // Each request given up failed all of its attempts.
    assert!(q.failed > 0);
    assert!(
        a.failed >= q.failed * s.devices.max_attempts as u64,
        "{q:?} {a:?}"
    );
    // With none persistent, the same meters answer.
    s.devices.smets2_persistent_failure = 0.0;
    s.devices.smets1_persistent_failure = 0.0;
    let fine = full(&s);
    assert_eq!(fine.requests.failed, 0, "{:?}", fine.requests);
}

#[test]
fn midnight_reads_keep_their_on_demand_waits_under_a_smoothing_cap() {
    // SMETS1 with export and SR 4.2 not schedulable: 4.1.1 and 4.2 at midnight, on demand.
    let mut s = small_gb(200_000);
    s.schedules.sr_4_2_schedulable = false;
    s.population.export_share = 0.2;
    let p50 = |r: &Report, sr: &str| -> f64 {
        let rows: Vec<_> = r
            .by_service_request_and_route
            .iter()
            .filter(|x| x.sr == sr && x.route == "s1sp_ioc")
            .collect();
        assert_eq!(rows.len(), 1, "{sr}");
        rows[0].p50_s
    };
    let as_requested = full(&s);
    s.policy.smoothing = true;
    s.policy.smoothing_cap_per_s = 200.0 * 200_000.0 / 30e6;
    let smoothed = full(&s);
    for sr in ["4.1.1", "4.2"] {
        let (a, b) = (p50(&as_requested, sr), p50(&smoothed, sr));
        assert!(
            b <= a * 1.25 + 1.0,
            "{sr} median response {b:.1} s smoothed against {a:.1} s as requested"
        );
    }
    // The scheduled work is what the cap holds back.
    assert!(
        smoothed.key_figures.last_mhhs_completion_h
            > as_requested.key_figures.last_mhhs_completion_h,
    );
}

#[test]
fn a_burst_that_clears_within_the_minute_still_shows_as_the_peak_backlog() {
    let mut s = small_gb(60_000);
    // One slice: every supplier schedule fires at 00:30 at once.
    s.schedules.slices = 1;
    s.users.agent_share = 0.0;
    let mut big = s.clone();
    big.routes.dsp_per_s *= 1000.0;
    let r = run(
        &big,
        RunOptions {
            sample: 1.0,
            series: true,
            ..Default::default()
        },
    );
    // The DSP clears the burst in well under a minute, yet its peak is the burst.
    let series = r.series.as_ref().unwrap();
    let burst_minute = 30;
    assert!(
        series.backlog_dsp[burst_minute] as f64 > 0.5 * 60_000.0,
        "backlog in the minute of the burst {}",
        series.backlog_dsp[burst_minute]
    );
    assert!(series.backlog_dsp[burst_minute + 2] < 1.0 + 0.02 * 60_000.0);
    assert!(r.key_figures.peak_dsp_backlog as f64 > 0.5 * 60_000.0);
}
