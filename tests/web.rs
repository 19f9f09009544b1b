//! Browser unit tests (wasm-bindgen-test in headless Chromium): the shell's components in a real DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mp162_explorer::app::{
    App,
    error_summary::{ErrorSummary, Problem},
    fail_safe,
};
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
    doc()
        .query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn navigation_follows_the_hash_and_marks_the_current_area() {
    let window = web_sys::window().unwrap();
    window.location().set_hash("#/about").unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    page_in().await;
    assert_eq!(text("main h1"), "About this tool");
    let current = doc()
        .query_selector("nav a[aria-current=\"page\"]")
        .unwrap()
        .unwrap();
    assert_eq!(current.text_content().unwrap(), "About");
    let links = doc().query_selector_all("nav a").unwrap().length();
    assert_eq!(links, 4, "Explore, Respond, Consolidate, About");

    window.location().set_hash("#/explore").unwrap();
    // hashchange is delivered as a task; wait for it and the reactive update.
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(text("main h1"), "Explore the traffic model");
    // Explore's controls mount a paint after its heading.
    eventually(|| doc().get_element_by_id("preset").is_some()).await;
    assert!(
        doc()
            .query_selector("#preset option[value=\"dcc-recommendation\"]")
            .unwrap()
            .is_some(),
        "presets come from the model"
    );
    assert_eq!(doc().title(), "Explore – MP162 consultation explorer");
    host.remove();
    window.location().set_hash("").unwrap();
}

#[wasm_bindgen_test]
async fn about_lists_every_assumption_with_its_basis() {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/about")
        .unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    page_in().await;
    let rows = |table: &str| {
        doc()
            .query_selector_all(&format!("{table} tbody tr"))
            .unwrap()
            .length() as usize
    };
    assert_eq!(
        rows("#assumptions-table"),
        mp162_explorer::model::sources::PROVENANCE.len()
    );
    assert!(text("#assumptions-table").contains("assumption"));
    // How previews agree with the full run, figure by figure, and how requests are counted.
    assert_eq!(
        rows("#preview-agreement"),
        mp162_explorer::model::preview::PREVIEW_AGREEMENT.len()
    );
    assert!(text("#preview-agreement").contains("needs a full-scale run"));
    assert!(text("#counting").contains("How the figures are counted"));
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
    assert!(
        doc().query_selector(".error-summary").unwrap().is_none(),
        "hidden without problems"
    );
    set_problems.set(vec![Problem {
        field_id: "field-a".into(),
        message: "Enter your organisation's name <b>now</b>".into(),
    }]);
    leptos::task::tick().await;
    let link = doc().query_selector(".error-summary a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), "#field-a");
    assert_eq!(
        link.text_content().unwrap(),
        "Enter your organisation's name <b>now</b>",
        "text, never HTML"
    );
    assert!(doc().query_selector(".error-summary b").unwrap().is_none());
    assert_eq!(
        doc().active_element().unwrap().class_name(),
        "error-summary"
    );
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
    assert!(
        boxed.query_selector("img").unwrap().is_none(),
        "panic text is never parsed as HTML"
    );
    let reload = doc().get_element_by_id("fail-safe-reload").unwrap();
    assert!(
        reload
            .get_attribute("href")
            .unwrap()
            .starts_with("?reload=")
    );
    fail_safe::show_failure("second");
    assert_eq!(
        doc().query_selector_all("#fail-safe").unwrap().length(),
        1,
        "shown once"
    );
    boxed.remove();
    doc().get_element_by_id("fail-safe").map(|e| e.remove());
    doc()
        .body()
        .unwrap()
        .class_list()
        .remove_1("has-failed")
        .unwrap();
}

#[wasm_bindgen_test]
async fn explore_previews_a_preset_and_redraws_when_it_changes() {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/explore")
        .unwrap();
    let host = container();
    let _handle = leptos::mount::mount_to(host.clone(), App);
    page_in().await;
    // The page mounts in pieces, and the preview arrives from its worker (here, with no worker
    // script to load, from the page itself once the worker has failed to start).
    eventually(|| doc().get_element_by_id("load-chart").is_some()).await;
    let canvas = doc().get_element_by_id("load-chart").unwrap();
    let draws = || {
        canvas
            .get_attribute("data-draws")
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0)
    };
    eventually(|| draws() >= 1).await;
    assert!(draws() >= 1, "drawn");
    let by_needed = text("#fig-by-needed");
    assert!(by_needed.ends_with('%'), "{by_needed}");
    assert!(text("#load-chart-title").starts_with("DCC load peaks at"));
    // Pixels were drawn: some are neither white nor transparent.
    let c: web_sys::HtmlCanvasElement = canvas.clone().unchecked_into();
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data();
    let coloured = data
        .chunks(4)
        .filter(|p| p[3] > 0 && !(p[0] > 240 && p[1] > 240 && p[2] > 240))
        .count();
    assert!(coloured > 1000, "{coloured} coloured pixels");

    let select: web_sys::HtmlSelectElement =
        doc().get_element_by_id("preset").unwrap().unchecked_into();
    select.set_value("today");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    let before = draws();
    eventually(|| draws() > before && text("#fig-working") == "0").await;
    assert!(draws() > before, "redrawn for the new preset");
    assert_eq!(text("#fig-working"), "0", "no MHHS traffic today");
    host.remove();
    web_sys::window().unwrap().location().set_hash("").unwrap();
}

