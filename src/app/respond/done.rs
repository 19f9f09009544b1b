//! Confirmation: the response is finished; what happens next (where to send it, by when, how
//! SECAS treats it, from the consultation file); download it as the Word document SECAS asks for,
//! as this app's JSON file (which opens again here), or as Markdown or CSV; or print it.

use std::rc::Rc;

use leptos::prelude::*;

use super::Journey;
use super::answers::AnswersSummary;
use super::files::file_stem;
use crate::app::documents::DocumentButton;
use crate::app::download::save_text;
use crate::consultation::export;
use crate::documents::{DOCX_MIME, response_form};

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
    let word_name = Signal::derive(move || {
        journey
            .response
            .with(|r| response_form::file_name(&file_stem(r)))
    });
    let word_request: Rc<dyn Fn() -> js_sys::Array> = Rc::new(move || {
        js_sys::Array::of2(
            &"response".into(),
            &journey.response.with_untracked(|r| r.to_json()).into(),
        )
    });
    let submission = c.with_value(|c| c.submission.clone());
    let instruction = submission.instruction();
    let source = submission.source.clone();
    let treatment = move || {
        let choice = journey
            .response
            .with(|r| r.value("publication").to_string());
        submission.treatment.get(&choice).cloned().unwrap_or_else(|| {
            "You have not said whether SECAS may publish your response: answer that question in “About you”.".into()
        })
    };
    view! {
        <div class="panel" id="confirmation">
            <h1 class="panel__title">"Your response is ready"</h1>
            <p class="panel__body">{move || match finished() {
                Some(t) => format!("Finished {}", crate::present::format::iso_time(&t)),
                None => "Not finished yet: check your answers first".into(),
            }}</p>
        </div>
        <h2 class="heading-m">"What happens next"</h2>
        <p id="next-send">{instruction}</p>
        <p id="next-treatment">{treatment}</p>
        <p class="hint" id="next-source">{format!("Source: {source}.")}</p>
        <h2 class="heading-m">"Get your response"</h2>
        <p>"The Word document is the response form SECAS works with: your details, a table per question with your position and rationale, and an annex with the model evidence you saw. The JSON file carries the same answers and evidence and opens again in this app."</p>
        <p class="button-group">
            <DocumentButton id="export-docx" label="Download response (Word)" file_name=word_name mime=DOCX_MIME request=word_request primary=true />
            <button type="button" class="button button--secondary" id="export-json" on:click=move |_| save("json")>"Download response (JSON)"</button>
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
