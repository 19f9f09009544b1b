//! About: what the tool is for, every assumption with its source, and privacy.

use leptos::prelude::*;

use crate::model::preview::{Agreement, PREVIEW_AGREEMENT};
use crate::model::sources::{Basis, PROVENANCE};

/// A preview's tolerance in words.
fn tolerance(a: Agreement, figure: &str) -> String {
    let share = figure.contains("delivered") || figure.contains("compliance");
    match a {
        Agreement::Absolute(x) if share => format!("within {:.1} percentage points", x * 100.0),
        Agreement::Absolute(x) => format!("within {x}"),
        Agreement::Relative { share, .. } => format!("within {:.0}%", share * 100.0),
        Agreement::NeedsFullRun => "needs a full-scale run".into(),
    }
}

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
        <h2 class="heading-m" id="counting">"How the figures are counted"</h2>
        <ul class="list list--bullet">
            <li>
                "A "<strong>"request"</strong>" is what a user asked for once: a schedule's read of one meter, or one "
                "on-demand read. It ends once: answered within its target response time (TRT), answered late, failed "
                "(given up after its last attempt), or still pending when the simulated period ends. "
                <strong>"Attempts"</strong>" are counted apart: every try a device saw, retries included."
            </li>
            <li>
                "A request's "<strong>"TRT counts from when its user sent it"</strong>" (a DCC schedule or a "
                "future-dated request: from when it fell due), through every retry: a read that fails, waits an hour "
                "and then succeeds is late. TRT compliance is the share of requests answered within their TRT; "
                "requests given up, and requests still pending after their TRT ran out, count as not within it."
            </li>
            <li>
                "Midnight register reads that cannot be DCC-scheduled (SRV 4.1.1, and SR 4.2 unless it is made "
                "schedulable) wait with on-demand work: DCC's smoothing and MHHS window apply to DCC-scheduled work only."
            </li>
            <li>
                "Peak backlogs are the largest in each minute. Percentiles are within 0.4% of the exact value. "
                "Clock times are local: the settlement day starts at local midnight, 23:00 UTC in summer."
            </li>
        </ul>
        <h3 class="heading-s" id="previews">"Previews against the full run"</h3>
        <p>
            "The explorer and the consultation's evidence run a preview: 1 in 2,000 meters, every capacity scaled to "
            "match. Loads, volumes and delivery agree with the full run; waits do not, because a station with a "
            "two-thousandth of the slots queues far longer (Erlang C does not scale), and the last completion is an "
            "extreme a sample has too few requests for. A preview shows those as \u{201c}needs a full-scale run\u{201d}."
        </p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="How far a preview can be trusted, figure by figure">
            <table class="table table--compact" id="preview-agreement">
                <caption class="visually-hidden">"How far a preview agrees with the full run, by figure"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Figure"</th>
                        <th scope="col">"A preview is"</th>
                        <th scope="col">"Why"</th>
                    </tr>
                </thead>
                <tbody>
                    {PREVIEW_AGREEMENT
                        .iter()
                        .map(|a| view! {
                            <tr>
                                <td><code>{a.figure}</code></td>
                                <td>
                                    {tolerance(a.agreement, a.figure)}
                                    {a.by_preset.iter().map(|(preset, x)| format!("; {preset}: {}", tolerance(*x, a.figure))).collect::<String>()}
                                </td>
                                <td>{a.why}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
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
        <div class="table-scroll table-scroll--below-fold" tabindex="0" role="region" aria-label="Every assumption and its basis">
            <table class="table table--compact" id="assumptions-table">
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
        </div>
    }
}
