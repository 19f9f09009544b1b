//! The fail-safe: a panic in WebAssembly stops the app for good, so instead of a frozen page the
//! person sees what happened, that their saved answers are kept (drafts live in browser storage,
//! written on every change), and a reload link that works without WebAssembly.
//!
//! The message is built with DOM text nodes: nothing from the panic is ever parsed as HTML.

use std::panic::PanicHookInfo;

use leptos::prelude::*;

/// Installs the panic hook (once): log to the console as usual, then show the message.
pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo| {
        console_error_panic_hook::hook(info);
        let message = panic_message(info);
        show_failure(&message);
    }));
}

fn panic_message(info: &PanicHookInfo) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".into());
    let place = info
        .location()
        .map(|l| format!(" ({}:{})", l.file(), l.line()))
        .unwrap_or_default();
    let mut text = format!("{payload}{place}");
    if text.chars().count() > 500 {
        text = text.chars().take(500).collect::<String>() + "…";
    }
    text
}

/// Shows the failure message at the top of the page. Safe to call more than once.
pub fn show_failure(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(doc) = window.document() else { return };
    let Some(body) = doc.body() else { return };
    if let Some(old) = doc.get_element_by_id("fail-safe") {
        old.remove();
    }
    let build = || -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let boxed = doc.create_element("div")?;
        boxed.set_id("fail-safe");
        boxed.set_class_name("fail-safe");
        boxed.set_attribute("role", "alert")?;
        boxed.set_attribute("tabindex", "-1")?;
        let h = doc.create_element("h2")?;
        h.set_text_content(Some("Something went wrong"));
        let what = doc.create_element("p")?;
        what.set_text_content(Some(&format!(
            "The app stopped because of an error: {message}"
        )));
        let kept = doc.create_element("p")?;
        kept.set_text_content(Some(
            "Your saved answers are kept in this browser. Reload the page to carry on where you left off.",
        ));
        let link = doc.create_element("a")?;
        link.set_class_name("button");
        link.set_id("fail-safe-reload");
        // A new query string forces a real reload (a bare hash link would not), keeping the route.
        let hash = window.location().hash().unwrap_or_default();
        let stamp = js_sys::Date::now() as u64;
        link.set_attribute("href", &format!("?reload={stamp}{hash}"))?;
        link.set_text_content(Some("Reload the page"));
        for child in [&h, &what, &kept, &link] {
            boxed.append_child(child)?;
        }
        Ok(boxed)
    };
    if let Ok(boxed) = build() {
        let _ = body.insert_before(&boxed, body.first_child().as_ref());
        let _ = body.class_list().add_1("has-failed");
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(boxed) {
            let _ = el.focus();
        }
    }
}

/// A page that panics when shown: `#/panic-check` proves the fail-safe end to end.
#[component]
pub fn PanicCheck() -> impl IntoView {
    panic!("deliberate panic from the fail-safe check page");
    #[allow(unreachable_code)]
    ()
}
