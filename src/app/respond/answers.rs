//! Every answer, section by section, as GOV.UK summary lists: the check-answers page (with
//! "Change" links) and the printable response on the confirmation page (without).

use leptos::prelude::*;

use super::question::field_id;
use super::{Journey, Page};
use crate::consultation::evidence::comparison;
use crate::consultation::export::answer_text;

#[component]
pub fn AnswersSummary(journey: Journey, with_change_links: bool) -> impl IntoView {
    let sections = journey.consultation.with_value(|c| c.sections.clone());
    sections
        .into_iter()
        .map(|s| {
            let sid = s.id.clone();
            view! {
                <h2 class="heading-m">{s.title.clone()}</h2>
                <dl class="summary-list summary-list--answers" id=format!("answers-{sid}")>
                    {s.questions.into_iter().map(|q| {
                        let href = format!("{}&field={}", Page::Section { id: sid.clone(), from_check: true }.href(), field_id(&q.id));
                        let qid = q.id.clone();
                        let label = q.label.clone();
                        let answer = {
                            let q = q.clone();
                            move || journey.response.with(|r| answer_text(&q, r.answer(&q.id)))
                        };
                        let rationale = {
                            let qid = qid.clone();
                            move || journey.response.with(|r| r.answer(&qid).map(|a| a.rationale.trim().to_string()).filter(|t| !t.is_empty()))
                        };
                        let evidence = {
                            let qid = qid.clone();
                            move || journey.response.with(|r| r.evidence.get(&qid).and_then(|e| comparison(&e.comparison).map(|c| (c.title, e.version_note()))))
                        };
                        view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">{label.clone()}</dt>
                                <dd class="summary-list__value">
                                    <p class="answer">{answer}</p>
                                    {move || rationale().map(|t| view! { <p class="answer answer--rationale"><strong>"Reasons: "</strong>{t}</p> })}
                                    {move || evidence().map(|(t, note)| view! { <p class="hint">"With the model's evidence: " {t} {note.map(|n| format!(". {n}"))}</p> })}
                                </dd>
                                {with_change_links.then(|| {
                                    view! {
                                        <dd class="summary-list__actions">
                                            <a href=href>"Change" <span class="visually-hidden">{format!(" your answer to: {label}")}</span></a>
                                        </dd>
                                    }
                                })}
                            </div>
                        }
                    }).collect_view()}
                </dl>
            }
        })
        .collect_view()
}
