//! The evidence beside a technical question: each option run through the traffic model for GB
//! and for a GB shaped like the respondent's portfolio, as a table of key figures and a chart per
//! option. The runs are made in background workers, so the page's thread stays free (where
//! workers cannot start, on the page one at a time, yielding to the browser between them); GB
//! runs are the same for everyone and are kept for the session. Once the respondent has
//! answered, what they saw is stored with the answer.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Journey;
use crate::app::charts::{self, view::ChartFigure};
use crate::app::shared_pool::SharedPool;
use crate::app::task_pool::{TaskPool, worker_count};
use crate::consultation::evidence::{
    Comparison, EVIDENCE_SAMPLE, Evidence, assemble, choice_task, option_scenario,
};
use crate::consultation::portfolio;
use crate::consultation::robustness::{self, Robustness};
use crate::model::presets::preset;
use crate::model::report::Headline;
use crate::model::sizing::tasks::assemble_tornado;
use crate::model::sizing::tornado::Bars;
use crate::model::{Report, Scenario};
use crate::present::key_figures::KEY_FIGURES;

thread_local! {
    /// GB runs per (comparison, option): the same for every respondent.
    static GB_RUNS: RefCell<HashMap<(String, usize), Report>> = RefCell::new(HashMap::new());
    /// GB robustness checks per comparison: the same for every respondent.
    static ROBUST: RefCell<HashMap<String, Robustness>> = RefCell::new(HashMap::new());
    /// The tornado ranking the assumptions per figure, on GB: the same for every respondent.
    static RANKING: RefCell<HashMap<&'static str, Bars>> = RefCell::new(HashMap::new());
    /// The background workers the robustness checks share, one check at a time.
    static CHECKS: Rc<SharedPool> = Rc::default();
    /// The background workers the panels' runs share, one panel's runs at a time.
    static RUNS: Rc<SharedPool> = Rc::default();
}

/// The tornado that ranks the assumptions for `figure` (the same for every comparison of that
/// figure), then the check of `c`'s options at the ends of the ones that matter most.
async fn check(pool: &TaskPool, c: &'static Comparison, gb: &Scenario) -> Option<Robustness> {
    let ranking = match RANKING.with(|m| m.borrow().get(c.figure).cloned()) {
        Some(r) => r,
        None => {
            let parts = robustness::ranking_tasks(c.figure, gb, worker_count() * 2);
            let results = pool.run(&parts, Rc::new(|_, _| {})).await.ok()?;
            let (bars, _) = assemble_tornado(c.figure, EVIDENCE_SAMPLE, &results).ok()?;
            RANKING.with(|m| m.borrow_mut().insert(c.figure, bars.clone()));
            bars
        }
    };
    let levers = robustness::levers(c, gb, &ranking);
    let results = pool
        .run(&robustness::tasks(c, gb, &levers), Rc::new(|_, _| {}))
        .await
        .ok()?;
    robustness::assemble(c, gb, &levers, ranking.bars.len(), &results)
}

/// Whether `c`'s better option stays better across the plausible ranges (in the background
/// workers, one comparison at a time page-wide); `None` if workers cannot run here.
async fn robustness_of(c: &'static Comparison, gb: &Scenario) -> Option<Robustness> {
    if let Some(r) = ROBUST.with(|m| m.borrow().get(c.id).cloned()) {
        return Some(r);
    }
    let checks = CHECKS.with(Rc::clone);
    let result = checks
        .with(|pool| async move { check(&pool, c, gb).await })
        .await;
    if let Some(r) = &result {
        ROBUST.with(|m| m.borrow_mut().insert(c.id.to_string(), r.clone()));
    }
    result
}

