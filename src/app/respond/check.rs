//! Check your answers: everything on one page with "Change" links, then finish.

use leptos::prelude::*;

use super::answers::AnswersSummary;
use super::{Journey, Page, go, now_iso};
use crate::consultation::response::Status;

#[component]
pub fn CheckPage(journey: Journey) -> impl IntoView {
    let c = journey.consultation;
    let incomplete = move || {
        journey.response.with(|r| {
            c.with_value(|c| {
                c.sections
                    .iter()
                    .filter(|s| r.status(s) != Status::Completed)
                    .map(|s| (s.id.clone(), s.title.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let finish = move |_| {
        if !incomplete().is_empty() {
            return;
        }
        journey.update(|r| r.finished = Some(now_iso()));
        go(&Page::Done);
    };
    view! {
        <a class="back-link" href="#/respond">"Back"</a>
        <h1 class="heading-l">"Check your answers before finishing your response"</h1>
        {move || {
            let missing = incomplete();
            (!missing.is_empty()).then(|| view! {
                <div class="notification notification--warning" role="status" id="incomplete">
                    <p>"These sections are not complete yet:"</p>
                    <ul class="list-bullet">
                        {missing.into_iter().map(|(id, title)| view! { <li><a href=Page::Section { id, from_check: true }.href()>{title}</a></li> }).collect_view()}
                    </ul>
                </div>
            })
        }}
        <AnswersSummary journey=journey with_change_links=true />
        <h2 class="heading-m">"Now finish your response"</h2>
        <p>"Finishing records the time and takes you to your response files: JSON for SECAS, a Markdown copy, a spreadsheet (CSV) of your answers, and a printable page. You can still change answers afterwards and export again."</p>
        <button type="button" class="button" id="finish" on:click=finish prop:disabled=move || !incomplete().is_empty()>"Finish and get your response files"</button>
    }
}