/// The app mounts its page in a task after the shell's: waits for the page's heading.
async fn page_in() {
    eventually(|| doc().query_selector("main h1").ok().flatten().is_some()).await;
    leptos::task::tick().await;
}

/// Waits (up to five seconds) until `cond` holds: charts are worked out and drawn in tasks of
/// their own, after the change that asked for them.
async fn eventually(cond: impl Fn() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
}

fn input(id: &str) -> web_sys::HtmlInputElement {
    doc()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no #{id}"))
        .unchecked_into()
}

fn fire(el: &web_sys::EventTarget, kind: &str) {
    el.dispatch_event(&web_sys::Event::new(kind).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn assumption_controls_apply_valid_values_and_hold_back_invalid_ones() {
    use mp162_explorer::app::controls::{Assumptions, view::AssumptionControls};
    use mp162_explorer::model::Scenario;
    let host = container();
    let state = Assumptions::new(Scenario::default());
    let _handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <AssumptionControls state=state /> },
    );
    leptos::task::tick().await;
    let field = input("f-population-export_share");
    assert_eq!(field.value(), "1.5", "shares are shown as percentages");
    assert!(text("#f-population-export_share-hint").contains("Default 1.5%"));
    assert!(text("#f-population-export_share-hint").contains("inferred"));

    field.set_value("12.5");
    fire(&field, "change");
    leptos::task::tick().await;
    assert_eq!(state.applied.get_untracked().population.export_share, 0.125);
    assert!(text("#controls-changed").contains("1 assumption changed"));

    field.set_value("twelve");
    fire(&field, "change");
    leptos::task::tick().await;
    assert_eq!(
        state.applied.get_untracked().population.export_share,
        0.125,
        "invalid text never reaches the model"
    );
    assert!(
        text("#f-population-export_share-error")
            .contains("Meters with export: enter a number from 0 to 100 %")
    );
    assert_eq!(
        input("f-population-export_share").value(),
        "twelve",
        "the typed text is kept"
    );
    assert!(text(".error-summary").contains("Meters with export"));
    assert_ne!(
        doc()
            .active_element()
            .map(|e| e.class_name())
            .unwrap_or_default(),
        "error-summary",
        "a live summary does not steal focus"
    );

    // The slider is the same control.
    let slider = input("f-population-smets2_share-slider");
    slider.set_value("50");
    fire(&slider, "input");
    leptos::task::tick().await;
    assert_eq!(state.applied.get_untracked().population.smets2_share, 0.5);

    let checkbox = input("f-cache-enabled");
    checkbox.set_checked(true);
    fire(&checkbox, "change");
    leptos::task::tick().await;
    assert!(state.applied.get_untracked().cache.enabled);

    doc()
        .get_element_by_id("restore-defaults")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    assert_eq!(state.applied.get_untracked(), Scenario::default());
    assert!(
        doc()
            .get_element_by_id("f-population-export_share-error")
            .is_none()
    );
    assert_eq!(input("f-population-export_share").value(), "1.5");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_chart_draws_reads_out_by_keyboard_and_tabulates() {
    use mp162_explorer::app::charts::{self, view::ChartFigure};
    use mp162_explorer::model::{RunOptions, Scenario, run};
    let mut s = Scenario::default();
    s.population.meters = 20_000;
    let report = run(
        &s,
        RunOptions {
            sample: 1.0,
            series: true,
            ..Default::default()
        },
    );
    let figure = charts::delivery::figure(&report, &s);
    let rows = figure.table().1.len();
    let (fig, set_fig) = signal(Some(figure));
    let host = container();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <ChartFigure figure=fig id="t" /> },
    );
    leptos::task::tick().await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    let canvas: web_sys::HtmlCanvasElement =
        doc().get_element_by_id("t-chart").unwrap().unchecked_into();
    assert_eq!(canvas.get_attribute("data-draws").unwrap(), "1");
    assert_eq!(
        canvas.get_attribute("tabindex").unwrap(),
        "0",
        "focusable for keyboard reading"
    );
    assert!(text("#t-chart-title").contains("of MHHS data is delivered by 07:00"));
    assert_eq!(
        doc()
            .query_selector_all("#t-chart-table tbody tr")
            .unwrap()
            .length(),
        0,
        "a closed table is not built"
    );
    doc()
        .query_selector("#t-chart-figure details")
        .unwrap()
        .unwrap()
        .set_attribute("open", "")
        .unwrap();
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert_eq!(
        doc()
            .query_selector_all("#t-chart-table tbody tr")
            .unwrap()
            .length() as usize,
        rows
    );

    let key = |k: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(k);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        canvas.dispatch_event(&ev).unwrap();
    };
    key("End");
    leptos::task::tick().await;
    assert!(
        text("#t-chart-readout").starts_with("23:45 on D+1–00:00"),
        "{}",
        text("#t-chart-readout")
    );
    assert!(text("#t-chart-readout").contains("Suppliers (own data) "));
    key("ArrowLeft");
    leptos::task::tick().await;
    assert!(text("#t-chart-readout").starts_with("23:30 on D+1"));
    gloo_timers::future::TimeoutFuture::new(20).await;
    // Both moves came before the browser had a turn, so they are drawn together.
    assert_eq!(
        canvas.get_attribute("data-draws").unwrap(),
        "2",
        "the cursor is drawn, once for two quick moves"
    );

    // A new figure redraws; none leaves the last drawing and the help text.
    set_fig.set(Some(charts::hits::figure(&report, &s)));
    leptos::task::tick().await;
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert!(text("#t-chart-title").contains("S1SP cache is off"));
    assert!(
        text("#t-chart-readout").contains("arrow keys"),
        "a cursor past the new figure's end reads nothing: {}",
        text("#t-chart-readout")
    );
    host.remove();
}

