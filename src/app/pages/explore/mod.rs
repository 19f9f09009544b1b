//! Explore: change an assumption and see what it does. Data flows one way: the assumptions (a
//! valid scenario) → a sampled preview, or a full-scale run of that same scenario → the report →
//! key figures, comparison and charts. The scenario also lives in the address, so a link
//! reproduces the view.

mod compare;
pub mod full_run;
pub mod key_figures;
mod preview_worker;
mod replications;
pub mod share;
mod what_it_takes;
mod worker_run;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::app::charts::{self, figure::Figure, view::ChartFigure};
use crate::app::controls::{Assumptions, view::AssumptionControls};
use crate::app::tasks::{AfterPaints, effect_after_ms, effect_in_own_task, yield_now};
use crate::model::presets::{PRESETS, preset};
use crate::model::{Report, RunOptions, Scenario, run};
use crate::present::format::thousands;
use compare::Compare;
use full_run::{FullResult, FullRun};
use key_figures::KeyFigureList;
use preview_worker::{PreviewNews, PreviewWorker};
use replications::Replications;
use what_it_takes::WhatItTakes;

/// Share of meters a live preview simulates: 1 in 2,000 (about 30 ms in a browser), whose
/// delivery and load figures agree with a full run within 0.3 points (see README).
pub const PREVIEW_SAMPLE: f64 = 0.0005;

/// The charts, in the order they are shown.
const CHARTS: [&str; 5] = ["load", "backlog", "delivery", "compliance", "hits"];

pub fn preview(s: &Scenario) -> Report {
    run(
        s,
        RunOptions {
            sample: PREVIEW_SAMPLE,
            series: true,
            ..Default::default()
        },
    )
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// How long after a change the address takes it up: after a preview's usual 60-100 ms.
const ADDRESS_AFTER_MS: u32 = 150;

/// Puts the scenario in the address without a new history entry or a route change.
fn replace_hash(hash: &str) {
    let now = location_hash();
    // Someone may have gone to another page meanwhile: the address is then theirs.
    if now == hash || !now.starts_with("#/explore") {
        return;
    }
    let w = window();
    let base = format!(
        "{}{}",
        w.location().pathname().unwrap_or_default(),
        w.location().search().unwrap_or_default()
    );
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{base}{hash}")));
    }
}

