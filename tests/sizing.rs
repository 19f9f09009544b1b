//! Sizing, sweeps and tornadoes against answers worked out by hand: the least DSP rate that
//! clears a known volume by a deadline, monotone sweeps under common random numbers, and clear
//! errors for bad fields, unreachable targets and malformed target expressions.
#![cfg(not(target_arch = "wasm32"))]

use mp162_explorer::model::cli;
use mp162_explorer::model::scenario::Scenario;
use mp162_explorer::model::sizing::search::{Search, SearchSpec, Solve};
use mp162_explorer::model::sizing::sweep::Sweep;
use mp162_explorer::model::sizing::targets::Target;
use mp162_explorer::model::sizing::tornado::Tornado;
use mp162_explorer::model::sizing::{Job, mean_of, run_jobs};
use serde_json::Value;

mod support;

/// 200,000 SMETS2 meters, one HH read each, all asked for at 00:30 in one burst; every other
/// stage has room to spare, devices answer in 10 ms and never fail. The DSP, serving one request
/// every 1/r seconds, is the only bottleneck: by 07:00 it has served r × 6.5 h requests.
fn dsp_only() -> Scenario {
    let mut s = Scenario::default();
    s.population.meters = 200_000;
    s.population.smets2_share = 1.0;
    s.population.export_share = 0.0;
    s.population.non_communicating_share = 0.0;
    s.users.agent_share = 0.0;
    s.collection.validation_reads_per_day = 0.0;
    s.schedules.slices = 1;
    s.routes.csp_in_flight = [1_000_000; 3];
    s.devices.smets2_median_s = [0.01; 3];
    s.devices.smets2_p95_s = [0.01; 3];
    s.devices.smets2_attempt_failure = 0.0;
    s.devices.smets2_persistent_failure = 0.0;
    s.existing.scheduled_per_meter_day = 0.0;
    s.existing.on_demand_per_meter_day = 0.0;
    s
}

fn search(s: &Scenario, field: &str, target: &str, sample: f64) -> Result<Search, String> {
    let mut search = Search::new(
        s,
        field,
        SearchSpec {
            targets: vec![Target::parse(target)?],
            seeds: 1,
            sample,
            confirm: false,
            width: 2,
        },
    )?;
    while search.outcome().is_none() {
        let hs = run_jobs(&search.jobs());
        search.record(&hs);
    }
    Ok(search)
}

fn figure_at(s: &Scenario, field: &str, x: f64, figure: &str) -> f64 {
    let lever = mp162_explorer::model::sizing::levers::Lever::new(s, field).unwrap();
    let job = Job {
        scenario: lever.at(s, x).unwrap(),
        sample: 1.0,
    };
    mean_of(
        &mp162_explorer::model::sizing::figure_stats(&[job.run()]),
        figure,
    )
}

#[test]
fn the_least_dsp_rate_that_clears_half_the_volume_by_seven_is_the_one_worked_out_by_hand() {
    let s = dsp_only();
    let run = Job {
        scenario: s.clone(),
        sample: 1.0,
    }
    .run();
    assert_eq!(run.requests_submitted, 200_000, "one request a meter");
    // Half of 200,000 requests in the 6.5 hours from 00:30 to 07:00.
    let by_hand = 0.5 * 200_000.0 / (6.5 * 3600.0);
    let found = search(
        &s,
        "routes.dsp_per_s",
        "mhhs_delivered_by_needed_by>=0.5",
        1.0,
    )
    .unwrap();
    let answer = found.outcome().unwrap().as_ref().unwrap();
    assert_eq!(answer.solve, Solve::Least);
    assert!(
        (answer.value / by_hand - 1.0).abs() < 0.02,
        "found {} against {by_hand} by hand",
        answer.value
    );
    // The answer meets the target and 5% less does not.
    let figure = "mhhs_delivered_by_needed_by";
    assert!(figure_at(&s, "routes.dsp_per_s", answer.value, figure) >= 0.5);
    assert!(figure_at(&s, "routes.dsp_per_s", answer.value * 0.95, figure) < 0.5);
}

#[test]
fn a_target_met_below_a_value_is_solved_for_the_greatest() {
    // More meters, same capacity: the most meters whose HH data is half delivered by 07:00.
    let mut s = dsp_only();
    s.routes.dsp_per_s = 10.0;
    let found = search(
        &s,
        "population.meters",
        "mhhs_delivered_by_needed_by>=0.5",
        1.0,
    )
    .unwrap();
    let answer = found.outcome().unwrap().as_ref().unwrap();
    assert_eq!(answer.solve, Solve::Greatest);
    // 10 requests a second for the 6.5 hours to 07:00 serve 234,000: half of 468,000 meters.
    let by_hand = 2.0 * 10.0 * 6.5 * 3600.0;
    assert!(
        (answer.value / by_hand - 1.0).abs() < 0.02,
        "found {} against {by_hand} by hand",
        answer.value
    );
}

