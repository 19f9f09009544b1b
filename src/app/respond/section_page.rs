//! A section of questions. Answers save as they are typed; "Save and continue" checks them only
//! if the respondent says the section is complete, showing an error summary that links to each
//! field, as the GOV.UK pattern does.

use leptos::prelude::*;

use super::question::{QuestionField, field_id};
use super::{Journey, Page, go};
use crate::app::error_summary::{ErrorSummary, Problem};
use crate::app::tasks::AfterPaints;
use crate::consultation::response::AnswerProblem;

/// How many of a section's questions mount with each paint.
const QUESTIONS_A_PAINT: usize = 3;

#[component]
pub fn SectionPage(journey: Journey, id: String, from_check: bool) -> impl IntoView {
    let Some(section) = journey.consultation.with_value(|c| c.section(&id).cloned()) else {
        return view! {
            <h1 class="heading-l">"Section not found"</h1>
            <p>"This consultation has no such section. " <a href="#/respond">"Go back to your response"</a></p>
        }
        .into_any();
    };
    let (number, of) = journey.consultation.with_value(|c| {
        (
            c.sections.iter().position(|s| s.id == id).unwrap_or(0) + 1,
            c.sections.len(),
        )
    });
    let problems = RwSignal::new(Vec::<AnswerProblem>::new());
    let completed = RwSignal::new(
        journey
            .response
            .with_untracked(|r| r.completed_sections.contains(&id).then_some(true)),
    );
    let completion_error = RwSignal::new(None::<String>);
    let summary = Signal::derive(move || {
        let mut list: Vec<Problem> = problems
            .get()
            .into_iter()
            .map(|p| Problem {
                field_id: field_id(&p.question),
                message: p.message,
            })
            .collect();
        if let Some(m) = completion_error.get() {
            list.push(Problem {
                field_id: "completed".into(),
                message: m,
            });
        }
        list
    });
    let section_for_save = section.clone();
    let sid = id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(done) = completed.get_untracked() else {
            problems.set(Vec::new());
            completion_error.set(Some(
                "Select whether you have completed this section".into(),
            ));
            return;
        };
        completion_error.set(None);
        if done {
            let found = journey
                .response
                .with_untracked(|r| r.section_problems(&section_for_save));
            if !found.is_empty() {
                problems.set(found);
                return;
            }
        }
        problems.set(Vec::new());
        let sid = sid.clone();
        journey.update(move |r| {
            if done {
                r.completed_sections.insert(sid);
            } else {
                r.completed_sections.remove(&sid);
            }
        });
        go(if from_check {
            &Page::Check
        } else {
            &Page::Tasks
        });
    };
    let error_for = move |q: String| {
        Signal::derive(move || {
            problems.with(|p| {
                p.iter()
                    .find(|x| x.question == q)
                    .map(|x| x.message.clone())
            })
        })
    };
    let radio = move |value: bool, input_id: &'static str, label: &'static str| {
        view! {
            <div class="choice__item">
                <input class="choice__input" type="radio" name="completed" id=input_id prop:checked=move || completed.get() == Some(value) on:change=move |_| completed.set(Some(value)) />
                <label class="choice__label" for=input_id>{label}</label>
            </div>
        }
    };
    view! {
        <a class="back-link" href=if from_check { "#/respond/check" } else { "#/respond" }>"Back"</a>
        <span class="caption">{format!("Section {number} of {of}")}</span>
        <h1 class="heading-l">{section.title.clone()}</h1>
        <ErrorSummary problems=summary />
        {(!section.intro.is_empty()).then(|| view! { <p class="lead lead--small">{section.intro.clone()}</p> })}
        <p class="hint">"Your answers are saved in this browser as you type."</p>
        <form novalidate on:submit=save id="section-form">
            {section.questions.iter().enumerate().map(|(i, q)| {
                let (q, error) = (q.clone(), error_for(q.id.clone()));
                // Three questions a paint: the technical section's eight mounted with the page
                // made a task of 50-75 ms at one load in three.
                view! {
                    <AfterPaints paints=(i / QUESTIONS_A_PAINT) as u32>
                        <QuestionField q=q.clone() journey=journey error=error place=i as u32 />
                    </AfterPaints>
                }
            }).collect_view()}
            {(section.id == "nfr").then(|| {
                let gb = crate::model::presets::preset("dcc-recommendation").unwrap_or_default();
                let portfolio = Memo::new(move |_| journey.response.with(|r| crate::consultation::portfolio::scenario(r, &gb)));
                // The finding goes in the response file, with the load, seed and sample it is of.
                let stored = Signal::derive(move || journey.response.with(|r| r.capacity.clone()));
                let on_found = Callback::new(move |f: Option<crate::consultation::capacity::CapacityFinding>| {
                    if journey.response.with_untracked(|r| r.capacity != f) {
                        journey.update(|r| r.capacity = f);
                    }
                });
                view! {
                    <section class="evidence" aria-labelledby="nfr-capacity-heading">
                        <h2 class="heading-s" id="nfr-capacity-heading">"The capacity your portfolio would need"</h2>
                        <p class="hint">"GB shaped like the meters, schedule window and needed-by time you gave (every meter at GB scale), through the traffic model."</p>
                        <Show when=move || portfolio.with(Option::is_some) fallback=|| view! { <p class="hint" id="nfr-capacity">"Answer “Your portfolio and current practice” to see the capacity your portfolio would need."</p> }>
                            <crate::app::capacity_needed::CapacityNeeded scenario=portfolio id="nfr" whose="your portfolio’s" stored=stored on_found=on_found />
                        </Show>
                    </section>
                }
            })}
            <div class=move || if completion_error.with(Option::is_some) { "form-group form-group--error" } else { "form-group" }>
                <fieldset class="fieldset" aria-describedby="completed-error">
                    <legend class="fieldset__legend fieldset__legend--m">"Have you completed this section?"</legend>
                    {move || completion_error.get().map(|m| view! { <p class="error-message" id="completed-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                    <div class="choices choices--inline">
                        {radio(true, "completed", "Yes, I've completed this section")}
                        {radio(false, "completed-no", "No, I'll come back later")}
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="button" id="save-and-continue">"Save and continue"</button>
        </form>
    }
    .into_any()
}
