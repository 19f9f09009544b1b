//! The browser app: a thin Leptos layer over the [`model`](crate::model).
//!
//! - [`router`]: which area the address shows (hash routes, so deep links work on static hosting);
//! - [`shell`]: header, navigation, footer and skip link around every page;
//! - [`pages`]: one module per area (Explore, Respond, Consolidate, About);
//! - [`error_summary`]: the GOV.UK "there is a problem" pattern for forms;
//! - [`fail_safe`]: what a person sees if the app ever panics;
//! - [`tasks`]: cutting long work into tasks that let the browser breathe.

pub mod capacity_needed;
pub mod charts;
pub mod controls;
pub mod documents;
pub mod download;
pub mod error_summary;
pub mod fail_safe;
#[cfg(target_arch = "wasm32")]
pub mod memory_ahead;
pub mod pages;
pub mod respond;
pub mod router;
pub mod shared_pool;
pub mod shell;
pub mod task_pool;
pub mod tasks;

use leptos::prelude::*;

use router::{Area, use_area};

/// The whole app: the shell around the page of the current area.
#[component]
pub fn App() -> impl IntoView {
    let area = use_area();
    // The page mounts in a task after the shell's: with the WebAssembly's start-up in one task,
    // they kept the browser busy for over 50 ms.
    let page_shown = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        tasks::yield_now().await;
        page_shown.try_set(true);
    });
    // Tests and the bench read these marks: the page is there and can be used.
    Effect::new(move |_| {
        if page_shown.get() {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-ready", "1");
            }
            if let Some(perf) = window().performance() {
                let _ = perf.mark("mp162-interactive");
            }
        }
    });
    // Explore is wider than the other pages. Said on the body with the area, not when Explore's
    // own content appears (`:has(.explore)`): then the header and navigation moved sideways a
    // paint after the page came (a layout shift of 0.15 at load).
    Effect::new(move |_| {
        let wide = area.get() == Area::Explore;
        if let Some(body) = document().body() {
            let _ = match wide {
                true => body.set_attribute("data-wide", ""),
                false => body.remove_attribute("data-wide"),
            };
        }
    });
    view! {
        <shell::SkipLink />
        <shell::Header area=area />
        <div class="page-width">
            <main id="main-content" class="main" tabindex="-1">
                {move || page_shown.get().then(|| match area.get() {
                    Area::Home => pages::home::HomePage().into_any(),
                    Area::Explore => pages::explore::ExplorePage().into_any(),
                    Area::Respond => respond::RespondPage().into_any(),
                    Area::Consolidate => pages::consolidate::ConsolidatePage().into_any(),
                    Area::About => pages::about::AboutPage().into_any(),
                    Area::PanicCheck => fail_safe::PanicCheck().into_any(),
                    Area::NotFound => pages::not_found::NotFoundPage().into_any(),
                })}
            </main>
        </div>
        <shell::Footer />
    }
}

/// Entry point: install the fail-safe and mount the app (which marks the page ready once its
/// page is in).
pub fn start() {
    fail_safe::install();
    // In a task after the one that compiled and started the WebAssembly: together they ran
    // over 50 ms.
    // (Leptos's spawner is set up by the mount, hence wasm-bindgen's own.)
    wasm_bindgen_futures::spawn_local(async {
        tasks::yield_now().await;
        leptos::mount::mount_to_body(App);
    });
}
