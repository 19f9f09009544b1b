//! Letting the browser breathe: long work on the page's thread is cut into tasks, with a yield to
//! the browser (input, paint) between them, so no task runs over 50 ms.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// Lets the browser handle input and paint, then continues. A message to ourselves is not
/// throttled the way nested timeouts are (4 ms each).
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(&resolve));
            if channel.port2().post_message(&JsValue::NULL).is_ok() {
                return;
            }
        }
        let _ = resolve.call0(&JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whenever what `watch` reads changes, runs `work` in a task of its own once the change's task has
/// ended. Changes that come while it waits are taken together: one run for them all.
pub fn effect_in_own_task<W, F, Fut>(watch: W, work: F)
where
    W: Fn() + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let waiting = Rc::new(Cell::new(false));
    let work = Rc::new(work);
    Effect::new(move |_| {
        watch();
        if waiting.replace(true) {
            return;
        }
        let (waiting, work) = (waiting.clone(), work.clone());
        spawn_local(async move {
            yield_now().await;
            waiting.set(false);
            work().await;
        });
    });
}