/// Each option's GB report (with series, for its chart) and, given a portfolio, its headline
/// there: from the session's store, else made in the background workers (on the page where
/// none can start). `None` once `current` says a newer request has replaced this one.
async fn option_runs(
    c: &'static Comparison,
    gb: &Scenario,
    portfolio: Option<&Scenario>,
    current: impl Fn() -> bool,
) -> Option<(Vec<Report>, Vec<Option<Headline>>)> {
    let key = |i: usize| (c.id.to_string(), i);
    let stored = |i: usize| GB_RUNS.with(|m| m.borrow().get(&key(i)).cloned());
    // The tasks: the GB runs not yet stored, in order, then each option on the portfolio.
    let missing: Vec<usize> = (0..c.choices.len())
        .filter(|&i| stored(i).is_none())
        .collect();
    let mut tasks: Vec<_> = missing
        .iter()
        .map(|&i| choice_task(gb, &c.choices[i], true))
        .collect();
    if let Some(p) = portfolio {
        tasks.extend(c.choices.iter().map(|choice| choice_task(p, choice, false)));
    }
    let runs = RUNS.with(Rc::clone);
    let mut made = runs.reports(tasks, &current).await?.into_iter();
    for &i in &missing {
        let r = made.next()?;
        GB_RUNS.with(|m| m.borrow_mut().insert(key(i), r));
    }
    let reports = (0..c.choices.len())
        .map(stored)
        .collect::<Option<Vec<Report>>>()?;
    let headlines = match portfolio {
        Some(_) => made.map(|r| Some(r.headline())).collect(),
        None => vec![None; c.choices.len()],
    };
    Some((reports, headlines))
}

fn gb_scenario() -> Scenario {
    preset("dcc-recommendation").unwrap_or_default()
}

#[derive(Clone, PartialEq)]
struct Shown {
    evidence: Evidence,
    reports: Vec<Report>,
}

