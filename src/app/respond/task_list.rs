//! The start of the journey and the place to come back to: each section with its status, then
//! checking and finishing, and the draft tools (download, open, start again).

use leptos::prelude::*;

use super::files::DraftFiles;
use super::{Journey, Page};
use crate::consultation::response::Status;

#[component]
pub fn TaskList(journey: Journey) -> impl IntoView {
    let c = journey.consultation;
    let sections = c.with_value(|c| c.sections.clone());
    let completed = move || {
        journey.response.with(|r| {
            c.with_value(|c| {
                c.sections
                    .iter()
                    .filter(|s| r.status(s) == Status::Completed)
                    .count()
            })
        })
    };
    let total = sections.len();
    let ready = move || {
        journey
            .response
            .with(|r| c.with_value(|c| r.ready_to_check(c)))
    };
    view! {
        <h1 class="heading-l">"Respond to the MP162 consultation"</h1>
        <p class="lead">{c.with_value(|c| c.summary.clone())}</p>
        <Show when=move || journey.load_problem.with(Option::is_some)>
            <div class="notification notification--warning" role="alert" id="load-problem">
                <h2 class="heading-s">"A saved draft could not be read"</h2>
                <p>{move || journey.load_problem.get().unwrap_or_default()}</p>
                <p><button type="button" class="button button--secondary" id="download-unreadable" on:click=move |_| {
                    if let Some(text) = c.with_value(super::storage::unreadable) {
                        let _ = crate::app::download::save_text("mp162-unreadable-draft.txt", "text/plain", &text);
                    }
                }>"Download the unreadable draft"</button></p>
            </div>
        </Show>
        <p class="hint">
            "Your answers are saved in this browser as you go, and nothing leaves it. To share a draft with colleagues, download it and send them the file; they open it here."
        </p>
        <h2 class="heading-m">"Your response"</h2>
        <p id="progress">{move || format!("You have completed {} of {} sections.", completed(), total)}</p>
        <ul class="task-list" id="task-list">
            {sections.into_iter().map(|s| {
                let href = Page::Section { id: s.id.clone(), from_check: false }.href();
                let status_id = format!("status-{}", s.id);
                let title = s.title.clone();
                let status = Signal::derive(move || journey.response.with(|r| r.status(&s)));
                view! {
                    <li class="task-list__item">
                        <a class="task-list__link" href=href aria-describedby=status_id.clone()>{title}</a>
                        <strong class=move || format!("tag task-list__status {}", tag_class(status.get())) id=status_id>{move || status.get().label()}</strong>
                    </li>
                }
            }).collect_view()}
            <li class="task-list__item">
                {move || if ready() {
                    view! { <a class="task-list__link" href="#/respond/check" aria-describedby="status-check">"Check your answers and finish"</a> }.into_any()
                } else {
                    view! { <span class="task-list__link task-list__link--disabled">"Check your answers and finish"</span> }.into_any()
                }}
                <strong class=move || if ready() { "tag tag--grey task-list__status" } else { "tag tag--grey task-list__status" } id="status-check">
                    {move || if journey.response.with(|r| r.finished.is_some()) { "Finished" } else if ready() { "Not yet started" } else { "Cannot start yet" }}
                </strong>
            </li>
        </ul>
        <DraftFiles journey=journey />
    }
}

fn tag_class(s: Status) -> &'static str {
    match s {
        Status::Completed => "tag--green",
        Status::InProgress => "tag--blue",
        Status::NotStarted => "tag--grey",
        Status::Problem => "tag--red",
    }
}
