//! Shown for a route the app does not know.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"Page not found"</h1>
        <p>"If you typed the address, check it is correct. If you followed a link, it may be out of date."</p>
        <p><a href="#/">"Go to the start page"</a></p>
    }
}
