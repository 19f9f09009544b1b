//! Word and Excel downloads. The document writers live in a Web Worker of their own
//! (`documents_worker`), loaded when a download asks for a file and stopped once it is made, so
//! they cost the page nothing until then. [`DocumentButton`] is a download button that says what
//! it is doing and why it failed.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::app::download::save_bytes;

/// The worker's script, beside the page (Trunk's loader shim).
pub const SCRIPT: &str = "./documents_worker_loader.js";

/// Asks a fresh documents worker for a file (see `src/bin/documents_worker.rs` for `request`).
pub async fn make(request: Array) -> Result<Vec<u8>, String> {
    let worker = Worker::new(SCRIPT)
        .map_err(|_| "this browser could not start the document writer".to_string())?;
    let settle: Rc<RefCell<Option<(Function, Function)>>> = Rc::new(RefCell::new(None));
    let promise = {
        let settle = settle.clone();
        Promise::new(&mut move |resolve, reject| *settle.borrow_mut() = Some((resolve, reject)))
    };
    let on_message = {
        let (settle, worker, request) = (settle.clone(), worker.clone(), request.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            if data.as_string().as_deref() == Some("ready") {
                let _ = worker.post_message(&request);
            } else if let Some((resolve, _)) = settle.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        })
    };
    let on_error = {
        let settle = settle.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some((_, reject)) = settle.borrow_mut().take() {
                let _ = reject.call1(&JsValue::NULL, &"the document writer stopped".into());
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let reply = JsFuture::from(promise).await;
    worker.terminate();
    drop((on_message, on_error));
    let reply: Array = reply
        .map_err(|e| {
            e.as_string()
                .unwrap_or_else(|| "the document writer stopped".into())
        })?
        .dyn_into()
        .map_err(|_| "the document writer sent nothing".to_string())?;
    match reply.get(0).as_string().as_deref() {
        Some("file") => Ok(reply
            .get(1)
            .dyn_into::<Uint8Array>()
            .map_err(|_| "the document writer sent no file".to_string())?
            .to_vec()),
        _ => Err(reply
            .get(1)
            .as_string()
            .unwrap_or_else(|| "the document could not be made".into())),
    }
}

/// What a download button is doing.
#[derive(Clone, Debug, PartialEq)]
enum State {
    Idle,
    Making,
    Failed(String),
}

/// A button that has the documents worker make a file and offers it for download. `request`
/// builds the worker's request when the button is pressed.
#[component]
pub fn DocumentButton(
    id: &'static str,
    label: &'static str,
    file_name: Signal<String>,
    mime: &'static str,
    request: Rc<dyn Fn() -> Array>,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    let on_click = move |_| {
        if state.get_untracked() == State::Making {
            return;
        }
        state.set(State::Making);
        let (request, name) = (request(), file_name.get_untracked());
        leptos::task::spawn_local(async move {
            let next = match make(request).await {
                Ok(bytes) => match save_bytes(&name, mime, &bytes) {
                    Ok(()) => State::Idle,
                    Err(_) => State::Failed("the browser refused the download".into()),
                },
                Err(why) => State::Failed(why),
            };
            // The page may have gone while the file was made.
            let _ = state.try_set(next);
        });
    };
    view! {
        <button type="button" class=if primary { "button" } else { "button button--secondary" } id=id
            aria-describedby=format!("{id}-status") on:click=on_click>{label}</button>
        <span class="document-status" id=format!("{id}-status") role="status">{move || match state.get() {
            State::Idle => String::new(),
            State::Making => "Making the file…".into(),
            State::Failed(why) => format!("The file could not be made: {why}. Try again, or download the JSON file instead."),
        }}</span>
    }
}
