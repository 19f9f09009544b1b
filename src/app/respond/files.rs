//! Drafts as files: download the draft to pass it to a colleague, open one they send back, or
//! start again. Opening checks the file first; a bad file changes nothing, and a good one only
//! replaces answers already here once the respondent confirms.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::{Journey, now_iso, storage};
use crate::app::download::save_text;
use crate::consultation::response::{MAX_FILE_BYTES, Response};

/// A file name from the organisation's name: letters, digits and hyphens only.
pub fn file_stem(r: &Response) -> String {
    let org: String = r
        .value("organisation")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let org = org
        .split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    if org.is_empty() {
        "mp162-response".into()
    } else {
        format!("mp162-response-{org}")
    }
}

#[component]
pub fn DraftFiles(journey: Journey) -> impl IntoView {
    let c = journey.consultation;
    let problems = RwSignal::new(Vec::<String>::new());
    let opened = RwSignal::new(None::<(String, Response)>);
    let confirm_new = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let has_answers = move || {
        journey
            .response
            .with(|r| r.answers.values().any(|a| !a.is_empty()))
    };
    let download = move |_| {
        let (name, text) = journey
            .response
            .with_untracked(|r| (format!("{}-draft.json", file_stem(r)), r.to_json()));
        let _ = save_text(&name, "application/json", &text);
    };
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        problems.set(Vec::new());
        notice.set(None);
        let name = file.name();
        if file.size() > MAX_FILE_BYTES as f64 {
            problems.set(vec![format!("“{name}” is {:.0} kB; a response is at most {} kB. Choose the response file the app saved.", file.size() / 1000.0, MAX_FILE_BYTES / 1000)]);
            return;
        }
        spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
            {
                Some(t) => t,
                None => {
                    problems.set(vec![format!(
                        "“{name}” could not be read as text. Choose the .json file the app saved."
                    )]);
                    return;
                }
            };
            match c.with_value(|c| Response::from_json(&text, c)) {
                Err(found) => problems.set(found),
                Ok(r) if has_answers() => opened.set(Some((name, r))),
                Ok(r) => {
                    journey.replace(r);
                    notice.set(Some(format!("Opened “{name}”.")));
                }
            }
        });
    };
    view! {
        <h2 class="heading-m">"Drafts and colleagues"</h2>
        <Show when=move || !problems.with(Vec::is_empty)>
            <div class="error-summary" role="alert" id="open-problems" tabindex="-1">
                <h3 class="error-summary__title">"That file could not be opened"</h3>
                <p>"Nothing has changed. What is wrong with it:"</p>
                <ul class="list-bullet">{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        </Show>
        {move || notice.get().map(|n| view! { <p class="notification" role="status" id="open-notice">{n}</p> })}
        {move || opened.get().map(|(name, r)| view! {
            <div class="notification notification--warning" role="alert" id="confirm-open">
                <p>{format!("“{name}” will replace the answers in this browser. Download your current draft first if you need it.")}</p>
                <button type="button" class="button button--warning" id="confirm-open-replace" on:click=move |_| {
                    journey.replace(r.clone());
                    opened.set(None);
                    notice.set(Some(format!("Opened “{name}”.")));
                }>"Replace my answers"</button>
                " "
                <button type="button" class="button button--secondary" id="confirm-open-keep" on:click=move |_| opened.set(None)>"Keep my current answers"</button>
            </div>
        })}
        <p>
            <button type="button" class="button button--secondary" id="download-draft" on:click=download>"Download your draft"</button>
        </p>
        <div class="form-group">
            <label class="label" for="open-draft">"Open a draft or response file"</label>
            <div class="hint" id="open-draft-hint">"A .json file saved by this app, for example a draft a colleague sent you."</div>
            <input class="file-upload" type="file" id="open-draft" accept=".json,application/json" aria-describedby="open-draft-hint" on:change=open />
        </div>
        <p>
            {move || if confirm_new.get() {
                view! {
                    <span role="alert" id="confirm-new">
                        "This deletes the answers saved in this browser. "
                        <button type="button" class="button button--warning" id="confirm-new-yes" on:click=move |_| {
                            c.with_value(storage::clear);
                            journey.replace(c.with_value(|c| Response::new(c, &now_iso())));
                            confirm_new.set(false);
                            notice.set(Some("A new response has been started.".into()));
                        }>"Delete my answers and start again"</button>
                        " "
                        <button type="button" class="button button--secondary" on:click=move |_| confirm_new.set(false)>"Cancel"</button>
                    </span>
                }.into_any()
            } else {
                view! { <button type="button" class="button button--secondary" id="start-new" on:click=move |_| confirm_new.set(true)>"Start a new response"</button> }.into_any()
            }}
        </p>
    }
}