#[test]
fn more_capacity_never_delivers_less_under_common_random_numbers() {
    let base = support::scaled(Scenario::default(), 0.005);
    for (field, values) in [
        ("routes.dsp_per_s", vec![6.0, 9.0, 12.0, 15.0, 20.0, 30.0]),
        ("routes", vec![0.5, 0.8, 1.0, 1.5, 2.0, 3.0]),
    ] {
        let plan = Sweep::plan(&base, field, &values, 2, 1.0).unwrap();
        let rows = plan.rows(&base, &run_jobs(&plan.jobs));
        let delivered: Vec<f64> = rows
            .iter()
            .map(|r| mean_of(&r.figures, "mhhs_delivered_by_needed_by"))
            .collect();
        assert!(
            delivered.windows(2).all(|w| w[1] >= w[0]),
            "{field}: {delivered:?}"
        );
        assert!(
            delivered[5] > delivered[0] + 0.05,
            "{field} moves the figure: {delivered:?}"
        );
    }
}

#[test]
fn a_tornado_runs_every_range_and_sorts_by_swing() {
    let base = support::scaled(Scenario::default(), 0.002);
    let plan = Tornado::plan(&base, 1.0, 1);
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    assert_eq!(
        plan.arms.len(),
        mp162_explorer::model::sources::RANGES.len()
    );
    let bars = plan.bars("mhhs_delivered_by_needed_by", &run_jobs(&plan.jobs));
    assert!(bars.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
    assert!(bars.bars[0].swing > 0.05, "{:?}", bars.bars[0]);
    // More DSP capacity delivers more; more non-communicating meters deliver less.
    let bar = |lever: &str| bars.bars.iter().find(|b| b.lever == lever).unwrap();
    assert!(bar("routes.dsp_per_s").at_high > bar("routes.dsp_per_s").at_low);
    let silent = bar("population.non_communicating_share");
    assert!(silent.at_high < silent.at_low);
}

fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn bad_fields_unreachable_targets_and_malformed_targets_are_named() {
    for (line, says) in [
        (
            "size today --field routes.dsp --target mhhs_delivered_by_needed_by>=0.9",
            "routes.dsp",
        ),
        (
            "size today --field cache.enabled --target mhhs_delivered_by_needed_by>=0.9",
            "not a number",
        ),
        (
            "size today --field routes.dsp_per_s --target mhhs_delivered=0.9",
            "no comparison",
        ),
        (
            "size today --field routes.dsp_per_s --target delivered>=0.9",
            "'delivered' is not a key figure",
        ),
        ("size today --field routes.dsp_per_s", "--target"),
        ("sweep today --field routes.dsp_per_s", "--values"),
        (
            "sweep today --field routes.dsp_per_s --values 1,x",
            "'x' is not a number",
        ),
        (
            "sensitivity today --figure nope",
            "'nope' is not a key figure",
        ),
        (
            "sensitivity today --figure on_demand_trt_compliance",
            "--sample 1",
        ),
    ] {
        let e = cli::main(&args(line)).unwrap_err();
        assert!(e.contains(says), "{line}: {e}");
    }
    // 95% by 07:00 is beyond any capacity while 6% of meters never answer.
    let e = cli::main(&args(
        "size dcc-recommendation --field routes --target mhhs_delivered_by_needed_by>=0.95 --sample 0.0002",
    ))
    .unwrap_err();
    assert!(e.contains("routes: no value meets"), "{e}");
    // A figure the field does not move.
    let e = cli::main(&args(
        "size dcc-recommendation --field cache.lifetime_h --target mhhs_delivered_by_needed_by>=0.9 --sample 0.0002",
    ))
    .unwrap_err();
    assert!(
        e.contains("cache.lifetime_h: the figure does not move"),
        "{e}"
    );
}

#[test]
fn the_three_verbs_work_on_every_preset() {
    for name in mp162_explorer::model::presets::names() {
        let out: Value = serde_json::from_str(
            &cli::main(&args(&format!(
                "sweep {name} --field routes.dsp_per_s --values 1500,3000 --sample 0.0002"
            )))
            .unwrap(),
        )
        .unwrap();
        assert_eq!(out["rows"].as_array().unwrap().len(), 2, "{name}");
        let out: Value = serde_json::from_str(
            &cli::main(&args(&format!("sensitivity {name} --sample 0.0002"))).unwrap(),
        )
        .unwrap();
        assert!(out["bars"].as_array().unwrap().len() > 40, "{name}");
        // Size every route capacity together for a target halfway between the preset's
        // figure at half and at twice its capacities, so one exists.
        let base = mp162_explorer::model::presets::preset(name).unwrap();
        let figure = "scheduled_trt_compliance";
        let at = |x: f64| {
            let lever = mp162_explorer::model::sizing::levers::Lever::new(&base, "routes").unwrap();
            let job = Job {
                scenario: lever.at(&base, x).unwrap(),
                sample: 0.0002,
            };
            mean_of(
                &mp162_explorer::model::sizing::figure_stats(&[job.run()]),
                figure,
            )
        };
        let (lo, hi) = (at(0.5), at(2.0));
        let line = format!(
            "size {name} --field routes --target {figure}>={} --sample 0.0002",
            (lo + hi) / 2.0
        );
        match cli::main(&args(&line)) {
            Ok(text) => {
                let out: Value = serde_json::from_str(&text).unwrap();
                assert!(
                    out["met_at"][figure].as_f64().unwrap() >= (lo + hi) / 2.0,
                    "{name}"
                );
                assert!(
                    out["not_met_below"][figure].as_f64().unwrap() < (lo + hi) / 2.0,
                    "{name}"
                );
                assert_eq!(out["field"], "routes");
            }
            Err(e) => {
                assert!(hi - lo < 1e-9, "{name}: {e}");
                assert!(e.contains("does not move"), "{name}: {e}");
            }
        }
    }
}