/// The preview of whatever scenario `applied` holds, with the scenario it is of, kept up to date:
/// run in the preview worker ([`preview_worker`]), or on the page in a task of its own if no
/// worker can run (`None` until the first one is in). `ms` gets how long each took. While a
/// preview runs, the one before stays, with its own scenario: a chart never puts a new
/// scenario's labels on an old scenario's figures.
fn previews_of(
    applied: RwSignal<Scenario>,
    ms: RwSignal<f64>,
) -> RwSignal<Option<(Scenario, Report)>> {
    let shown = RwSignal::new(None::<(Scenario, Report)>);
    // The latest scenario asked of the worker, and its number.
    let latest = StoredValue::new(None::<(u64, Scenario)>);
    let worker = StoredValue::new_local(None::<PreviewWorker>);
    // On the page's thread: after a yield, so the change that asked for it has painted.
    let on_page = move || {
        spawn_local(async move {
            yield_now().await;
            let Some(s) = applied.try_get_untracked() else {
                return;
            };
            let t0 = now_ms();
            let r = preview(&s);
            ms.try_set(now_ms() - t0);
            shown.try_set(Some((s, r)));
        })
    };
    let on_news = move |news: PreviewNews| match news {
        PreviewNews::Report {
            asked,
            report,
            ms: took,
        } => {
            // Shown in a task of its own: reading the worker's report and redrawing every view
            // of it would together make one task of over 50 ms.
            spawn_local(async move {
                yield_now().await;
                let of = latest
                    .try_with_value(|l| {
                        l.as_ref()
                            .filter(|(id, _)| *id == asked)
                            .map(|(_, s)| s.clone())
                    })
                    .flatten();
                if let Some(s) = of {
                    ms.try_set(took);
                    shown.try_set(Some((s, report)));
                }
            })
        }
        PreviewNews::Failed(why) => {
            web_sys::console::warn_1(
                &format!("previews run on the page from now on: {why}").into(),
            );
            // Not from inside the worker's own listener: stopped in a task of its own.
            spawn_local(async move {
                worker.try_set_value(None);
                on_page();
            });
        }
    };
    match PreviewWorker::start(PREVIEW_SAMPLE, std::rc::Rc::new(on_news)) {
        Ok(w) => worker.set_value(Some(w)),
        Err(why) => web_sys::console::warn_1(&format!("previews run on the page: {why}").into()),
    }
    // A control that writes back the value it holds sets `applied` without changing it: the
    // memo keeps that from running the same preview again.
    let wanted = Memo::new(move |_| applied.get());
    let ask = move || {
        let Some(s) = wanted.try_get_untracked() else {
            return;
        };
        match worker
            .try_with_value(|w| w.as_ref().map(|w| w.ask(&s)))
            .flatten()
        {
            Some(Ok(id)) => {
                latest.try_set_value(Some((id, s)));
            }
            _ => on_page(),
        }
    };
    // The first preview is asked in a task of its own: at load, with the page's mount, it made
    // one task of over 50 ms. Every later one at once, from the change's own task, so the worker
    // starts while the page is still busy with the change (the worker keeps only the latest ask
    // waiting, and a preview on the page waits for a task of its own anyway).
    Effect::new(move |before: Option<()>| {
        wanted.track();
        if before.is_some() {
            ask();
        } else {
            spawn_local(async move {
                yield_now().await;
                ask();
            });
        }
    });
    on_cleanup(move || {
        worker.try_set_value(None);
    });
    shown
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let link = share::decode(&location_hash());
    let start_name = link
        .as_ref()
        .map(|l| l.preset.clone())
        .unwrap_or_else(|| PRESETS[1].name.to_string());
    let defaults = preset(&start_name).unwrap_or_default();
    let state = Assumptions::new(defaults);
    let link_problems = RwSignal::new(Vec::<String>::new());
    if let Some(l) = link {
        state.applied.set(l.scenario);
        link_problems.set(l.problems);
    }
    let (chosen, set_chosen) = signal(start_name);
    let choose = move |name: String| {
        if let Some(s) = preset(&name) {
            state.start_from(s.clone(), s);
            set_chosen.set(name);
        }
    };
    // The link to this view, worked out once per change for the address and the share box.
    let link_hash = Memo::new(move |_| {
        state
            .applied
            .with(|s| state.defaults.with(|d| share::encode(&chosen.get(), d, s)))
    });
    // Address ← scenario, once the preview has been drawn: setting the address cost the change's
    // task 5-8 ms and the browser's own thread 12-16 ms more, in the way of the preview it asked
    // for. (Not at all once the view has gone: the link is then disposed of.)
    effect_after_ms(
        move || link_hash.track(),
        ADDRESS_AFTER_MS,
        move || async move {
            if let Some(h) = link_hash.try_get_untracked() {
                replace_hash(&h);
            }
        },
    );
    // Scenario ← address, when someone pastes a new link into this page.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = location_hash();
        if link_hash.with_untracked(|current| hash == *current) {
            return;
        }
        if let Some(l) = share::decode(&hash) {
            if let Some(d) = preset(&l.preset) {
                state.start_from(d, l.scenario);
                set_chosen.set(l.preset);
                link_problems.set(l.problems);
            }
        }
    });
    on_cleanup(move || listener.remove());

    let preview_ms = RwSignal::new(0.0);
    let preview_report = previews_of(state.applied, preview_ms);
    let full: RwSignal<FullResult> = RwSignal::new(None);
    // What is shown: the full-scale run of the scenario applied if there is one, else the latest
    // preview; and the scenario it is of (a preview may still be of the one before).
    let full_matches = Memo::new(move |_| {
        full.with(|f| {
            f.as_ref()
                .is_some_and(|(s, _)| state.applied.with(|a| a == s))
        })
    });
    let shown = move || {
        if full_matches.get() {
            full
        } else {
            preview_report
        }
    };
    let report = Memo::new(move |_| shown().with(|x| x.as_ref().map(|(_, r)| r.clone())));
    let report_of = Memo::new(move |_| shown().with(|x| x.as_ref().map(|(s, _)| s.clone())));
    // The charts' figures follow the report, each worked out in a task of its own (and each
    // chart then draws in its own): for a full-scale report, the five in one task would pass 50 ms.
    let figures: [RwSignal<Option<Figure>>; CHARTS.len()] =
        std::array::from_fn(|_| RwSignal::new(None));
    effect_in_own_task(
        move || {
            report.track();
            report_of.track();
        },
        move || async move {
            for (id, slot) in CHARTS.iter().zip(figures) {
                let figure = report.try_with_untracked(|r| {
                    r.as_ref()
                        .zip(report_of.try_get_untracked().flatten())
                        .map(|(r, s)| charts::by_id(id, r, &s))
                });
                let Some(figure) = figure else { return };
                slot.try_set(figure);
                yield_now().await;
            }
        },
    );
    let intervals = RwSignal::new(None::<Vec<(f64, f64)>>);
    let needed_by = Signal::derive(move || state.applied.with(|s| s.report.needed_by_h));
    let mode = move || {
        report.with(|r| match r {
            Some(r) if r.mode == "full" => format!(
                "Full-scale run: every meter, seed {}, {} requests simulated in {:.1} s.",
                r.seed,
                thousands(r.requests.submitted as f64),
                r.wall_seconds
            ),
            Some(r) => preview_note(r.sample, r.seed),
            // Before the first preview comes, what it will say: an empty note that then filled
            // four lines moved the full-scale run's button 90 px down under the pointer.
            None => preview_note(
                1.0 / crate::model::population::stride_for(PREVIEW_SAMPLE) as f64,
                state.applied.with(|s| s.seed),
            ),
        })
    };
    let label = Signal::derive(move || {
        let changed = state.applied.with(|a| {
            state
                .defaults
                .with(|d| crate::model::fields::differences(d, a).len())
        });
        let name = PRESETS
            .iter()
            .find(|p| p.name == chosen.get())
            .map(|p| p.name)
            .unwrap_or("custom");
        let kind = report.with(|r| {
            if r.as_ref().is_some_and(|r| r.mode == "full") {
                "full scale"
            } else {
                "preview"
            }
        });
        if changed == 0 {
            format!("{name} ({kind})")
        } else {
            format!("{name} with {changed} changes ({kind})")
        }
    });
    let chart = move |i: usize| figures[i];
    view! {
        <h1 class="heading-l">"Explore the traffic model"</h1>
        <p class="lead">
            "The model simulates a day of DCC request traffic, request by request: users' schedules, the DCC data "
            "service, the CSP regions and SMETS1 Service Provider cohorts, devices that answer late or not at all, "
            "retries, and the proposed S1SP cache. Change an assumption and the charts follow."
        </p>
        <Show when=move || !link_problems.with(Vec::is_empty)>
            <div class="notification" role="status" id="link-problems">
                <h2 class="heading-s">"Some settings in this link could not be used"</h2>
                <ul>{move || link_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                <button type="button" class="button button--secondary button--small" on:click=move |_| link_problems.set(Vec::new())>"Dismiss"</button>
            </div>
        </Show>
        <div class="explore">
            <div class="explore__controls">
                <AfterPaints paints=1>
                <div class="form-group">
                    <label class="label" for="preset">"Starting point"</label>
                    <select id="preset" class="select" on:change=move |ev| choose(event_target_value(&ev)) prop:value=move || chosen.get()>
                        {PRESETS.iter().map(|p| view! { <option value=p.name>{p.description}</option> }).collect_view()}
                    </select>
                </div>
                // The page mounts in pieces (the top, the controls' top, each group of assumptions,
                // the results), each in a task of its own: in one, it kept the browser busy for over
                // 100 ms at load.
                <AssumptionControls state=state staged=true />
                <div class="form-group">
                    <label class="label" for="share-link">"Link to this view"</label>
                    <span class="hint" id="share-link-hint">"Anyone opening it sees these assumptions. It holds no personal data."</span>
                    <input
                        class="input"
                        id="share-link"
                        readonly
                        aria-describedby="share-link-hint"
                        prop:value=move || {
                            let w = window();
                            format!("{}{}{}", w.location().origin().unwrap_or_default(), w.location().pathname().unwrap_or_default(), link_hash.get())
                        }
                    />
                </div>
                </AfterPaints>
            </div>
            <div class="explore__results">
                // With the controls: on a narrow screen the results come below them, and a heading
                // shown before them was pushed down the screen when they came.
                <AfterPaints paints=1>
                <h2 class="heading-m">"Results"</h2>
                </AfterPaints>
                <AfterPaints paints=3>
                <p class="hint" id="preview-note" data-preview-ms=move || format!("{:.1}", preview_ms.get())>{mode}</p>
                <FullRun scenario=state.applied result=full />
                <Replications scenario=state.applied intervals=intervals />
                <KeyFigureList report=report needed_by_h=needed_by intervals=intervals />
                </AfterPaints>
                // The results in three pieces: in one, a task of 40-65 ms at load.
                <AfterPaints paints=4>
                <Compare current=report label=label needed_by_h=needed_by />
                <h2 class="heading-m">"Charts"</h2>
                <ChartFigure figure=chart(0) id="load" />
                <ChartFigure figure=chart(1) id="backlog" />
                </AfterPaints>
                <AfterPaints paints=5>
                <ChartFigure figure=chart(2) id="delivery" />
                <ChartFigure figure=chart(3) id="compliance" />
                <ChartFigure figure=chart(4) id="hits" />
                <WhatItTakes scenario=state.applied />
                <p class="hint">
                    "Every assumption and its source is listed on the " <a href="#/about">"About page"</a>
                    "; the same model runs on the command line (" <code>"mp162 run dcc-recommendation"</code> ")."
                </p>
                </AfterPaints>
            </div>
        </div>
    }
}

/// What the results say of a preview run at `sample` with `seed`.
fn preview_note(sample: f64, seed: u64) -> String {
    format!(
        "Preview: 1 in {} meters, capacities scaled to match, seed {seed}. Figures are scaled to GB; those a preview cannot show honestly (waits, on-demand TRT compliance, the last completion) say \u{201c}needs a full-scale run\u{201d}.",
        thousands(1.0 / sample)
    )
}
