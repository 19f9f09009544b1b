//! Explore: pick a starting point and see a live preview of the traffic model: key figures and
//! the load over the day. Assumption controls, more charts and full-scale runs build on this.

use leptos::prelude::*;

use crate::app::charts::load;
use crate::model::presets::{PRESETS, preset};
use crate::model::{Report, RunOptions, Scenario, run};

/// Share of meters a live preview simulates: 1 in 2,000 (about 30 ms in a browser), whose
/// delivery and load figures agree with a full run within 0.3 points (see README).
pub const PREVIEW_SAMPLE: f64 = 0.0005;

fn preview(s: &Scenario) -> Report {
    run(s, RunOptions { sample: PREVIEW_SAMPLE, series: true })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let (chosen, set_chosen) = signal(PRESETS[1].name.to_string());
    let scenario = Memo::new(move |_| preset(&chosen.get()));
    let report = Memo::new(move |_| scenario.get().map(|s| preview(&s)));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let (draws, set_draws) = signal(0u32);
    Effect::new(move |_| {
        if let (Some(r), Some(s), Some(c)) = (report.get(), scenario.get_untracked(), canvas.get()) {
            if load::draw(&c, &r, &s.report.working_hours).is_ok() {
                set_draws.update(|n| *n += 1);
            }
        }
    });
    let figure = move |f: fn(&Report) -> String| move || report.get().map(|r| f(&r)).unwrap_or_default();
    view! {
        <h1 class="heading-l">"Explore the traffic model"</h1>
        <p class="lead">
            "The model simulates a day of DCC request traffic, request by request: users' schedules, the DCC data "
            "service, the CSP regions and SMETS1 Service Provider cohorts, devices that answer late or not at all, "
            "retries, and the proposed S1SP cache."
        </p>
        <div class="form-group">
            <label class="label" for="preset">"Starting point"</label>
            <select
                id="preset"
                class="select"
                on:change=move |ev| set_chosen.set(event_target_value(&ev))
                prop:value=move || chosen.get()
            >
                {PRESETS.iter().map(|p| view! { <option value=p.name>{p.description}</option> }).collect_view()}
            </select>
        </div>
        <p class="hint" id="preview-note">
            "Preview: 1 in 2,000 meters, capacities scaled to match, seed 1. Figures are scaled to GB."
        </p>
        <dl class="summary-list" id="key-figures">
            <div class="summary-list__row">
                <dt>"Requests in the day and its spill into D+1"</dt>
                <dd id="fig-submitted">{figure(|r| load::thousands(r.requests.submitted as f64))}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"Peak load on the DCC data service"</dt>
                <dd id="fig-peak">{figure(|r| format!("{} requests/s at {}", load::thousands(r.peak_requests_per_second), load::clock(r.peak_at_h)))}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"MHHS data delivered by 07:00"</dt>
                <dd id="fig-by-needed">{figure(|r| pct(r.key_figures.mhhs_delivered_by_needed_by))}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"MHHS data delivered by the end of D+1"</dt>
                <dd id="fig-by-d1">{figure(|r| pct(r.key_figures.mhhs_delivered_by_end_of_d1))}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"MHHS requests sent in working hours"</dt>
                <dd id="fig-working">{figure(|r| load::thousands(r.key_figures.mhhs_requests_in_working_hours as f64))}</dd>
            </div>
        </dl>
        <figure class="chart">
            <figcaption class="heading-s" id="load-chart-title">{figure(load::title)}</figcaption>
            <canvas
                id="load-chart"
                width=load::WIDTH.to_string()
                height=load::HEIGHT.to_string()
                node_ref=canvas
                role="img"
                aria-label=figure(load::title)
                aria-describedby="load-chart-desc"
                data-draws=move || draws.get().to_string()
            ></canvas>
            <p class="hint" id="load-chart-desc">{figure(load::description)}</p>
            <p>
                <button type="button" class="button button--secondary" id="load-chart-csv" on:click=move |_| {
                    if let Some(r) = report.get_untracked() {
                        let _ = crate::app::download::save_text("dcc-load-by-route.csv", "text/csv", &load::csv(&r));
                    }
                }>"Download data (CSV)"</button>
            </p>
            <details class="details">
                <summary>"Show as table"</summary>
                <table class="table table--compact" id="load-chart-table">
                    <caption>"Requests per second by route, hourly averages"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Hour from 00:00 on D"</th>
                            {load::route_labels().into_iter().map(|l| view! { <th scope="col" class="numeric">{l}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {move || report.get().map(|r| load::hourly_table(&r).into_iter().map(|(h, row)| view! {
                            <tr>
                                <th scope="row">{load::clock(h as f64)}</th>
                                {row.into_iter().map(|x| view! { <td class="numeric">{load::thousands(x)}</td> }).collect_view()}
                            </tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </details>
        </figure>
        <div class="inset">
            <p>
                "Assumption controls, more charts and full-scale runs are on the way. Every assumption and its source "
                "is listed on the " <a href="#/about">"About page"</a> "; the same model runs on the command line ("
                <code>"mp162 run dcc-recommendation"</code> ")."
            </p>
        </div>
    }
}
