//! "What would it take?": the least capacity that meets a target under each DCC policy (a sizing
//! search for each, with the figure against the capacity as a frontier chart), and which
//! assumptions move the target's figure most (a tornado). The runs are previews (the model's
//! `sizing::SEARCH_SAMPLE`) made in background workers ([`TaskPool`]), so the page stays usable;
//! Cancel stops the workers.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::worker_run::{WorkerNews, WorkerRun};
use crate::app::charts::figure::Figure;
use crate::app::charts::frontier::{self, Frontier, capacity_text};
use crate::app::charts::tornado;
use crate::app::charts::view::ChartFigure;
use crate::app::task_pool::{TaskPool, worker_count};
use crate::model::Scenario;
use crate::model::sizing::sweep::steps;
use crate::model::sizing::targets::{Op, Target};
use crate::model::sizing::tasks::{TargetSpec, Task, TaskResult, assemble_tornado, tornado_tasks};
use crate::model::sizing::tornado::Bars;
use crate::model::sizing::{POLICIES, SEARCH_SAMPLE};
use crate::present::format::{number, thousands};
use crate::present::key_figures::{KeyFigure, Measure};

/// The targets offered: figures a preview shows honestly (key figure, comparison, default).
const TARGETS: &[(&str, Op, &str)] = &[
    ("mhhs_delivered_by_needed_by", Op::AtLeast, "90"),
    ("mhhs_delivered_by_end_of_d1", Op::AtLeast, "92"),
    ("mhhs_requests_in_working_hours", Op::AtMost, "0"),
    ("scheduled_trt_compliance", Op::AtLeast, "90"),
    ("on_demand_trt_compliance", Op::AtLeast, "80"),
];

/// The sample `figure`'s runs take: the preview's, or the closer 1 in 100 that on-demand TRT
/// compliance needs (`model::preview::sample_to_show`).
fn sample_of(figure: &str) -> f64 {
    crate::model::preview::sample_to_show(figure, SEARCH_SAMPLE).unwrap_or(SEARCH_SAMPLE)
}

/// What a run at `sample` is called in the status lines.
fn runs_called(sample: f64) -> String {
    if sample == SEARCH_SAMPLE {
        "preview runs".into()
    } else {
        format!("runs at 1 in {}", thousands(1.0 / sample))
    }
}

/// The capacities offered: (lever path, what it is, unit, a factor on today's values).
const CAPACITIES: &[(&str, &str, &str, bool)] = &[
    (
        "routes",
        "Every route capacity together",
        "× today's values",
        true,
    ),
    ("routes.dsp_per_s", "DSP throughput", "requests/s", false),
    (
        "routes.csp_in_flight",
        "CSP in-flight slots",
        "× today's values",
        true,
    ),
    ("routes.s1sp_per_s", "S1SP rates", "× today's values", true),
    (
        "routes.s1sp_in_flight",
        "S1SP in-flight limits",
        "× today's values",
        true,
    ),
];

/// Values on a frontier chart's line.
const FRONTIER_POINTS: usize = 9;

