//! Each question's tally of positions by respondent role, and the reasons given, confidential
//! ones marked.

use leptos::prelude::*;

use crate::consultation::consolidate::{Consent, Consolidation};
use crate::consultation::questions::{Consultation, Kind};

#[component]
pub fn QuestionTallies(
    con: Memo<Consolidation>,
    consultation: StoredValue<Consultation>,
) -> impl IntoView {
    let c = consultation.get_value();
    let roles: Vec<(String, String)> = c
        .question("roles")
        .map(|(_, q)| {
            q.options
                .iter()
                .map(|o| (o.value.clone(), o.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    c.sections
        .iter()
        .filter(|s| s.id != "about-you")
        .map(|s| {
            let questions = s.questions.clone();
            let roles = roles.clone();
            view! {
                <h3 class="heading-m heading-m--section">{s.title.clone()}</h3>
                {questions.into_iter().map(|q| {
                    let qid = q.id.clone();
                    let choice = matches!(q.kind, Kind::Choice | Kind::Position | Kind::Multi);
                    let roles = roles.clone();
                    let tallies = {
                        let qid = qid.clone();
                        let c = consultation;
                        move || con.with(|con| c.with_value(|c| con.tallies(c, &qid)))
                    };
                    let unanswered = {
                        let qid = qid.clone();
                        move || con.with(|con| con.unanswered(&qid))
                    };
                    let reasons = {
                        let qid = qid.clone();
                        Memo::new(move |_| con.with(|con| consultation.with_value(|c| con.rationales(c, &qid, false))))
                    };
                    let opened = RwSignal::new(false);
                    view! {
                        <section class="tally" id=format!("tally-{qid}")>
                            <h4 class="heading-s">{q.label.clone()}</h4>
                            {choice.then(|| {
                                let roles_head = roles.clone();
                                view! {
                                    <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Tally: {}", q.label)>
                                        <table class="table table--compact">
                                            <caption class="visually-hidden">{format!("Answers to: {}", q.label)}</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Answer"</th>
                                                    <th scope="col" class="numeric">"All"</th>
                                                    {roles_head.into_iter().map(|(_, l)| view! { <th scope="col" class="numeric">{l}</th> }).collect_view()}
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {move || {
                                                    let roles = roles.clone();
                                                    tallies().into_iter().map(|t| {
                                                        let cells = roles.iter().map(|(v, _)| t.by_role.get(v).copied().unwrap_or(0)).collect::<Vec<_>>();
                                                        view! {
                                                            <tr>
                                                                <th scope="row">{t.label.clone()}</th>
                                                                <td class="numeric">{t.all}</td>
                                                                {cells.into_iter().map(|n| view! { <td class="numeric">{n}</td> }).collect_view()}
                                                            </tr>
                                                        }
                                                    }).collect_view()
                                                }}
                                                <tr><th scope="row">"Not answered"</th><td class="numeric">{unanswered}</td></tr>
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            })}
                            // The reasons are put in the page when their group is opened: every
                            // respondent's reasons on every question, closed, made one long task.
                            <details class="details" on:toggle=move |ev| {
                                let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                                opened.set(open);
                            }>
                                <summary>{move || format!("Reasons and comments ({})", reasons.with(Vec::len))}</summary>
                                <ul class="reasons">
                                    {move || (if opened.get() { reasons.get() } else { Vec::new() }).into_iter().map(|r| view! {
                                        <li class="reasons__item">
                                            <strong>{r.respondent}</strong>
                                            {(r.consent == Consent::Confidential).then(|| view! { " " <span class="tag tag--red">"Confidential"</span> })}
                                            {(!r.position.is_empty()).then(|| format!(" – {}", r.position))}
                                            <p class="reasons__text">{r.text}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </details>
                        </section>
                    }
                }).collect_view()}
            }
        })
        .collect_view()
}
