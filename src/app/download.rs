//! Saving a file the app made (CSV, JSON, ...) to the person's computer: a Blob behind an object
//! URL, clicked through a temporary link. Nothing is sent anywhere.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` for download as `filename` with the given MIME type.
pub fn save_text(filename: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    save_blob(
        filename,
        mime,
        &js_sys::Array::of1(&JsValue::from_str(text)),
    )
}

/// Offers `bytes` (a Word or Excel file the app made) for download as `filename`.
pub fn save_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    save_blob(
        filename,
        mime,
        &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)),
    )
}

fn save_blob(filename: &str, mime: &str, parts: &js_sys::Array) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    save_url(filename, &url)?;
    web_sys::Url::revoke_object_url(&url)
}

/// Offers the resource at `url` (a `data:` or `blob:` URL the app made) for download as `filename`.
pub fn save_url(filename: &str, url: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .ok_or("no window")?
        .document()
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(url);
    link.set_download(filename);
    link.click();
    Ok(())
}