/// The full-scale check of an answer.
#[derive(Clone, Debug, PartialEq)]
enum Confirm {
    Idle,
    Running(f64),
    Done(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Running {
        what: &'static str,
        done: usize,
        all: usize,
    },
    Done(String),
    Failed(String),
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Does tasks in the pool; every result, or the first failure.
async fn run(
    pool: &TaskPool,
    tasks: &[Task],
    on_progress: Rc<dyn Fn(usize, usize)>,
) -> Result<Vec<TaskResult>, String> {
    let results = pool.run(tasks, on_progress).await?;
    match results.iter().find_map(|r| match r {
        TaskResult::Failed(e) => Some(e.clone()),
        _ => None,
    }) {
        Some(e) => Err(e),
        None => Ok(results),
    }
}

/// Tornado tasks per worker: small enough for the progress bar to move.
const TORNADO_PARTS_PER_WORKER: usize = 4;

fn target_label(figure: &str, needed_by_h: f64) -> String {
    KeyFigure::named(figure).map_or(figure.to_string(), |k| k.label(needed_by_h))
}

/// The typed target value as the model's number, or a message naming the field.
fn parse_target(figure: &'static str, op: Op, text: &str) -> Result<Target, String> {
    let share = KeyFigure::named(figure).is_some_and(|k| k.measure == Measure::Share);
    let v: f64 = text
        .trim()
        .trim_end_matches('%')
        .replace(',', "")
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or("Enter the target as a number, like 90")?;
    if share && !(0.0..=100.0).contains(&v) {
        return Err("Enter a target from 0 to 100 (a percentage)".into());
    }
    if v < 0.0 {
        return Err("Enter a target of 0 or more".into());
    }
    Ok(Target {
        figure,
        op,
        value: if share { v / 100.0 } else { v },
    })
}

#[component]
pub fn WhatItTakes(#[prop(into)] scenario: Signal<Scenario>) -> impl IntoView {
    let target_at = RwSignal::new(0usize);
    let target_text = RwSignal::new(TARGETS[0].2.to_string());
    let target_error = RwSignal::new(None::<String>);
    let capacity_at = RwSignal::new(0usize);
    let status = RwSignal::new(Status::Idle);
    let frontier_fig = RwSignal::new(None::<Figure>);
    let tornado_fig = RwSignal::new(None::<Figure>);
    let tornado_bars = RwSignal::new(None::<Bars>);
    let pool = StoredValue::new_local(None::<Rc<TaskPool>>);
    // The answer "as requested", to check at full scale: its scenario, the target, the answer.
    let to_confirm = RwSignal::new(None::<(Scenario, Target, String)>);
    let confirm = RwSignal::new(Confirm::Idle);
    let full_run = StoredValue::new_local(None::<WorkerRun>);
    let generation = StoredValue::new(0u32);
    // Leaving the page stops the workers.
    on_cleanup(move || {
        if let Some(p) = pool.try_get_value().flatten() {
            p.stop();
        }
    });
    let needed_by = move || scenario.with(|s| s.report.needed_by_h);
    // A changed scenario makes the answers stale.
    Effect::new(move |prev: Option<()>| {
        scenario.track();
        if prev.is_some() {
            generation.update_value(|g| *g += 1);
            if let Some(p) = pool.get_value() {
                p.stop();
            }
            pool.set_value(None);
            frontier_fig.set(None);
            tornado_fig.set(None);
            tornado_bars.set(None);
            status.set(Status::Idle);
            to_confirm.set(None);
            full_run.set_value(None);
            confirm.set(Confirm::Idle);
        }
    });
    // Stops any work under way: its workers at once, and its results are ignored.
    let stop = move || {
        generation.update_value(|g| *g += 1);
        if let Some(p) = pool.get_value() {
            p.stop();
        }
        pool.set_value(None);
    };
    // Starts a fresh pool (stopping any other work); `None` if this browser cannot run workers.
    let begin = move || -> Option<(u32, Rc<TaskPool>)> {
        stop();
        let p = TaskPool::start().ok().map(Rc::new);
        pool.set_value(p.clone());
        if p.is_none() {
            status.set(Status::Failed("this browser could not start background workers here, so the search cannot run on this page; the command line does the same work (mp162 size, mp162 sensitivity)".into()));
        }
        p.map(|p| (generation.get_value(), p))
    };
    // Progress of the work started as generation `me` (later news of stopped work is dropped).
    let progress = move |what: &'static str, me: u32| -> Rc<dyn Fn(usize, usize)> {
        Rc::new(move |done, all| {
            if generation.try_get_value() == Some(me) {
                status.set(Status::Running { what, done, all });
            }
        })
    };
    let find = move |_| {
        let (figure, op, _) = TARGETS[target_at.get_untracked()];
        let target = match parse_target(figure, op, &target_text.get_untracked()) {
            Ok(t) => t,
            Err(e) => return target_error.set(Some(e)),
        };
        target_error.set(None);
        let (path, capacity, unit, factor) = CAPACITIES[capacity_at.get_untracked()];
        let base = scenario.get_untracked();
        let Some((me, p)) = begin() else { return };
        frontier_fig.set(None);
        to_confirm.set(None);
        full_run.set_value(None);
        confirm.set(Confirm::Idle);
        status.set(Status::Running {
            what: "Searching under each policy",
            done: 0,
            all: POLICIES.len(),
        });
        let started = now_ms();
        let spec = TargetSpec {
            figure: figure.to_string(),
            at_least: op.higher_is_better(),
            value: target.value,
        };
        let searches: Vec<Task> = (0..POLICIES.len())
            .map(|policy| Task::Size {
                base: base.clone(),
                policy,
                field: path.to_string(),
                target: spec.clone(),
                sample: sample_of(figure),
            })
            .collect();
        spawn_local(async move {
            let sized = run(&p, &searches, progress("Searching under each policy", me)).await;
            if generation.try_get_value() != Some(me) {
                return;
            }
            let sized = match sized {
                Ok(r) => r,
                Err(e) => return status.set(Status::Failed(e)),
            };
            let searched_ms = now_ms() - started;
            let mut answers = vec![Err(String::new()); POLICIES.len()];
            let mut bounds = (0.0, f64::INFINITY);
            let mut made = 0;
            for r in &sized {
                if let TaskResult::Sized {
                    policy,
                    answer,
                    bounds: b,
                    runs,
                    at_answer,
                } = r
                {
                    answers[*policy] = answer.clone();
                    bounds = *b;
                    made += runs;
                    if let (0, Ok(x), Some(s)) = (*policy, answer, at_answer) {
                        to_confirm.set(Some((
                            s.clone(),
                            target.clone(),
                            capacity_text(factor, unit, *x),
                        )));
                    }
                }
            }
            // The lines: the same capacities under every policy, around the answers.
            let found: Vec<f64> = answers
                .iter()
                .filter_map(|a| a.as_ref().ok().copied())
                .collect();
            let (lo, hi) = if found.is_empty() {
                crate::model::sources::RANGES
                    .iter()
                    .find(|r| r.lever == path)
                    .map_or((0.5, 2.0), |r| (r.low, r.high * 4.0))
            } else {
                let lo = found.iter().copied().fold(f64::INFINITY, f64::min) / 1.6;
                let hi = found.iter().copied().fold(0.0, f64::max) * 1.6;
                (lo, hi)
            };
            let values = steps(lo.max(bounds.0), hi.min(bounds.1), FRONTIER_POINTS);
            let lines: Vec<Task> = (0..POLICIES.len())
                .map(|policy| Task::Line {
                    base: base.clone(),
                    policy: Some(policy),
                    field: path.to_string(),
                    values: values.clone(),
                    figure: figure.to_string(),
                    sample: sample_of(figure),
                })
                .collect();
            status.set(Status::Running {
                what: "Drawing the frontier",
                done: 0,
                all: POLICIES.len(),
            });
            let drawn = run(&p, &lines, progress("Drawing the frontier", me)).await;
            if generation.try_get_value() != Some(me) {
                return;
            }
            let drawn = match drawn {
                Ok(r) => r,
                Err(e) => return status.set(Status::Failed(e)),
            };
            let mut run_values = values.clone();
            let mut line_figures = vec![Vec::new(); POLICIES.len()];
            for r in drawn {
                if let TaskResult::Line {
                    policy: Some(policy),
                    values,
                    figures,
                } = r
                {
                    made += figures.len();
                    run_values = values;
                    line_figures[policy] = figures;
                }
            }
            let f = Frontier {
                capacity: capacity.into(),
                unit: unit.into(),
                factor,
                target: target.clone(),
                needed_by_h: base.report.needed_by_h,
                answers,
                values: run_values,
                lines: line_figures,
            };
            frontier_fig.set(Some(frontier::figure(&f)));
            pool.set_value(None);
            let _ = document()
                .get_element_by_id("what-it-takes")
                .map(|e| e.set_attribute("data-search-ms", &format!("{searched_ms:.0}")));
            status.set(Status::Done(format!(
                "{}. {} {} in {:.1} s (the searches {:.1} s), in {} background workers.",
                f.finding(),
                thousands(made as f64),
                runs_called(sample_of(figure)),
                (now_ms() - started) / 1000.0,
                searched_ms / 1000.0,
                worker_count()
            )));
        });
    };
    let sensitivity = move |_| {
        let (figure, _, _) = TARGETS[target_at.get_untracked()];
        let base = scenario.get_untracked();
        let Some((me, p)) = begin() else { return };
        let tasks = tornado_tasks(
            &base,
            figure,
            sample_of(figure),
            worker_count() * TORNADO_PARTS_PER_WORKER,
        );
        tornado_fig.set(None);
        tornado_bars.set(None);
        status.set(Status::Running {
            what: "Running every assumption's range",
            done: 0,
            all: tasks.len(),
        });
        let started = now_ms();
        spawn_local(async move {
            let parts = run(&p, &tasks, progress("Running every assumption's range", me)).await;
            if generation.try_get_value() != Some(me) {
                return;
            }
            let parts = match parts {
                Ok(r) => r,
                Err(e) => return status.set(Status::Failed(e)),
            };
            let (bars, made) = match assemble_tornado(figure, sample_of(figure), &parts) {
                Ok(b) => b,
                Err(e) => return status.set(Status::Failed(e)),
            };
            tornado_fig.set(Some(tornado::figure(&bars, base.report.needed_by_h)));
            tornado_bars.set(Some(bars));
            pool.set_value(None);
            let ms = now_ms() - started;
            let _ = document()
                .get_element_by_id("what-it-takes")
                .map(|e| e.set_attribute("data-tornado-ms", &format!("{ms:.0}")));
            status.set(Status::Done(format!(
                "Every assumption's range: {} {} in {:.1} s, in {} background workers.",
                thousands(made as f64),
                runs_called(sample_of(figure)),
                ms / 1000.0,
                worker_count()
            )));
        });
    };
    let cancel = move |_| {
        stop();
        status.set(Status::Done("Cancelled.".into()));
    };
    let check_at_full_scale = move |_| {
        let Some((s, target, answer)) = to_confirm.get_untracked() else {
            return;
        };
        confirm.set(Confirm::Running(0.0));
        let needed_by_h = s.report.needed_by_h;
        let on_news = move |news: WorkerNews| match news {
            WorkerNews::Progress(p) => confirm.set(Confirm::Running(p)),
            WorkerNews::Done(report) => {
                full_run.set_value(None);
                let h = report.headline();
                let value = crate::model::preview::named_figures(&h)
                    .into_iter()
                    .find(|(name, _)| *name == target.figure)
                    .map_or(f64::NAN, |(_, v)| v);
                let key = KeyFigure::named(target.figure);
                let shown = key.map_or(number(value), |k| k.show_value(value));
                let name = key.map_or(target.figure.to_string(), |k| k.short(needed_by_h));
                confirm.set(Confirm::Done(if target.met(value) {
                    format!("At full scale, {answer} as requested gives {name} {shown}: the target is met.")
                } else {
                    format!("At full scale, {answer} as requested gives {name} {shown}: the target is not met, so the full-scale answer is higher (mp162 size finds it).")
                }));
            }
            WorkerNews::Failed(why) => {
                full_run.set_value(None);
                confirm.set(Confirm::Done(format!(
                    "The full-scale check stopped: {why}."
                )));
            }
        };
        match WorkerRun::start(&s, Rc::new(on_news)) {
            Ok(run) => full_run.set_value(Some(run)),
            Err(e) => confirm.set(Confirm::Done(format!(
                "The full-scale check could not start: {e}."
            ))),
        }
    };
    let confirm_progress = move || match confirm.get() {
        Confirm::Running(p) => p,
        _ => 0.0,
    };
    let running = move || matches!(status.get(), Status::Running { .. });
    let choose_target = move |ev| {
        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
        target_at.set(i.min(TARGETS.len() - 1));
        target_text.set(TARGETS[i.min(TARGETS.len() - 1)].2.to_string());
        target_error.set(None);
    };
    let value_label = move || {
        let (figure, op, _) = TARGETS[target_at.get()];
        let share = KeyFigure::named(figure).is_some_and(|k| k.measure == Measure::Share);
        format!(
            "{} ({})",
            if op.higher_is_better() {
                "At least"
            } else {
                "At most"
            },
            if share { "%" } else { "requests" }
        )
    };
    view! {
        <section class="what-it-takes" aria-labelledby="what-it-takes-heading" id="what-it-takes">
            <h2 class="heading-m" id="what-it-takes-heading">"What would it take?"</h2>
            <p>
                "Find the least capacity that meets a target, under each DCC policy (requests released as asked, "
                "smoothed, or MHHS requests in their own window), from the assumptions above; and see which "
                "assumptions move the figure most. Each run is a preview (1 in "
                {thousands(1.0 / SEARCH_SAMPLE)}
                " meters), whose delivery figures agree with a full run within a point ("
                <a href="#/about">"About"</a>
                "). Near the answer a curve is often flat, so a point there can move the capacity: on the DCC "
                "recommendation, full-scale runs moved the answers by 4% to 16%. "
                <code>"mp162 size"</code>
                " confirms an answer at full scale. On-demand TRT compliance is run at 1 in "
                {thousands(1.0 / crate::model::preview::CLOSER_SAMPLE)}
                " meters instead: its TRTs are seconds, a preview's few slots queue too long for them, and at 1 in 100 it agrees with the full run within a point on every preset. Those runs take longer."
            </p>
            <div class="form-group">
                <label class="label" for="size-target">"Target"</label>
                <select id="size-target" class="select" aria-describedby="size-target-sample" on:change=choose_target>
                    {TARGETS.iter().enumerate().map(|(i, (f, _, _))| view! { <option value=i.to_string()>{move || target_label(f, needed_by())}</option> }).collect_view()}
                </select>
                <p class="hint" id="size-target-sample">{move || {
                    let sample = sample_of(TARGETS[target_at.get()].0);
                    format!("Runs at 1 in {} meters{}.", thousands(1.0 / sample), if sample == SEARCH_SAMPLE { " (a preview)" } else { ", the least sample at which this figure agrees with a full run" })
                }}</p>
            </div>
            <div class="form-group" class:form-group--error=move || target_error.with(Option::is_some)>
                <label class="label" for="size-target-value">{value_label}</label>
                {move || target_error.get().map(|e| view! { <span class="error-message" id="size-target-value-error"><span class="visually-hidden">"Error: "</span>{e}</span> })}
                <input
                    class="input input--width-5"
                    id="size-target-value"
                    type="text"
                    inputmode="decimal"
                    prop:value=move || target_text.get()
                    on:input=move |ev| target_text.set(event_target_value(&ev))
                    aria-describedby=move || target_error.with(|e| e.as_ref().map(|_| "size-target-value-error".to_string()))
                />
            </div>
            <div class="form-group">
                <label class="label" for="size-capacity">"Capacity to find"</label>
                <select id="size-capacity" class="select" on:change=move |ev| capacity_at.set(event_target_value(&ev).parse::<usize>().unwrap_or(0).min(CAPACITIES.len() - 1))>
                    {CAPACITIES.iter().enumerate().map(|(i, (_, what, unit, _))| view! { <option value=i.to_string()>{format!("{what} ({unit})")}</option> }).collect_view()}
                </select>
            </div>
            <p class="button-group">
                <button type="button" class="button" id="size-find" on:click=find prop:disabled=running>"Find the capacity"</button>
                <button type="button" class="button button--secondary" id="size-sensitivity" on:click=sensitivity prop:disabled=running>"Which assumptions move it?"</button>
            </p>
            <div role="status" id="size-status">
                {move || match status.get() {
                    Status::Idle => view! { <span></span> }.into_any(),
                    Status::Running { what, done, all } => view! {
                        <label for="size-progress">{if all > 0 { format!("{what}: {done} of {all} {}", runs_called(sample_of(TARGETS[target_at.get_untracked()].0))) } else { format!("{what}…") }}</label>
                        <progress id="size-progress" max=all.max(1).to_string() value=done.to_string()></progress>
                        " "
                        <button type="button" class="button button--warning button--small" id="size-cancel" on:click=cancel>"Cancel"</button>
                    }.into_any(),
                    Status::Done(text) => view! { <p id="size-done">{text}</p> }.into_any(),
                    Status::Failed(why) => view! { <p id="size-failed" role="alert">{format!("The search stopped: {why}")}</p> }.into_any(),
                }}
            </div>
            <Show when=move || frontier_fig.with(Option::is_some)>
                <ChartFigure figure=frontier_fig id="frontier" />
            </Show>
            <div class="what-it-takes__confirm" role="status" id="size-confirm">
                <Show when=move || to_confirm.with(Option::is_some) && confirm.with(|c| *c == Confirm::Idle)>
                    <p>
                        <button type="button" class="button button--secondary" id="size-confirm-start" on:click=check_at_full_scale>
                            {move || format!("Check {} at full scale (as requested)", to_confirm.with(|c| c.as_ref().map(|c| c.2.clone()).unwrap_or_default()))}
                        </button>
                        " "
                        <span class="hint">"One full-scale run, every meter, in background workers."</span>
                    </p>
                </Show>
                <Show when=move || matches!(confirm.get(), Confirm::Running(_))>
                    <label for="size-confirm-progress">{move || format!("Checking at full scale: {:.0}%", confirm_progress() * 100.0)}</label>
                    <progress id="size-confirm-progress" max="100" value=move || format!("{:.1}", confirm_progress() * 100.0)></progress>
                    " "
                    <button type="button" class="button button--warning button--small" id="size-confirm-cancel" on:click=move |_| { full_run.set_value(None); confirm.set(Confirm::Idle); }>"Cancel"</button>
                </Show>
                <p id="size-confirm-done">{move || match confirm.get() { Confirm::Done(text) => text, _ => String::new() }}</p>
            </div>
            <Show when=move || tornado_fig.with(Option::is_some)>
                <ChartFigure figure=tornado_fig id="tornado" />
            </Show>
            {move || tornado_bars.get().map(|bars| view! {
                <details class="details" id="tornado-all">
                    <summary>{format!("All {} assumptions and their ranges", bars.bars.len())}</summary>
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Table: every assumption's range">
                        <table class="table table--compact" id="tornado-all-table">
                            <caption class="visually-hidden">"Every assumption's plausible range and the figure at each end"</caption>
                            <thead><tr><th scope="col">"Assumption"</th><th scope="col">"Low"</th><th scope="col">"High"</th><th scope="col">"At low"</th><th scope="col">"At high"</th><th scope="col">"Basis"</th></tr></thead>
                            <tbody>
                                {bars.bars.iter().map(|b| {
                                    let key = KeyFigure::named(&bars.figure);
                                    let show = move |v: f64| key.map_or(number(v), |k| k.show_value(v));
                                    view! { <tr>
                                        <td>{b.label.clone()}<br/><code>{b.lever.clone()}</code></td>
                                        <td>{format!("{} {}", number(b.low), b.unit)}</td>
                                        <td>{format!("{} {}", number(b.high), b.unit)}</td>
                                        <td>{show(b.at_low)}</td>
                                        <td>{show(b.at_high)}</td>
                                        <td>{format!("{}: {}", b.basis.label(), b.why)}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </details>
            })}
        </section>
    }
}
