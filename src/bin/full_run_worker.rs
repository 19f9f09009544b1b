//! The Web Worker of a full-scale run in the browser (Trunk builds it as `full_run_worker`, beside
//! the page). The page starts two: one runs the DSP half of the run and one the routes half (see
//! the model's `split_run`), so a full-scale day uses two cores although a page has one thread.
//!
//! Messages:
//! - worker → page, once its WebAssembly runs: `"ready"` (it would miss anything said earlier);
//! - page → worker, once: `[role, scenario JSON, port]`, role `"dsp"` or `"routes"`, port one end
//!   of a channel to the other worker;
//! - worker ↔ worker, on the port: the halves' byte messages (hand-overs, retries, closing);
//! - worker → page: `["progress", share]`, `["report", report JSON]` (from the routes half) and
//!   `["failed", message]`.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "full_run_worker runs inside the browser page: build the app with `trunk build` (the \
         native command line is `mp162`)"
    );
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Array, Uint8Array};
    use mp162_model::split_run::{DspHalf, RoutesHalf};
    use mp162_model::{RunOptions, Scenario};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Tells the page something: `[kind, value]`.
    fn tell_page(kind: &str, value: &JsValue) {
        let _ = scope().post_message(&Array::of2(&kind.into(), value));
    }

    fn fail(message: &str) {
        tell_page("failed", &message.into());
    }

    /// Sends bytes to the other worker, handing over the buffer rather than copying it.
    fn send(port: &MessagePort, bytes: &[u8]) {
        let array = Uint8Array::from(bytes);
        let buffer = array.buffer();
        if port
            .post_message_with_transferable(&buffer, &Array::of1(&buffer))
            .is_err()
        {
            fail("could not pass a message to the other worker");
        }
    }

    fn bytes_of(e: &MessageEvent) -> Vec<u8> {
        Uint8Array::new(&e.data()).to_vec()
    }

    pub fn start() {
        let on_start = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let parts: Array = e.data().unchecked_into();
            let role = parts.get(0).as_string().unwrap_or_default();
            let json = parts.get(1).as_string().unwrap_or_default();
            let Ok(port) = parts.get(2).dyn_into::<MessagePort>() else {
                return fail("the page gave the worker no channel to the other worker");
            };
            let scenario = match serde_json::from_str::<Scenario>(&json) {
                Ok(s) if s.validate().is_empty() => s,
                _ => return fail("the page gave the worker a scenario it cannot run"),
            };
            let options = RunOptions {
                sample: 1.0,
                series: true,
                ..Default::default()
            };
            scope().set_onmessage(None);
            match role.as_str() {
                "dsp" => run_dsp(DspHalf::new(&scenario, options), port),
                "routes" => run_routes(RoutesHalf::new(&scenario, options), port),
                _ => fail("the page gave the worker no role"),
            }
        });
        scope().set_onmessage(Some(on_start.as_ref().unchecked_ref()));
        on_start.forget();
        let _ = scope().post_message(&"ready".into());
    }

    /// Runs the DSP as far as the routes' failures let it, each time some come back.
    fn run_dsp(half: DspHalf, port: MessagePort) {
        let half = Rc::new(RefCell::new(Some(half)));
        let pump = {
            let (half, port) = (half.clone(), port.clone());
            move || {
                let mut slot = half.borrow_mut();
                let Some(dsp) = slot.as_mut() else { return };
                while dsp.can_go_on() {
                    if let Some(msg) = dsp.advance(&mut u64::MAX.clone()) {
                        send(&port, &msg);
                    }
                }
                if dsp.is_finished() {
                    if let Some(dsp) = slot.take() {
                        send(&port, &dsp.close());
                    }
                }
            }
        };
        let on_retries = {
            let (half, pump) = (half.clone(), pump.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let taken = match half.borrow_mut().as_mut() {
                    Some(dsp) => dsp.take_retries(&bytes_of(&e)),
                    None => Ok(()),
                };
                match taken {
                    Ok(()) => pump(),
                    Err(err) => fail(&err.to_string()),
                }
            })
        };
        port.set_onmessage(Some(on_retries.as_ref().unchecked_ref()));
        on_retries.forget();
        pump();
    }

    /// Runs the routes a step at a time as the DSP's hand-overs come in; at the end, writes the
    /// report for the page.
    fn run_routes(half: RoutesHalf, port: MessagePort) {
        let half = Rc::new(RefCell::new(Some(half)));
        let on_hand_over = {
            let port = port.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let mut slot = half.borrow_mut();
                let Some(routes) = slot.as_mut() else { return };
                if let Err(err) = routes.receive(&bytes_of(&e)) {
                    return fail(&err.to_string());
                }
                while routes.can_go_on() {
                    if let Some(msg) = routes.advance(&mut u64::MAX.clone()) {
                        send(&port, &msg);
                        tell_page("progress", &routes.progress().into());
                    }
                }
                if routes.is_finished() {
                    let report = slot.take().map(|r| r.report());
                    match report.map(|r| r.map(|r| serde_json::to_string(&r))) {
                        Some(Ok(Ok(json))) => tell_page("report", &json.into()),
                        Some(Ok(Err(e))) => fail(&format!("the report could not be written: {e}")),
                        Some(Err(e)) => fail(&e.to_string()),
                        None => {}
                    }
                }
            })
        };
        port.set_onmessage(Some(on_hand_over.as_ref().unchecked_ref()));
        on_hand_over.forget();
    }
}
