//! The start page: what the tool is for and the three things it does.

use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <h1 class="heading-xl">"MP162: collecting half-hourly data through the DCC"</h1>
        <p class="lead">
            "Market-wide half-hourly settlement (MHHS) needs half-hourly consumption data from about 30 million "
            "smart electricity meters, fetched through the DCC. SEC modification MP162 asks the industry how. "
            "This tool lets you see what each option does to DCC traffic and answer the consultation with that evidence."
        </p>
        <ul class="card-list">
            <li class="card">
                <h2 class="heading-m"><a href="#/explore">"Explore the traffic model"</a></h2>
                <p>"Change an assumption (scheduling windows, the S1SP cache, SR 4.2, collection strategy) and see the load on DCC, your data's arrival time and the effect on daytime work."</p>
            </li>
            <li class="card">
                <h2 class="heading-m"><a href="#/respond">"Respond to the consultation"</a></h2>
                <p>"Answer the MP162 questions with the model's evidence for your own portfolio. Your answers save in this browser as you go."</p>
            </li>
            <li class="card">
                <h2 class="heading-m"><a href="#/consolidate">"Consolidate responses"</a></h2>
                <p>"For the code administrator: load many responses and see the combined answers and the combined load on DCC."</p>
            </li>
        </ul>
        <p>
            "Nothing you enter leaves your browser. "
            <a href="#/about">"Read about the model, its assumptions and their sources"</a>"."
        </p>
    }
}
