//! The respondents' combined load: their portfolios and schedules merged into one scenario, run
//! through the model and shown with the explorer's charts beside the DCC-recommendation day, with
//! the coverage of GB stated.

use leptos::prelude::*;

use crate::app::charts::{self, view::ChartFigure};
use crate::app::pages::explore::preview;
use crate::consultation::capacity::CapacityFinding;
use crate::consultation::consolidate::Consolidation;
use crate::consultation::consolidated_report::coverage;
use crate::model::report::Headline;
use crate::model::{Report, RunOptions, Scenario, run};
use crate::present::format::thousands;
use crate::present::key_figures::KEY_FIGURES;

/// Meters simulated for the combined run: enough for stable shares, small enough to be quick.
const COMBINED_METERS_SIMULATED: f64 = 15_000.0;

#[derive(Clone, Copy)]
pub struct Combined {
    pub scenario: Memo<Option<Scenario>>,
    pub report: Memo<Option<Report>>,
    pub gb_report: Memo<Report>,
    pub gb: StoredValue<Scenario>,
    /// The capacity the combined load would need, with its tornado, once worked out.
    pub capacity: RwSignal<Option<CapacityFinding>>,
}

impl Combined {
    pub fn new(con: Memo<Consolidation>, gb: Scenario) -> Combined {
        let base = gb.clone();
        let scenario = Memo::new(move |_| con.with(|c| c.combined_scenario(&base)));
        let report = Memo::new(move |_| {
            scenario.with(|s| {
                s.as_ref().map(|s| {
                    let sample = (COMBINED_METERS_SIMULATED / s.population.meters as f64).min(1.0);
                    run(
                        s,
                        RunOptions {
                            sample,
                            series: true,
                            ..Default::default()
                        },
                    )
                })
            })
        });
        let gb_store = StoredValue::new(gb);
        let gb_report = Memo::new(move |_| gb_store.with_value(preview));
        Combined {
            scenario,
            report,
            gb_report,
            gb: gb_store,
            capacity: RwSignal::new(None),
        }
    }

    /// Respondents' and GB headlines and the needed-by time, for the exports.
    pub fn headlines(&self) -> Option<(Headline, Headline, f64)> {
        let r = self.report.get_untracked()?;
        let needed = self
            .scenario
            .with_untracked(|s| s.as_ref().map(|s| s.report.needed_by_h))
            .unwrap_or(7.0);
        Some((
            r.headline(),
            self.gb_report.get_untracked().headline(),
            needed,
        ))
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
                Some(
                    combined
                        .gb_report
                        .with(|r| combined.gb.with_value(|s| charts::by_id(id, r, s))),
                )
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
                                    let g = combined.gb_report.with(|r| r.headline());
                                    KEY_FIGURES.iter().map(|k| view! {
                                        <tr>
                                            <th scope="row">{k.label(needed)}</th>
                                            <td>{r.as_ref().map(|r| k.show(r)).unwrap_or_default()}</td>
                                            <td>{k.show(&g)}</td>
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
