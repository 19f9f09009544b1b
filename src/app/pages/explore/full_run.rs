//! The full-scale run: every meter and every request of the scenario, with a progress bar and a
//! cancel button, never freezing the page. It runs in Web Workers ([`super::worker_run`]), using
//! the machine's cores; where a browser cannot start them it runs on the page's own thread, in slices
//! of at most ~35 ms that yield to the browser between them (no task over 50 ms).

use std::cell::Cell;

use super::worker_run::{WorkerNews, WorkerRun, WorkerTimes};
use crate::app::tasks::yield_now;
use crate::model::{Report, RunOptions, Scenario, Simulation};
use crate::present::format::{duration, thousands};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Time a slice may run before it yields, in milliseconds (a task stays under 50 ms).
const SLICE_MS: f64 = 35.0;
/// How often the progress bar moves, in milliseconds (each move costs a re-render).
const PROGRESS_MS: f64 = 250.0;
/// Events handled between clock checks: well under a millisecond of work, so a slice ends close
/// to its time even when one event dispatches a burst.
const EVENTS_PER_CHECK: u64 = 4_000;

#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    Idle,
    Running {
        started_ms: f64,
    },
    Cancelled {
        progress: f64,
    },
    /// `workers`: how many Web Workers it ran in (0: on the page's thread), the largest
    /// WebAssembly memory one of them used, in megabytes, and where each one's time went (JSON,
    /// for the benchmarks: [`WorkerTimes::json`]).
    Done {
        seconds: f64,
        workers: usize,
        largest_mb: f64,
        times: String,
    },
    Failed(String),
}

/// A finished full-scale run and the scenario it ran.
pub type FullResult = Option<(Scenario, Report)>;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

