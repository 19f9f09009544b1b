//! Benchmarks of the traffic model compiled to WebAssembly, in headless Chromium. Ignored in the
//! test run; `scripts/bench.sh` runs them with `--include-ignored` and prints the figures.
#![cfg(target_arch = "wasm32")]

use mp162_explorer::model::{RunOptions, presets::preset, run};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
fn bench_sampled_preview_in_browser() {
    let s = preset("dcc-recommendation").unwrap();
    let options = RunOptions { sample: 0.01, series: true };
    run(&s, options.clone()); // warm-up
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let t0 = now_ms();
            run(&s, options.clone());
            now_ms() - t0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    console_log!("BENCH wasm_preview_1pct_ms median={:.1} all={:?}", times[2], times);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
fn bench_full_scale_day_in_browser() {
    let s = preset("dcc-recommendation").unwrap();
    let t0 = now_ms();
    let r = run(&s, RunOptions::default());
    console_log!("BENCH wasm_full_day_s={:.2} events={} submitted={}", (now_ms() - t0) / 1000.0, r.events, r.requests.submitted);
}
