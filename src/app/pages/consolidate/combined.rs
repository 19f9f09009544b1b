//! The respondents' combined load: their portfolios and schedules merged into one scenario, run
//! through the model (in background workers) and shown with the explorer's charts beside the
//! DCC-recommendation day, with the coverage of GB stated.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::charts::{self, view::ChartFigure};
use crate::app::pages::explore::PREVIEW_SAMPLE;
use crate::app::shared_pool::SharedPool;
use crate::consultation::capacity::CapacityFinding;
use crate::consultation::consolidate::Consolidation;
use crate::consultation::consolidated_report::coverage;
use crate::model::report::Headline;
use crate::model::sizing::tasks::Task;
use crate::model::{Report, Scenario};
use crate::present::format::thousands;
use crate::present::key_figures::KEY_FIGURES;

/// Meters simulated for the combined run: enough for stable shares, small enough to be quick.
const COMBINED_METERS_SIMULATED: f64 = 15_000.0;

thread_local! {
    /// The background workers that make Consolidate's runs, off the page's thread.
    static RUNS: Rc<SharedPool> = Rc::default();
}

#[derive(Clone, Copy)]
pub struct Combined {
    pub scenario: Memo<Option<Scenario>>,
    /// The combined scenario's run, once made.
    pub report: RwSignal<Option<Report>>,
    /// The DCC recommendation's preview beside it, once made.
    pub gb_report: RwSignal<Option<Report>>,
    pub gb: StoredValue<Scenario>,
    /// The capacity the combined load would need, with its tornado, once worked out.
    pub capacity: RwSignal<Option<CapacityFinding>>,
}

/// A run of `s` with its minute-by-minute series, at `sample`.
fn run_task(s: &Scenario, sample: f64) -> Task {
    Task::Run {
        base: s.clone(),
        sample,
        series: true,
    }
}

impl Combined {
    pub fn new(con: Memo<Consolidation>, gb: Scenario) -> Combined {
        let base = gb.clone();
        let scenario = Memo::new(move |_| con.with(|c| c.combined_scenario(&base)));
        let report = RwSignal::new(None);
        let gb_report = RwSignal::new(None::<Report>);
        let gb_store = StoredValue::new(gb);
        let asked = StoredValue::new(0u64);
        // Each new combined scenario is run (with the GB preview beside it, the first time).
        Effect::new(move |_| {
            let s = scenario.get();
            let n = asked.get_value() + 1;
            asked.set_value(n);
            report.set(None);
            let Some(s) = s else {
                return;
            };
            let gb_needed = gb_report.with_untracked(Option::is_none);
            spawn_local(async move {
                let current = move || asked.try_get_value() == Some(n);
                let sample = (COMBINED_METERS_SIMULATED / s.population.meters as f64).min(1.0);
                let mut runs = vec![run_task(&s, sample)];
                if gb_needed {
                    runs.push(gb_store.with_value(|g| run_task(g, PREVIEW_SAMPLE)));
                }
                let pool = RUNS.with(Rc::clone);
                let Some(made) = pool.reports(runs, current).await else {
                    return;
                };
                let mut made = made.into_iter();
                report.set(made.next());
                if gb_needed {
                    gb_report.set(made.next());
                }
            });
        });
        Combined {
            scenario,
            report,
            gb_report,
            gb: gb_store,
            capacity: RwSignal::new(None),
        }
    }

    /// Respondents' and GB headlines and the needed-by time, for the exports (`None` until both
    /// runs are made).
    pub fn headlines(&self) -> Option<(Headline, Headline, f64)> {
        let r = self.report.get_untracked()?;
        let g = self.gb_report.get_untracked()?;
        let needed = self
            .scenario
            .with_untracked(|s| s.as_ref().map(|s| s.report.needed_by_h))
            .unwrap_or(7.0);
        Some((r.headline(), g.headline(), needed))
    }
}

#[component]
pub fn CombinedLoad(combined: Combined) -> impl IntoView {
    let chart = move |id: &'static str, respondents: bool| {
        Signal::derive(move || {
            if respondents {
                combined.report.with(|r| {
                    r.as_ref().and_then(|r| {
                        combined
                            .scenario
                            .with(|s| s.as_ref().map(|s| charts::by_id(id, r, s)))
                    })
                })
            } else {
                combined.gb_report.with(|r| {
                    r.as_ref()
                        .map(|r| combined.gb.with_value(|s| charts::by_id(id, r, s)))
                })
            }
        })
    };
    view! {
        <h2 class="heading-m">"The respondents' combined load on the DCC"</h2>
        <h3 class="heading-s">"The capacity it would need"</h3>
        <crate::app::capacity_needed::CapacityNeeded scenario=combined.scenario id="combined" whose="the respondents’ combined" tornado=true on_found=Callback::new(move |f| combined.capacity.set(f)) />
        {move || match combined.scenario.get() {
            None => view! { <p id="combined-none">"No respondent has given a portfolio yet, so there is no combined load to show."</p> }.into_any(),
            Some(s) => {
                let needed = s.report.needed_by_h;
                view! {
                    <p class="hint">
                        {format!(
                            "Their meters, schedule windows (the widest of theirs), needed-by time (the earliest: {}) and agents' share as one scenario, on the GB DCC's capacities without other users' traffic; {} meters simulated, scaled up.",
                            crate::present::format::clock(needed),
                            thousands(COMBINED_METERS_SIMULATED.min(s.population.meters as f64))
                        )}
                    </p>
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Key figures: respondents combined and the DCC recommendation">
                        <table class="table table--compact" id="combined-table">
                            <caption class="visually-hidden">"Key figures: respondents combined against the DCC recommendation for GB"</caption>
                            <thead><tr><th scope="col">"Key figure"</th><th scope="col">"Respondents combined"</th><th scope="col">"DCC recommendation (GB)"</th></tr></thead>
                            <tbody>
                                {move || {
                                    let r = combined.report.get().map(|r| r.headline());
                                    let g = combined.gb_report.with(|r| r.as_ref().map(|r| r.headline()));
                                    KEY_FIGURES.iter().map(|k| view! {
                                        <tr>
                                            <th scope="row">{k.label(needed)}</th>
                                            <td>{r.as_ref().map(|r| k.show(r)).unwrap_or_default()}</td>
                                            <td>{g.as_ref().map(|g| k.show(g)).unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                    <div class="side-by-side">
                        <div><h3 class="heading-s">"Respondents combined"</h3><ChartFigure figure=chart("load", true) id="combined-load" /></div>
                        <div><h3 class="heading-s">"DCC recommendation (GB)"</h3><ChartFigure figure=chart("load", false) id="gb-load" /></div>
                        <div><ChartFigure figure=chart("delivery", true) id="combined-delivery" /></div>
                        <div><ChartFigure figure=chart("delivery", false) id="gb-delivery" /></div>
                    </div>
                }
                .into_any()
            }
        }}
    }
}

/// The coverage sentence (shown above the combined figures).
#[component]
pub fn Coverage(con: Memo<Consolidation>) -> impl IntoView {
    view! {
        <p id="coverage-sentence">{move || con.with(coverage)}</p>
        <p id="expected-volume">{move || con.with(|c| format!("The respondents expect to send {} MHHS requests a day in all.", thousands(c.expected_requests_per_day() as f64)))}</p>
    }
}