#[component]
pub fn FullRun(
    #[prop(into)] scenario: Signal<Scenario>,
    result: RwSignal<FullResult>,
) -> impl IntoView {
    let state = RwSignal::new(RunState::Idle);
    let progress = RwSignal::new(0.0f64);
    let cancel = RwSignal::new(false);
    // A changed scenario makes an earlier run's outcome stale.
    Effect::new(move |prev: Option<()>| {
        scenario.track();
        if prev.is_some() && !matches!(state.get_untracked(), RunState::Running { .. }) {
            state.set(RunState::Idle);
        }
    });
    let workers = StoredValue::new_local(None::<WorkerRun>);
    let finish = move |s: Scenario, mut report: Report, started_ms: f64, in_workers: usize| {
        let seconds = (now_ms() - started_ms) / 1000.0;
        report.wall_seconds = seconds;
        let largest_mb = workers.with_value(|w| w.as_ref().map_or(0.0, |r| r.largest_memory_mb()));
        let times = workers.with_value(|w| w.as_ref().map_or_else(Vec::new, |r| r.times()));
        state.set(RunState::Done {
            seconds,
            workers: in_workers,
            largest_mb,
            times: WorkerTimes::json(&times),
        });
        spawn_local(async move {
            // Let the "finished" message paint before the charts are redrawn for the full run.
            yield_now().await;
            result.set(Some((s, report)));
        });
    };
    let start = move |_| {
        if matches!(state.get_untracked(), RunState::Running { .. }) {
            return;
        }
        let s = scenario.get_untracked();
        cancel.set(false);
        let started_ms = now_ms();
        progress.set(0.0);
        state.set(RunState::Running { started_ms });
        let shown_at = Cell::new(started_ms);
        let ran = s.clone();
        let on_news = move |news| {
            // The workers are stopped in a task of their own once this message has been handled
            // (freeing their memory takes a while).
            let stop_workers = move || {
                spawn_local(async move {
                    yield_now().await;
                    workers.set_value(None);
                })
            };
            match news {
                WorkerNews::Progress(p) if now_ms() - shown_at.get() > PROGRESS_MS => {
                    progress.set(p);
                    shown_at.set(now_ms());
                }
                WorkerNews::Progress(_) => {}
                WorkerNews::Done(report) => {
                    stop_workers();
                    progress.set(1.0);
                    finish(ran.clone(), report, started_ms, WorkerRun::count_here());
                }
                WorkerNews::Failed(why) => {
                    stop_workers();
                    state.set(RunState::Failed(why));
                }
            }
        };
        match WorkerRun::start(&s, std::rc::Rc::new(on_news)) {
            Ok(run) => workers.set_value(Some(run)),
            Err(_) => spawn_local(async move {
                if let Some(report) = run_in_slices(&s, progress, cancel, state).await {
                    finish(s, report, started_ms, 0);
                }
            }),
        }
    };
    let stop = move |_| {
        if workers.with_value(Option::is_some) {
            workers.set_value(None);
            state.set(RunState::Cancelled {
                progress: progress.get_untracked(),
            });
        } else {
            cancel.set(true);
        }
    };
    let running = move || matches!(state.get(), RunState::Running { .. });
    let meters = move || scenario.with(|s| thousands(s.population.meters as f64));
    view! {
        <div class="full-run" id="full-run">
            <p>
                <button type="button" class="button" id="full-run-start" on:click=start prop:disabled=running>
                    "Run at full scale"
                </button>
                " "
                <span class="hint">{move || format!("Every one of the {} meters and every request, seed {}. A GB day takes from 15 seconds to about a minute, depending on the computer (more cores: sooner), in background workers; the page stays usable.", meters(), scenario.with(|s| s.seed))}</span>
            </p>
            <div role="status" id="full-run-status">
                {move || match state.get() {
                    RunState::Idle => view! { <span></span> }.into_any(),
                    RunState::Running { started_ms } => view! {
                        <label for="full-run-progress">{move || format!("Running at full scale: {:.0}% of the simulated {} hours", progress.get() * 100.0, scenario.with_untracked(|s| s.report.horizon_h))}</label>
                        <progress id="full-run-progress" max="100" value=move || format!("{:.1}", progress.get() * 100.0)>{move || format!("{:.0}%", progress.get() * 100.0)}</progress>
                        <span class="hint">{move || { progress.track(); format!(" {} so far", duration((now_ms() - started_ms) / 1000.0)) }}</span>
                        " "
                        <button type="button" class="button button--warning button--small" id="full-run-cancel" on:click=stop>"Cancel"</button>
                    }.into_any(),
                    RunState::Cancelled { progress } => view! {
                        <p id="full-run-cancelled">{format!("Full-scale run cancelled at {:.0}%. The preview is shown.", progress * 100.0)}</p>
                    }.into_any(),
                    RunState::Done { seconds, workers, largest_mb, times } => view! {
                        <p id="full-run-done" data-worker-times=times>{format!(
                            "Full-scale run finished in {}{}.",
                            duration(seconds),
                            match workers {
                                0 => " on this page's thread".to_string(),
                                n => format!(", on {n} background workers (the largest used {} MB)", thousands(largest_mb.round())),
                            },
                        )}</p>
                    }.into_any(),
                    RunState::Failed(why) => view! {
                        <p id="full-run-failed" role="alert">{format!("The full-scale run stopped: {why}. The preview is shown; run it again, or reload the page if it happens again.")}</p>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

/// The fallback: the whole day on the page's own thread, in slices that yield between them.
/// `None` if cancelled (the state then says so).
async fn run_in_slices(
    s: &Scenario,
    progress: RwSignal<f64>,
    cancel: RwSignal<bool>,
    state: RwSignal<RunState>,
) -> Option<Report> {
    // Let the progress bar paint before the set-up work.
    yield_now().await;
    let mut sim = Simulation::new(
        s,
        RunOptions {
            sample: 1.0,
            series: true,
            ..Default::default()
        },
    );
    // The set-up is a task of its own: with the first slice it would pass 50 ms.
    yield_now().await;
    let mut shown_at = now_ms();
    loop {
        let slice = now_ms();
        let mut done = false;
        while now_ms() - slice < SLICE_MS {
            if sim.step(EVENTS_PER_CHECK) {
                done = true;
                break;
            }
        }
        if done {
            break;
        }
        if now_ms() - shown_at > PROGRESS_MS {
            progress.set(sim.progress());
            shown_at = now_ms();
        }
        yield_now().await;
        if cancel.get_untracked() {
            state.set(RunState::Cancelled {
                progress: sim.progress(),
            });
            return None;
        }
    }
    progress.set(1.0);
    yield_now().await;
    Some(sim.finish())
}
