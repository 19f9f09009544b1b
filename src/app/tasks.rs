//! Letting the browser breathe: long work on the page's thread is cut into tasks, with a yield to
//! the browser (input, paint) between them, so no task runs over 50 ms.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// The longest [`after_next_paint`] waits for a frame.
const PAINT_WAIT_MS: i32 = 50;

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

/// Waits `ms` milliseconds (at once where there is no window to time it).
pub async fn after_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let timed = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32)
                .is_ok()
        });
        if !timed {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until the browser has painted the page as it now stands (a frame), then for a task of
/// its own. Work done then finds the page's style and layout already worked out, instead of
/// forcing them inside its own task. A page the browser gives no frames (hidden, or in the
/// background) goes on after [`PAINT_WAIT_MS`] all the same.
pub async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Some(w) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let framed = w.request_animation_frame(&resolve).is_ok();
        let timed = w
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, PAINT_WAIT_MS)
            .is_ok();
        if !framed && !timed {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    yield_now().await;
}

/// Whenever what `watch` reads changes, runs `work` in a task of its own once the change's task has
/// ended. Changes that come while it waits are taken together: one run for them all.
pub fn effect_in_own_task<W, F, Fut>(watch: W, work: F)
where
    W: Fn() + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    effect_after(watch, yield_now, work)
}

/// As [`effect_in_own_task`], but `work` runs once the page has painted ([`after_next_paint`]),
/// and changes that come before then are taken together too.
pub fn effect_after_paint<W, F, Fut>(watch: W, work: F)
where
    W: Fn() + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    effect_after(watch, after_next_paint, work)
}

/// As [`effect_in_own_task`], but `work` runs `ms` milliseconds after the first change, taking
/// every change in between together: for work that can wait until the page has done what the
/// change asked of it.
pub fn effect_after_ms<W, F, Fut>(watch: W, ms: u32, work: F)
where
    W: Fn() + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    effect_after(watch, move || after_ms(ms), work)
}

/// Whenever what `watch` reads changes, waits for `wait` and then runs `work`; changes that come
/// while it waits are taken together.
fn effect_after<W, D, DF, F, Fut>(watch: W, wait: D, work: F)
where
    W: Fn() + 'static,
    D: Fn() -> DF + Copy + 'static,
    DF: Future<Output = ()> + 'static,
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
            wait().await;
            waiting.set(false);
            work().await;
        });
    });
}

/// Shows `children` once the page has painted `paints` times since this was mounted: a big page
/// mounts in pieces, each (with its style and layout) in a task of its own, rather than in one
/// long task the browser cannot interrupt. With `paints` 0 they are shown at once.
#[component]
pub fn AfterPaints(paints: u32, children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(paints == 0);
    if paints > 0 {
        spawn_local(async move {
            for _ in 0..paints {
                after_next_paint().await;
            }
            shown.try_set(true);
        });
    }
    move || shown.get().then(|| children())
}
