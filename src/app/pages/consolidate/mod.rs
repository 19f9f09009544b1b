//! Consolidate: the code administrator loads many response files (picker or drag and drop) and
//! sees who responded, the tallies and reasons for each question with each respondent's consent
//! honoured, and the respondents' combined load on the DCC beside the DCC recommendation. Exports
//! come in a full version and a publication-safe one.

mod combined;
mod questions;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::app::documents::DocumentButton;
use crate::app::download::save_text;
use crate::app::tasks::AfterPaints;
use crate::consultation::consolidate::{self, Consent, Consolidation, Skipped};
use crate::consultation::consolidated_report;
use crate::consultation::questions::Consultation;
use crate::consultation::response::{MAX_FILE_BYTES, Response};
use crate::documents::{DOCX_MIME, XLSX_MIME};
use crate::model::presets::preset;
use combined::{Combined, CombinedLoad, Coverage};
use std::rc::Rc;

/// Most files read at once (a consultation has dozens of responses; 200 is the benchmark).
pub const MAX_FILES: usize = 1000;

/// The files of a list, taken out before the list is cleared (a file input's list is live).
fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads and checks each file as it arrives (each in a task of its own: the browser hands over a
/// file's text in a task), with the files refused unread.
async fn read_files(
    list: Vec<web_sys::File>,
    c: StoredValue<Consultation>,
) -> (Vec<Result<(String, Response), Skipped>>, Vec<Skipped>) {
    let mut read = Vec::new();
    let mut refused = Vec::new();
    let total = list.len();
    for file in list.into_iter().take(MAX_FILES) {
        let name = file.name();
        if file.size() > MAX_FILE_BYTES as f64 {
            refused.push(Skipped {
                file: name,
                reason: format!(
                    "The file is {:.0} kB; a response is at most {} kB.",
                    file.size() / 1000.0,
                    MAX_FILE_BYTES / 1000
                ),
            });
            continue;
        }
        match wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
        {
            Some(text) => read.push(c.with_value(|c| consolidate::read(name, &text, c))),
            None => refused.push(Skipped {
                file: name,
                reason: "The file could not be read as text.".into(),
            }),
        }
    }
    if total > MAX_FILES {
        refused.push(Skipped {
            file: format!("{} more files", total - MAX_FILES),
            reason: format!("At most {MAX_FILES} files are read at once."),
        });
    }
    (read, refused)
}

#[component]
pub fn ConsolidatePage() -> impl IntoView {
    let c = StoredValue::new(Consultation::current());
    let files = RwSignal::new(Vec::<Result<(String, Response), Skipped>>::new());
    let refused = RwSignal::new(Vec::<Skipped>::new());
    let dragging = RwSignal::new(false);
    let loaded_ms = RwSignal::new(0.0);
    let con = Memo::new(move |_| {
        let t0 = now_ms();
        let mut con = files.with(|f| Consolidation::of_read(f.clone()));
        con.skipped.extend(refused.get());
        loaded_ms.set(now_ms() - t0);
        con
    });
    let add = move |list: Vec<web_sys::File>| {
        spawn_local(async move {
            let (read, bad) = read_files(list, c).await;
            files.update(|f| f.extend(read));
            refused.update(|r| r.extend(bad));
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            if let Some(list) = input.files() {
                add(files_of(&list));
            }
            input.set_value("");
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            add(files_of(&list));
        }
    };
    let gb = preset("dcc-recommendation").unwrap_or_default();
    let combined = Combined::new(con, gb);
    let save = move |kind: &'static str, publication: bool| {
        let text = con.with_untracked(|con| {
            c.with_value(|c| {
                let headlines = combined.headlines();
                let capacity = combined.capacity.get_untracked();
                match kind {
                    "md" => consolidated_report::markdown(
                        con,
                        c,
                        publication,
                        headlines.as_ref().map(|(a, b, n)| (a, b, *n)),
                        capacity.as_ref(),
                    ),
                    "csv" => consolidated_report::csv(con, c, publication, capacity.as_ref()),
                    _ => consolidated_report::json(
                        con,
                        c,
                        publication,
                        headlines.as_ref().map(|h| &h.0),
                        capacity.as_ref(),
                    ),
                }
            })
        });
        let name = format!(
            "mp162-consolidated{}.{kind}",
            if publication { "-publication-safe" } else { "" }
        );
        let mime = match kind {
            "md" => "text/markdown",
            "csv" => "text/csv",
            _ => "application/json",
        };
        let _ = save_text(&name, mime, &text);
    };
    let count = move || con.with(|c| c.respondents.len());
    // The Word collation and the spreadsheet: the documents worker reads the loaded responses again.
    let document = move |kind: &'static str, publication: bool| -> Rc<dyn Fn() -> js_sys::Array> {
        Rc::new(move || {
            let files: Vec<(String, String)> = con.with_untracked(|con| {
                con.respondents
                    .iter()
                    .map(|r| (r.file.clone(), r.response.to_json()))
                    .collect()
            });
            let capacity = combined
                .capacity
                .with_untracked(|f| serde_json::to_string(f).unwrap_or_default());
            js_sys::Array::of4(
                &kind.into(),
                &serde_json::to_string(&files).unwrap_or_default().into(),
                &publication.into(),
                &capacity.into(),
            )
        })
    };
    let name = |stem: &'static str| Signal::derive(move || stem.to_string());
    view! {
        <h1 class="heading-l">"Consolidate responses"</h1>
        <p class="lead">
            "Load the response files respondents sent. Each is checked; bad files and older copies of the same response are listed and skipped. "
            "Nothing leaves this browser."
        </p>
        <div
            class=move || if dragging.get() { "drop-zone drop-zone--active" } else { "drop-zone" }
            id="drop-zone"
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label class="label" for="response-files">"Choose response files, or drop them here"</label>
            <div class="hint" id="response-files-hint">"The .json files the Respond journey exports. You can add more files later."</div>
            <input class="file-upload" type="file" id="response-files" multiple accept=".json,application/json" aria-describedby="response-files-hint" on:change=on_pick />
        </div>
        <p role="status" id="load-status" data-load-ms=move || format!("{:.0}", loaded_ms.get())>
            {move || con.with(|con| match (con.respondents.len(), con.skipped.len()) {
                (0, 0) => "No responses loaded yet.".to_string(),
                (n, 0) => format!("{n} responses loaded."),
                (n, s) => format!("{n} responses loaded; {s} files skipped."),
            })}
        </p>
        <Show when=move || con.with(|c| !c.skipped.is_empty())>
            <div class="notification notification--warning" id="skipped">
                <h2 class="heading-s">"Files skipped"</h2>
                <ul class="list-bullet">
                    {move || con.with(|c| c.skipped.iter().map(|s| view! { <li><strong>{s.file.clone()}</strong> ": " {s.reason.clone()}</li> }).collect_view())}
                </ul>
            </div>
        </Show>
        <Show when=move || { count() > 0 }>
            <p>
                <button type="button" class="button button--secondary" id="clear-responses" on:click=move |_| { files.set(Vec::new()); refused.set(Vec::new()); }>"Remove all responses"</button>
            </p>
            <h2 class="heading-m">"Respondents"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Respondents">
                <table class="table table--compact" id="respondents">
                    <caption class="visually-hidden">"Respondents, their roles and publication consent"</caption>
                    <thead><tr><th scope="col">"Respondent"</th><th scope="col">"Roles"</th><th scope="col">"Publication"</th><th scope="col">"File"</th></tr></thead>
                    <tbody>
                        {move || con.with(|con| c.with_value(|c| {
                            let roles_q = c.question("roles").map(|(_, q)| q.clone());
                            con.respondents.iter().map(|r| {
                                let roles = r.roles.iter().map(|v| roles_q.as_ref().map(|q| q.option_label(v).to_string()).unwrap_or_else(|| v.clone())).collect::<Vec<_>>().join("; ");
                                view! {
                                    <tr>
                                        <td>{r.name.clone()}</td>
                                        <td>{roles}</td>
                                        <td>{consent_tag(r.consent)}</td>
                                        <td>{r.file.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }))}
                    </tbody>
                </table>
            </div>
            // The respondents' table, the combined load and the tallies each mount in a task of
            // their own (for 200 responses, one task of all three took 54-57 ms).
            <AfterPaints paints=1>
                <CombinedLoad combined=combined />
                <Coverage con=con />
            </AfterPaints>
            <h2 class="heading-m">"Answers by question"</h2>
            <AfterPaints paints=2>
                <questions::QuestionTallies con=con consultation=c />
            </AfterPaints>
            <h2 class="heading-m">"Export the consolidated report"</h2>
            <p>"The publication-safe version leaves out confidential responses' text and names, and names anonymous respondents only by number."</p>
            <h3 class="heading-s">"In SECAS's forms"</h3>
            <p>"The collation as a Word document (the respondent list, then a table per question of each respondent's position and rationale, with the tallies by role), and the answers as a spreadsheet (a row per respondent, a column per question, and a sheet of tallies)."</p>
            <p class="button-group">
                <DocumentButton id="export-docx" label="Word collation (full)" file_name=name("mp162-consultation-responses.docx") mime=DOCX_MIME request=document("collation", false) primary=true />
                <DocumentButton id="export-docx-public" label="Word collation (publication-safe)" file_name=name("mp162-consultation-responses-publication-safe.docx") mime=DOCX_MIME request=document("collation", true) primary=true />
                <DocumentButton id="export-xlsx" label="Spreadsheet (full)" file_name=name("mp162-answers.xlsx") mime=XLSX_MIME request=document("sheet", false) />
                <DocumentButton id="export-xlsx-public" label="Spreadsheet (publication-safe)" file_name=name("mp162-answers-publication-safe.xlsx") mime=XLSX_MIME request=document("sheet", true) />
            </p>
            <h3 class="heading-s">"As text and data"</h3>
            <p class="button-group">
                <button type="button" class="button" id="export-md" on:click=move |_| save("md", false)>"Markdown (full)"</button>
                <button type="button" class="button" id="export-md-public" on:click=move |_| save("md", true)>"Markdown (publication-safe)"</button>
                <button type="button" class="button button--secondary" id="export-csv" on:click=move |_| save("csv", false)>"CSV of answers (full)"</button>
                <button type="button" class="button button--secondary" id="export-csv-public" on:click=move |_| save("csv", true)>"CSV (publication-safe)"</button>
                <button type="button" class="button button--secondary" id="export-json" on:click=move |_| save("json", false)>"JSON (full)"</button>
                <button type="button" class="button button--secondary" id="export-json-public" on:click=move |_| save("json", true)>"JSON (publication-safe)"</button>
                <button type="button" class="button button--secondary" id="print" on:click=move |_| { let _ = window().print(); }>"Print or save as PDF"</button>
            </p>
        </Show>
    }
}

fn consent_tag(c: Consent) -> impl IntoView {
    match c {
        Consent::Publish => view! { <strong class="tag tag--green">"Publish"</strong> },
        Consent::Anonymous => view! { <strong class="tag tag--blue">"Anonymous"</strong> },
        Consent::Confidential => view! { <strong class="tag tag--red">"Confidential"</strong> },
    }
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}
