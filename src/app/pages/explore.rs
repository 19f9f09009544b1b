//! Explore: the traffic model's presets and, as the explorer grows, its live impact charts.

use leptos::prelude::*;

use crate::model::presets::PRESETS;

#[component]
pub fn ExplorePage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"Explore the traffic model"</h1>
        <p class="lead">
            "The model simulates a day of DCC request traffic at full GB scale, request by request: "
            "users' schedules, the DCC data service, the CSP regions and SMETS1 Service Provider cohorts, "
            "devices that answer late or not at all, retries, and the proposed S1SP cache."
        </p>
        <div class="inset">
            <p>
                "Live charts and assumption controls are being built. Until then the same model runs on the "
                "command line (" <code>"mp162 run dcc-recommendation"</code> ") and every assumption with its "
                "source is listed on the " <a href="#/about">"About page"</a> "."
            </p>
        </div>
        <h2 class="heading-m">"Starting points"</h2>
        <table class="table">
            <caption class="visually-hidden">"Scenario presets"</caption>
            <thead>
                <tr>
                    <th scope="col">"Preset"</th>
                    <th scope="col">"What it represents"</th>
                </tr>
            </thead>
            <tbody>
                {PRESETS
                    .iter()
                    .map(|p| view! { <tr><td><code>{p.name}</code></td><td>{p.description}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}
