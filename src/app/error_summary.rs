//! The GOV.UK error summary: "There is a problem", a list of links to the fields at fault. It
//! takes focus when it appears, so keyboard and screen-reader users hear it first. Messages are
//! text, never HTML.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One problem: the id of the field's input and what to do about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub field_id: String,
    pub message: String,
}

/// `live`: the form applies each field as it changes (the explorer), so the summary must not take
/// focus from the field being edited; it is announced politely instead.
#[component]
pub fn ErrorSummary(problems: Signal<Vec<Problem>>, #[prop(optional)] live: bool) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !live && !problems.get().is_empty() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <Show when=move || !problems.get().is_empty()>
            <div class="error-summary" role=if live { "status" } else { "alert" } tabindex="-1" node_ref=node>
                <h2 class="error-summary__title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    <For
                        each=move || problems.get()
                        key=|p| (p.field_id.clone(), p.message.clone())
                        let:p
                    >
                        <li>
                            <a
                                href=format!("#{}", p.field_id)
                                on:click={
                                    let id = p.field_id.clone();
                                    move |ev| {
                                        ev.prevent_default();
                                        focus_field(&id);
                                    }
                                }
                            >
                                {p.message.clone()}
                            </a>
                        </li>
                    </For>
                </ul>
            </div>
        </Show>
    }
}

/// Moves focus to a field by id (links in the summary must not change the route hash).
pub fn focus_field(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
