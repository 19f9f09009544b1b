//! The frame around every page: skip link, header with the service name and navigation, footer.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::router::Area;

/// "Skip to main content": the first thing a keyboard user reaches. It moves focus without
/// touching the address (the hash is the router's).
#[component]
pub fn SkipLink() -> impl IntoView {
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main-content") {
            if let Ok(el) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    view! { <a href="#main-content" class="skip-link" on:click=skip>"Skip to main content"</a> }
}

#[component]
pub fn Header(area: ReadSignal<Area>) -> impl IntoView {
    view! {
        <header class="header" role="banner">
            <div class="page-width header__inner">
                <a href="#/" class="header__service">"MP162 consultation explorer"</a>
                <span class="header__tag">"SEC modification MP162 · MHHS data through the DCC"</span>
            </div>
            <nav class="nav" aria-label="Main">
                <ul class="page-width nav__list">
                    {Area::NAV
                        .into_iter()
                        .map(|a| {
                            view! {
                                <li class="nav__item">
                                    <a
                                        class="nav__link"
                                        href=a.href()
                                        aria-current=move || (area.get() == a).then_some("page")
                                    >
                                        {a.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer" role="contentinfo">
            <div class="page-width">
                <p>
                    "Runs entirely in your browser: nothing you enter or load leaves this page. "
                    <a href="#/about">"About the model, its assumptions and your privacy"</a>
                </p>
                <p class="footer__small">
                    "An open-source tool for respondents to the MP162 Refinement Consultation. "
                    "Not an official SECAS or DCC publication."
                </p>
            </div>
        </footer>
    }
}
