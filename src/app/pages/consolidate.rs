//! Consolidate: the code administrator's view of many responses.

use leptos::prelude::*;

#[component]
pub fn ConsolidatePage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"Consolidate responses"</h1>
        <p class="lead">
            "For the code administrator: load the response files you received, see the answers to each question "
            "by respondent role, and run the combined portfolios through the traffic model."
        </p>
        <div class="inset">
            <p>"Loading responses needs the response file format, which comes with the respondent journey. "
            "Files you load will be read in this browser only."</p>
        </div>
    }
}
