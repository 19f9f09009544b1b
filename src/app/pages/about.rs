//! About: what the tool is for, every assumption with its source, and privacy.

use leptos::prelude::*;

use crate::model::sources::{Basis, PROVENANCE};

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"About this tool"</h1>
        <h2 class="heading-m">"What it is for"</h2>
        <p>
            "SEC modification MP162 sets out the Smart Energy Code changes needed to deliver market-wide half-hourly "
            "settlement: a new Meter Data Retrieval user role, the service requests it may send and their target "
            "response times, DCC scheduling windows, and a cache at the SMETS1 Service Providers. The Working Group "
            "agreed to ask the industry about the technical solution. This tool models the DCC traffic each option "
            "would cause, so answers can rest on evidence."
        </p>
        <h2 class="heading-m">"Your privacy"</h2>
        <p>
            "Everything runs in your browser. Nothing you type, upload or download is sent anywhere: the page only loads "
            "its own files from the address it came from, and its security policy blocks any other connection. "
            "Your consultation answers are kept in this browser's own storage, on this computer only, until you start a "
            "new response. To move a draft to a colleague or another computer, download it as a file and open it there."
        </p>
        <h2 class="heading-m" id="assumptions">"Assumptions and their sources"</h2>
        <p>
            "Every default in the model is listed here. Public figures name their source; figures from the October 2021 "
            "Working Group summary say so; anything else is marked as an assumption you can change."
        </p>
        <table class="table table--compact">
            <caption class="visually-hidden">"Model assumptions"</caption>
            <thead>
                <tr>
                    <th scope="col">"Setting"</th>
                    <th scope="col">"Unit"</th>
                    <th scope="col">"Basis"</th>
                    <th scope="col">"Source"</th>
                </tr>
            </thead>
            <tbody>
                {PROVENANCE
                    .iter()
                    .map(|p| {
                        let tag = match p.basis {
                            Basis::Assumption => "tag tag--grey",
                            _ => "tag",
                        };
                        view! {
                            <tr>
                                <td><code>{p.field}</code></td>
                                <td>{p.unit}</td>
                                <td><strong class=tag>{p.basis.label()}</strong></td>
                                <td>
                                    {p.source}
                                    {(!p.url.is_empty()).then(|| view! { " " <a class="source-url" href=p.url rel="noreferrer">"source"</a> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
