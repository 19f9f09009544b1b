//! Letting the browser breathe: long work on the page's thread is cut into tasks, with a yield to
//! the browser (input, paint) between them, so no task runs over 50 ms.

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
