//! Bad input never kills the model: damaged scenario files are refused with messages naming
//! fields, and anything that passes validation runs without panicking or producing NaN.
#![cfg(not(target_arch = "wasm32"))]

use mp162_explorer::model::{RunOptions, Scenario, run};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::{Value, json};

fn leaf_paths(prefix: Vec<String>, v: &Value, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let mut p = prefix.clone();
                p.push(k.clone());
                leaf_paths(p, x, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let mut p = prefix.clone();
                p.push(i.to_string());
                leaf_paths(p, x, out);
            }
        }
        _ => out.push(prefix),
    }
}

fn set(v: &mut Value, path: &[String], new: Value) {
    let mut cur = v;
    for key in path {
        cur = match cur {
            Value::Object(map) => map.get_mut(key).unwrap(),
            Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *cur = new;
}

#[test]
fn damaged_scenarios_are_refused_or_run_cleanly() {
    let base = serde_json::to_value(Scenario::default()).unwrap();
    let mut paths = Vec::new();
    leaf_paths(Vec::new(), &base, &mut paths);
    let hostile = [
        json!(1e300),
        json!(-1e300),
        json!(0),
        json!(-1),
        json!(1e-300),
        json!(4294967296u64),
        json!(1.5),
        json!("x"),
        json!(null),
        json!(true),
        json!([]),
        json!({}),
        json!("<script>alert(1)</script>"),
        json!(0.999999),
        json!(24),
        json!(96),
        json!(60_000_000u64),
    ];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(162);
    let (mut refused, mut ran) = (0, 0);
    for case in 0..400 {
        let mut v = base.clone();
        for _ in 0..rng.random_range(1..4) {
            let path = &paths[rng.random_range(0..paths.len())];
            set(
                &mut v,
                path,
                hostile[rng.random_range(0..hostile.len())].clone(),
            );
        }
        match Scenario::from_json(&v.to_string()) {
            Err(problems) => {
                refused += 1;
                assert!(!problems.is_empty(), "case {case}");
                for p in &problems {
                    assert!(
                        !p.field.is_empty() && !p.message.is_empty(),
                        "case {case}: {p:?}"
                    );
                }
            }
            Ok(s) => {
                ran += 1;
                // A tiny sample keeps even a 60-million-meter scenario quick.
                let r = run(
                    &s,
                    RunOptions {
                        sample: 1e-4,
                        series: true,
                        ..Default::default()
                    },
                );
                let q = r.requests;
                assert_eq!(
                    q.submitted,
                    q.completed_within_trt + q.completed_late + q.failed + q.pending,
                    "case {case}"
                );
                let k = &r.key_figures;
                for x in [
                    k.mhhs_delivered_by_needed_by,
                    k.mhhs_delivered_by_end_of_d1,
                    k.on_demand_trt_compliance,
                    k.scheduled_trt_compliance,
                    r.peak_requests_per_second,
                ] {
                    assert!(x.is_finite(), "case {case}: {k:?}");
                }
            }
        }
    }
    assert!(
        refused > 100 && ran > 20,
        "both paths exercised: {refused} refused, {ran} ran"
    );
}

#[test]
fn oversized_and_non_json_files_get_a_clear_message() {
    let big = "x".repeat(1_000_001);
    assert!(
        Scenario::from_json(&big).unwrap_err()[0]
            .message
            .contains("larger than 1 MB")
    );
    let err = Scenario::from_json("{\"version\": 1}").unwrap_err();
    assert!(err[0].message.contains("missing field"), "{err:?}");
}

#[test]
fn a_version_1_file_reads_with_notes_and_new_fields_are_checked() {
    // A scenario written before version 2: the old failure names, no persistent shares.
    let mut v = serde_json::to_value(Scenario::default()).unwrap();
    v["version"] = json!(1);
    let d = v["devices"].as_object_mut().unwrap();
    let attempt = d.remove("smets2_attempt_failure").unwrap();
    d.insert("smets2_failure".into(), attempt);
    d.remove("smets1_attempt_failure");
    d.insert("smets1_failure".into(), json!(0.08));
    d.remove("smets2_persistent_failure");
    d.remove("smets1_persistent_failure");
    let (s, notes) =
        Scenario::from_json_with_notes(&v.to_string()).expect("a version 1 file reads");
    assert_eq!(s.version, 2);
    assert_eq!(s.devices.smets1_attempt_failure, 0.08);
    assert_eq!(
        s.devices.smets2_persistent_failure,
        Scenario::default().devices.smets2_persistent_failure
    );
    let said = notes.join("\n");
    for field in [
        "devices.smets2_failure",
        "devices.smets1_failure",
        "devices.smets2_persistent_failure",
        "devices.smets1_persistent_failure",
    ] {
        assert!(
            said.contains(field),
            "{field} missing from the notes: {said}"
        );
    }
    // A current file reads without notes.
    let text = serde_json::to_string(&Scenario::default()).unwrap();
    assert_eq!(
        Scenario::from_json_with_notes(&text).unwrap().1,
        Vec::<String>::new()
    );
    // Out-of-range new fields are refused by name; an unknown version too.
    for (field, bad) in [
        ("smets2_persistent_failure", json!(1.5)),
        ("smets1_persistent_failure", json!(-0.1)),
        ("smets2_attempt_failure", json!(2)),
    ] {
        let mut v = serde_json::to_value(Scenario::default()).unwrap();
        v["devices"][field] = bad;
        let err = Scenario::from_json(&v.to_string()).unwrap_err();
        assert!(
            err.iter().any(|e| e.field == format!("devices.{field}")),
            "{err:?}"
        );
    }
    let mut v = serde_json::to_value(Scenario::default()).unwrap();
    v["version"] = json!(3);
    let err = Scenario::from_json(&v.to_string()).unwrap_err();
    assert!(err.iter().any(|e| e.field == "version"), "{err:?}");
}