/// The full-run worker's allocator grows the WebAssembly memory a quarter ahead of need (in
/// Safari a later worker's memory is copied whole on every grow), and what it took ahead serves
/// the next allocations without growing again.
#[wasm_bindgen_test]
fn the_workers_allocator_grows_its_memory_a_quarter_ahead() {
    use mp162_explorer::app::memory_ahead::{GrowAhead, PAGE};
    use std::alloc::{GlobalAlloc, Layout};
    use std::arch::wasm32::memory_size;
    let bytes = || memory_size(0) * PAGE;
    // More than the heap can have free: the memory must grow for it.
    let before = bytes();
    let first = Layout::from_size_align(before, 16).unwrap();
    let block = unsafe { GrowAhead.alloc(first) };
    assert!(!block.is_null());
    let grown = bytes();
    assert!(
        grown >= 2 * before + (2 * before) / 4 - PAGE,
        "grew from {before} to {grown} bytes: no quarter ahead"
    );
    // The quarter taken ahead is free: a fifth of the memory fits without growing it again.
    let next = Layout::from_size_align(grown / 5, 16).unwrap();
    let second = unsafe { GrowAhead.alloc(next) };
    assert!(!second.is_null());
    assert_eq!(bytes(), grown, "the next allocation grew the memory again");
    unsafe {
        GrowAhead.dealloc(second, next);
        GrowAhead.dealloc(block, first);
    }
}
