//! Benchmarks of the traffic model compiled to WebAssembly, in headless Chromium. Ignored in the
//! test run; `scripts/bench.sh` runs them with `--include-ignored` and prints the figures.
#![cfg(target_arch = "wasm32")]

use mp162_explorer::model::{RunOptions, Simulation, presets::preset, run};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// A benchmark's figures: to the console (wasm-bindgen-test's runner prints them) and as a line
/// of the page (where a browser the runner has no driver for is read through WebDriver:
/// `tests/e2e/browsers/wasm_bench_page.mjs`).
fn report(line: String) {
    console_log!("{line}");
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.insert_adjacent_text("beforeend", &format!("{line}\n"));
    }
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
fn bench_sampled_preview_in_browser() {
    let s = preset("dcc-recommendation").unwrap();
    for sample in [0.01, 0.001, 0.0005] {
        let options = RunOptions {
            sample,
            series: true,
            ..Default::default()
        };
        run(&s, options.clone()); // warm-up
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let t0 = now_ms();
                run(&s, options.clone());
                now_ms() - t0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        report(format!(
            "BENCH wasm_preview sample={sample} median_ms={:.1} max_ms={:.1}",
            times[3], times[6]
        ));
    }
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
async fn bench_full_scale_day_in_browser() {
    // In slices that yield to the browser, as the app runs it: a page must never freeze.
    let s = preset("dcc-recommendation").unwrap();
    let t0 = now_ms();
    let mut sim = Simulation::new(&s, RunOptions::default());
    let setup_ms = now_ms() - t0;
    // Each stage's share, to set beside the native run's (`mp162 run --stage-times`).
    sim.time_stages(now_ms);
    let mut slices = 0u32;
    let mut longest = 0.0f64;
    // The slices' own time: the engine's work, without the waits between slices (a timer of
    // 0 ms waits at least 4 ms once nested, and a day has about 1,900 slices).
    let mut busy_ms = setup_ms;
    loop {
        let t = now_ms();
        let done = sim.step(400_000);
        let took = now_ms() - t;
        busy_ms += took;
        longest = longest.max(took);
        slices += 1;
        if done {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    let stages = sim.stage_times().expect("timed");
    let t = now_ms();
    let r = sim.finish();
    busy_ms += now_ms() - t;
    let stages: Vec<String> = stages
        .iter()
        .map(|(name, s)| format!("{name}={s:.2}"))
        .collect();
    report(format!("BENCH wasm_stages_s {}", stages.join(" ")));
    report(format!(
        "BENCH wasm_engine_s={:.2} wasm_wall_s={:.2} events={} submitted={} slices={} longest_slice_ms={:.0} setup_ms={setup_ms:.0}",
        busy_ms / 1000.0,
        (now_ms() - t0) / 1000.0,
        r.events,
        r.requests.submitted,
        slices,
        longest
    ));
}

/// The explorer's cross-browser journey runs 20,000 meters at full scale through the two workers.
/// This runs the same day on the test's one thread: whole, then split into the workers' halves
/// with every message turned into bytes and back, so a browser's time for the work alone and for
/// the messages' encoding can be told apart from the workers' own cost.
#[wasm_bindgen_test]
#[ignore = "benchmark: run by scripts/bench.sh"]
fn bench_small_full_run_whole_and_split() {
    use mp162_explorer::model::split_run::{DspHalf, FromDsp, FromRoutes, Layout, RoutesHalf};
    let mut s = preset("dcc-recommendation").unwrap();
    s.population.meters = 20_000;
    let options = RunOptions {
        sample: 1.0,
        series: true,
        threads: 1,
    };
    let t0 = now_ms();
    let whole = run(&s, options.clone());
    let whole_ms = now_ms() - t0;
    let t0 = now_ms();
    // Two workers' layout: one part, which writes the report.
    let layout = Layout::for_workers(2);
    let mut dsp = Some(DspHalf::new(&s, options.clone(), &layout));
    let mut routes = RoutesHalf::new(&s, options, &layout, 0);
    let (mut messages, mut bytes) = (0u64, 0u64);
    let mut to_dsp: Vec<Vec<u8>> = Vec::new();
    while !routes.is_finished() {
        if let Some(d) = dsp.as_mut() {
            for m in to_dsp.drain(..) {
                d.receive(FromRoutes::from_bytes(&m).unwrap()).unwrap();
            }
            let mut out: Vec<Vec<u8>> = Vec::new();
            while d.can_go_on() {
                if let Some(sent) = d.advance(&mut u64::MAX.clone()) {
                    out.extend(sent.iter().map(FromDsp::to_bytes));
                }
            }
            if d.is_finished() {
                out.push(dsp.take().unwrap().close().to_bytes());
            }
            for m in out {
                messages += 1;
                bytes += m.len() as u64;
                routes.receive(FromDsp::from_bytes(&m).unwrap()).unwrap();
            }
        }
        while routes.can_go_on() {
            if let Some(m) = routes.advance(&mut u64::MAX.clone()) {
                let m = m.to_bytes();
                messages += 1;
                bytes += m.len() as u64;
                to_dsp.push(m);
                break;
            }
        }
    }
    let split = routes.report().unwrap();
    let split_ms = now_ms() - t0;
    report(format!(
        "BENCH small_full_run whole_ms={whole_ms:.0} split_ms={split_ms:.0} messages={messages} bytes={bytes} events={} same={}",
        whole.events,
        whole.requests == split.requests
    ));
}
