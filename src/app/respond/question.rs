//! One question on a section page, as the GOV.UK pattern for its kind: a text input, a textarea
//! with its limit, radios or checkboxes in a fieldset, and for a position the reasons too. Every
//! keystroke is saved; nothing typed is ever treated as HTML.

use leptos::prelude::*;

use super::Journey;
use super::evidence_panel::EvidencePanel;
use crate::app::tasks::AfterPaints;
use crate::consultation::questions::{Kind, Question};

/// The id of a question's input (the first radio or checkbox of a choice): error summary links
/// and "Change" links land here.
pub fn field_id(q: &str) -> String {
    format!("q-{q}")
}

#[component]
pub fn QuestionField(
    q: Question,
    journey: Journey,
    #[prop(into)] error: Signal<Option<String>>,
    /// The question's place on its page: its evidence mounts that many paints after the page,
    /// one panel a paint.
    #[prop(optional)]
    place: u32,
) -> impl IntoView {
    let id = field_id(&q.id);
    let qid = q.id.clone();
    let value = {
        let qid = qid.clone();
        Signal::derive(move || journey.response.with(|r| r.value(&qid).to_string()))
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = !q_hint_empty(&q.hint);
    let described = move || {
        let mut d = Vec::new();
        if has_hint {
            d.push(hint_id.clone());
        }
        if error.with(Option::is_some) {
            d.push(error_id.clone());
        }
        d.join(" ")
    };
    let hint = (!q.hint.is_empty())
        .then(|| view! { <div class="hint" id=format!("{id}-hint")>{q.hint.clone()}</div> });
    let message = {
        let error_id = format!("{id}-error");
        move || {
            error.get().map(|m| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">"Error: "</span>{m}</p> })
        }
    };
    let group_class = move || {
        if error.with(Option::is_some) {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    let set_value = {
        let qid = qid.clone();
        move |v: String| journey.set_answer(&qid, |a| a.value = v)
    };
    let max = q.max_length();
    let input = match q.kind {
        Kind::Text | Kind::Email | Kind::Count | Kind::Hour => {
            let (class, inputmode, autocomplete) = match (q.kind, q.id.as_str()) {
                (Kind::Count, _) => ("input input--count", "numeric", "off"),
                (Kind::Hour, _) => ("input input--hour", "text", "off"),
                (Kind::Email, _) => ("input", "email", "email"),
                (_, "organisation") => ("input", "text", "organization"),
                (_, "contact_name") => ("input", "text", "name"),
                _ => ("input", "text", "off"),
            };
            let set_value = set_value.clone();
            view! {
                <label class="label" for=id.clone()>{q.label.clone()}</label>
                {hint}
                {message}
                <div class="control__inputs">
                    <input
                        class=class
                        id=id.clone()
                        name=q.id.clone()
                        type="text"
                        inputmode=inputmode
                        autocomplete=autocomplete
                        spellcheck="false"
                        aria-describedby=described
                        prop:value=value
                        on:input=move |ev| set_value(event_target_value(&ev))
                    />
                    {(!q.unit.is_empty()).then(|| view! { <span class="control__unit">{q.unit.clone()}</span> })}
                </div>
            }
            .into_any()
        }
        Kind::Textarea => {
            let set_value = set_value.clone();
            view! {
                <label class="label" for=id.clone()>{q.label.clone()}</label>
                {hint}
                {message}
                <textarea class="textarea" id=id.clone() name=q.id.clone() rows="5" aria-describedby=described prop:value=value on:input=move |ev| set_value(event_target_value(&ev))></textarea>
                <p class="hint character-count">{move || character_count(value.with(|t| t.chars().count()), max)}</p>
            }
            .into_any()
        }
        Kind::Choice | Kind::Position | Kind::Multi => {
            let multi = q.kind == Kind::Multi;
            let options = q.options.clone();
            let radios = options
                .into_iter()
                .enumerate()
                .map(|(i, o)| {
                    let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let v = o.value.clone();
                    let qid = qid.clone();
                    let checked = {
                        let (v, qid) = (v.clone(), qid.clone());
                        move || journey.response.with(|r| r.answer(&qid).is_some_and(|a| if multi { a.values.contains(&v) } else { a.value == v }))
                    };
                    let on_change = {
                        let v = v.clone();
                        move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            let v = v.clone();
                            journey.set_answer(&qid, move |a| {
                                if multi {
                                    a.values.retain(|x| *x != v);
                                    if on {
                                        a.values.push(v);
                                    }
                                } else if on {
                                    a.value = v;
                                }
                            });
                        }
                    };
                    view! {
                        <div class="choice__item">
                            <input class="choice__input" type=if multi { "checkbox" } else { "radio" } id=input_id.clone() name=format!("q-{}", q.id) value=v prop:checked=checked on:change=on_change />
                            <label class="choice__label" for=input_id>{o.label}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="fieldset" aria-describedby=described>
                    <legend class="fieldset__legend">{q.label.clone()}</legend>
                    {hint}
                    {message}
                    <div class="choices">{radios}</div>
                </fieldset>
            }
            .into_any()
        }
    };
    let rationale = (q.kind == Kind::Position).then(|| {
        let rid = format!("{id}-rationale");
        let qid = qid.clone();
        let qid2 = qid.clone();
        let text = Signal::derive(move || journey.response.with(|r| r.answer(&qid).map(|a| a.rationale.clone()).unwrap_or_default()));
        view! {
            <div class="form-group rationale">
                <label class="label" for=rid.clone()>"Your reasons"</label>
                <div class="hint" id=format!("{rid}-hint")>"Explain your position; the Working Group reads every reason."</div>
                <textarea class="textarea" id=rid.clone() rows="5" aria-describedby=format!("{rid}-hint") prop:value=text on:input=move |ev| {
                    let t = event_target_value(&ev);
                    journey.set_answer(&qid2, |a| a.rationale = t);
                }></textarea>
                <p class="hint character-count">{move || character_count(text.with(|t| t.chars().count()), max)}</p>
            </div>
        }
    });
    // A paint after the question, and a paint after the panel before: a section's questions
    // and their evidence panels mounted in one task made one of 50-65 ms, and its seven panels
    // in one task after a paint one of 50-70 ms.
    let evidence = q.evidence.clone().map(|e| {
        let qid = q.id.clone();
        view! {
            <AfterPaints paints=place + 1>
                <EvidencePanel comparison=e.clone() question=qid.clone() journey=journey />
            </AfterPaints>
        }
    });
    view! {
        <div class=group_class id=format!("{id}-group")>
            {input}
        </div>
        {rationale}
        {evidence}
    }
}

fn q_hint_empty(h: &str) -> bool {
    h.trim().is_empty()
}

fn character_count(n: usize, max: usize) -> String {
    if n > max {
        format!("You have {} characters too many", n - max)
    } else {
        format!("You have {} characters remaining", max - n)
    }
}