#[component]
pub fn EvidencePanel(comparison: String, question: String, journey: Journey) -> impl IntoView {
    let Some(c) = crate::consultation::evidence::comparison(&comparison) else {
        return view! { <p class="hint">"No evidence is available for this question."</p> }
            .into_any();
    };
    let gb = gb_scenario();
    let portfolio_scenario = Memo::new({
        let gb = gb.clone();
        move |_| journey.response.with(|r| portfolio::scenario(r, &gb))
    });
    let shown = RwSignal::new(None::<Shown>);
    let checking = RwSignal::new(false);
    let generation = StoredValue::new(0u32);
    // Re-run when the portfolio changes; a newer run makes an older one stop.
    Effect::new({
        let gb = gb.clone();
        move |_| {
            let p = portfolio_scenario.get();
            let run_id = generation.get_value() + 1;
            generation.set_value(run_id);
            let gb = gb.clone();
            spawn_local(async move {
                let current = move || generation.try_get_value() == Some(run_id);
                let Some((reports, headlines)) = option_runs(c, &gb, p.as_ref(), current).await
                else {
                    return;
                };
                let evidence = assemble(c, &gb, p.as_ref(), &reports, &headlines);
                shown.set(Some(Shown { evidence, reports }));
                checking.set(true);
                let r = robustness_of(c, &gb).await;
                if generation.try_get_value() != Some(run_id) {
                    return;
                }
                checking.set(false);
                if let Some(r) = r {
                    shown.update(|s| {
                        if let Some(s) = s {
                            s.evidence.robustness = Some(r);
                        }
                    });
                }
            });
        }
    });
    // Once answered, the answer carries the evidence its author saw.
    Effect::new({
        let question = question.clone();
        move |_| {
            let answered = journey.response.with(|r| !r.value(&question).is_empty());
            let Some(e) = shown.with(|s| s.as_ref().map(|s| s.evidence.clone())) else {
                return;
            };
            if answered
                && journey
                    .response
                    .with_untracked(|r| r.evidence.get(&question) != Some(&e))
            {
                let q = question.clone();
                journey.update(move |r| {
                    r.evidence.insert(q, e);
                });
            }
        }
    });
    let needed = gb.report.needed_by_h;
    let q_table = question.clone();
    let table = move || {
        let question = q_table.clone();
        shown.with(|s| {
            let s = s.as_ref()?;
            let e = &s.evidence;
            let has_portfolio = e.options.iter().any(|o| o.portfolio.is_some());
            Some(view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Key figures: {}", c.title)>
                    <table class="table table--compact evidence__table" id=format!("evidence-{question}-table")>
                        <caption class="visually-hidden">{format!("Key figures for each option: {}", c.title)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Key figure"</th>
                                {e.options.iter().map(|o| view! {
                                    <th scope="col">{o.option.clone()} <span class="evidence__scope">" – GB"</span></th>
                                    {has_portfolio.then(|| view! { <th scope="col">{o.option.clone()} <span class="evidence__scope">" – your portfolio"</span></th> })}
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {KEY_FIGURES.iter().map(|k| view! {
                                <tr>
                                    <th scope="row">{k.label(needed)}</th>
                                    {e.options.iter().map(|o| view! {
                                        <td>{k.show(&o.gb)}</td>
                                        {o.portfolio.as_ref().map(|p| view! { <td>{k.show(p)}</td> })}
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })
        })
    };
    let note = move || {
        if portfolio_scenario.with(Option::is_some) {
            "“Your portfolio” is GB shaped like the meters, schedule window and needed-by time you gave: every meter at GB scale, so queues are as busy as GB's.".to_string()
        } else {
            "Answer “Your portfolio and current practice” to see your own portfolio here too."
                .to_string()
        }
    };
    let q_charts = question.clone();
    let charts_view = move || {
        let question = q_charts.clone();
        shown.with(|s| {
            let s = s.as_ref()?;
            Some(
                c.choices
                    .iter()
                    .zip(&s.reports)
                    .enumerate()
                    .map(|(i, (choice, report))| {
                        let fig = charts::by_id(
                            c.chart,
                            report,
                            &option_scenario(&gb_scenario(), choice),
                        );
                        let signal = Signal::derive(move || Some(fig.clone()));
                        view! {
                            <h4 class="heading-s">{format!("GB with “{}”", choice.label)}</h4>
                            <ChartFigure figure=signal id=format!("ev-{}-{i}", question) />
                        }
                    })
                    .collect_view(),
            )
        })
    };
    view! {
        <section class="evidence" aria-labelledby=format!("evidence-{}-heading", question) id=format!("evidence-{question}")>
            <h3 class="heading-s" id=format!("evidence-{}-heading", question)>"Evidence from the traffic model: " {c.title}</h3>
            <p class="hint">
                {move || if shown.with(Option::is_some) {
                    format!("Preview runs, 1 in 2,000 meters, seed {}, scaled to GB; figures a preview cannot show honestly say \u{201c}needs a full-scale run\u{201d} (run them in Explore). ", gb_scenario().seed)
                } else {
                    "Running the model for each option…".to_string()
                }}
                {note}
            </p>
            <p class="evidence__summary" id=format!("evidence-{question}-summary")>{move || shown.with(|s| {
                s.as_ref().map(|s| crate::consultation::evidence::differences_in_words(&s.evidence)).unwrap_or_default()
            })}</p>
            {table}
            <p class="evidence__robust" id=format!("evidence-{question}-robust") aria-live="polite">{move || {
                let labels: Vec<&str> = c.choices.iter().map(|ch| ch.label).collect();
                match shown.with(|s| s.as_ref().and_then(|s| s.evidence.robustness.clone())) {
                    Some(r) => format!("{} (GB, preview runs with each assumption at the low and the high end of its plausible range: the route capacities no source gives, and {}.)", r.sentence(&labels, needed), r.chosen()),
                    None if checking.get() => "Checking whether this holds across the plausible ranges of the DSP’s throughput, CSP in-flight slots, S1SP rates and the three assumptions that move this figure most…".to_string(),
                    None => String::new(),
                }
            }}</p>
            <details class="details">
                <summary>"Charts of each option"</summary>
                <div class="details__body">{charts_view}</div>
            </details>
        </section>
    }
    .into_any()
}
