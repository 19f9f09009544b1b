//! Browser unit tests (wasm-bindgen-test in headless Chromium): the shell's components in a real DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mp162_explorer::app::{App, error_summary::{ErrorSummary, Problem}, fail_safe};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn container() -> web_sys::HtmlElement {
    let div: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&div).unwrap();
    div
}

fn text(selector: &str) -> String {
    doc().query_selector(selector).unwrap().map(|e| e.text_content().unwrap_or_default()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn navigation_follows_the_hash_and_marks_the_current_area() {
    let window = web_sys::window().unwrap();
    window.location().set_hash("#/about").unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    leptos::task::tick().await;
    assert_eq!(text("main h1"), "About this tool");
    let current = doc().query_selector("nav a[aria-current=\"page\"]").unwrap().unwrap();
    assert_eq!(current.text_content().unwrap(), "About");
    let links = doc().query_selector_all("nav a").unwrap().length();
    assert_eq!(links, 4, "Explore, Respond, Consolidate, About");

    window.location().set_hash("#/explore").unwrap();
    // hashchange is delivered as a task; wait for it and the reactive update.
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(text("main h1"), "Explore the traffic model");
    assert!(doc().query_selector("#preset option[value=\"dcc-recommendation\"]").unwrap().is_some(), "presets come from the model");
    assert_eq!(doc().title(), "Explore – MP162 consultation explorer");
    host.remove();
    window.location().set_hash("").unwrap();
}

#[wasm_bindgen_test]
async fn about_lists_every_assumption_with_its_basis() {
    web_sys::window().unwrap().location().set_hash("#/about").unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    leptos::task::tick().await;
    let rows = doc().query_selector_all("main table tbody tr").unwrap().length() as usize;
    assert_eq!(rows, mp162_explorer::model::sources::PROVENANCE.len());
    assert!(text("main table").contains("assumption"));
    host.remove();
}

#[wasm_bindgen_test]
async fn error_summary_links_to_fields_and_takes_focus() {
    let host = container();
    let (problems, set_problems) = signal(Vec::<Problem>::new());
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <ErrorSummary problems=problems.into() />
            <input id="field-a" />
        }
    });
    leptos::task::tick().await;
    assert!(doc().query_selector(".error-summary").unwrap().is_none(), "hidden without problems");
    set_problems.set(vec![Problem { field_id: "field-a".into(), message: "Enter your organisation's name <b>now</b>".into() }]);
    leptos::task::tick().await;
    let link = doc().query_selector(".error-summary a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), "#field-a");
    assert_eq!(link.text_content().unwrap(), "Enter your organisation's name <b>now</b>", "text, never HTML");
    assert!(doc().query_selector(".error-summary b").unwrap().is_none());
    assert_eq!(doc().active_element().unwrap().class_name(), "error-summary");
    link.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(doc().active_element().unwrap().id(), "field-a");
    host.remove();
}

#[wasm_bindgen_test]
fn failure_message_is_text_and_offers_a_reload() {
    fail_safe::show_failure("boom <img src=x onerror=alert(1)>");
    let boxed = doc().get_element_by_id("fail-safe").unwrap();
    assert_eq!(boxed.get_attribute("role").unwrap(), "alert");
    let content = boxed.text_content().unwrap();
    assert!(content.contains("boom <img src=x onerror=alert(1)>"));
    assert!(content.contains("saved answers are kept"));
    assert!(boxed.query_selector("img").unwrap().is_none(), "panic text is never parsed as HTML");
    let reload = doc().get_element_by_id("fail-safe-reload").unwrap();
    assert!(reload.get_attribute("href").unwrap().starts_with("?reload="));
    fail_safe::show_failure("second");
    assert_eq!(doc().query_selector_all("#fail-safe").unwrap().length(), 1, "shown once");
    boxed.remove();
    doc().get_element_by_id("fail-safe").map(|e| e.remove());
    doc().body().unwrap().class_list().remove_1("has-failed").unwrap();
}

#[wasm_bindgen_test]
async fn explore_previews_a_preset_and_redraws_when_it_changes() {
    web_sys::window().unwrap().location().set_hash("#/explore").unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    leptos::task::tick().await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    let canvas = doc().get_element_by_id("load-chart").unwrap();
    assert_eq!(canvas.get_attribute("data-draws").unwrap(), "1");
    let by_needed = text("#fig-by-needed");
    assert!(by_needed.ends_with('%'), "{by_needed}");
    assert!(text("#load-chart-title").starts_with("DCC load peaks at"));
    // Pixels were drawn: some are neither white nor transparent.
    let c: web_sys::HtmlCanvasElement = canvas.clone().unchecked_into();
    let ctx: web_sys::CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64).unwrap().data();
    let coloured = data.chunks(4).filter(|p| p[3] > 0 && !(p[0] > 240 && p[1] > 240 && p[2] > 240)).count();
    assert!(coloured > 1000, "{coloured} coloured pixels");

    let select: web_sys::HtmlSelectElement = doc().get_element_by_id("preset").unwrap().unchecked_into();
    select.set_value("today");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert_eq!(canvas.get_attribute("data-draws").unwrap(), "2", "redrawn for the new preset");
    assert_eq!(text("#fig-working"), "0", "no MHHS traffic today");
    host.remove();
    web_sys::window().unwrap().location().set_hash("").unwrap();
}
