//! Confirmation: the response is finished; download it in every format, or print it (to PDF) with
//! a real title and headings.

use leptos::prelude::*;

use super::Journey;
use super::answers::AnswersSummary;
use super::files::file_stem;
use crate::app::download::save_text;
use crate::consultation::export;

#[component]
pub fn DonePage(journey: Journey) -> impl IntoView {
    let c = journey.consultation;
    let save = move |kind: &'static str| {
        let (stem, text) = journey.response.with_untracked(|r| {
            let stem = file_stem(r);
            let text = c.with_value(|c| match kind {
                "md" => export::markdown(r, c),
                "csv" => export::csv(r, c),
                _ => r.to_json(),
            });
            (stem, text)
        });
        let mime = match kind {
            "md" => "text/markdown",
            "csv" => "text/csv",
            _ => "application/json",
        };
        let _ = save_text(&format!("{stem}.{kind}"), mime, &text);
    };
    let org = move || {
        journey
            .response
            .with(|r| r.value("organisation").to_string())
    };
    let finished = move || journey.response.with(|r| r.finished.clone());
    view! {
        <div class="panel" id="confirmation">
            <h1 class="panel__title">"Your response is ready"</h1>
            <p class="panel__body">{move || match finished() {
                Some(t) => format!("Finished {}", crate::present::format::iso_time(&t)),
                None => "Not finished yet: check your answers first".into(),
            }}</p>
        </div>
        <h2 class="heading-m">"Get your response"</h2>
        <p>"Send the JSON file to SECAS: it carries your answers and the model evidence you saw, and opens again in this app."</p>
        <p class="button-group">
            <button type="button" class="button" id="export-json" on:click=move |_| save("json")>"Download response (JSON)"</button>
            <button type="button" class="button button--secondary" id="export-md" on:click=move |_| save("md")>"Download as Markdown"</button>
            <button type="button" class="button button--secondary" id="export-csv" on:click=move |_| save("csv")>"Download answers (CSV)"</button>
            <button type="button" class="button button--secondary" id="print" on:click=move |_| { let _ = window().print(); }>"Print or save as PDF"</button>
        </p>
        <p><a href="#/respond">"Back to your response"</a></p>
        <div class="printable" id="printable-response">
            <h2 class="heading-l">{move || format!("Response to the MP162 Refinement Consultation from {}", org())}</h2>
            <AnswersSummary journey=journey with_change_links=false />
        </div>
    }
}
