//! The Web Worker that writes the Word and Excel files (Trunk builds it as `documents_worker`,
//! beside the page). The document writers are large, so the page loads this worker only when a
//! download asks for one, and stops it once the file is made.
//!
//! Messages:
//! - worker → page, once its WebAssembly runs: `"ready"`;
//! - page → worker, once: `["response", response JSON]` (the respondent's Word response), or
//!   `["collation" | "sheet", JSON array of [file name, file text], publication-safe?,
//!   the combined load's capacity finding as JSON or null]` (the administrator's Word collation
//!   or spreadsheet of the responses loaded);
//! - worker → page: `["file", bytes]` (a Uint8Array, its buffer handed over) or `["failed", message]`.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("documents_worker runs inside the browser page: build the app with `trunk build`");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use js_sys::{Array, Uint8Array};
    use mp162_explorer::consultation::capacity::CapacityFinding;
    use mp162_explorer::consultation::consolidate::Consolidation;
    use mp162_explorer::consultation::questions::Consultation;
    use mp162_explorer::consultation::response::Response;
    use mp162_explorer::documents::{answers_sheet, collation, response_form};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// The file a request asks for.
    fn make(request: &Array) -> Result<Vec<u8>, String> {
        let c = Consultation::current();
        let kind = request.get(0).as_string().unwrap_or_default();
        let text = request
            .get(1)
            .as_string()
            .ok_or("the request carries no text")?;
        if kind == "response" {
            let r = Response::from_json(&text, &c).map_err(|p| p.join(" "))?;
            return response_form::response_docx(&r, &c);
        }
        let files: Vec<(String, String)> = serde_json::from_str(&text)
            .map_err(|e| format!("the responses could not be read ({e})"))?;
        let publication = request.get(2).as_bool().unwrap_or(true);
        let con = Consolidation::load(files, &c);
        // The page made the finding; one that does not read is left out (the document says so).
        let capacity: Option<CapacityFinding> = request
            .get(3)
            .as_string()
            .and_then(|t| serde_json::from_str(&t).ok())
            .filter(|f: &CapacityFinding| f.problems().is_empty());
        match kind.as_str() {
            "collation" => collation::collation_docx(&con, &c, publication, capacity.as_ref()),
            "sheet" => answers_sheet::answers_xlsx(&con, &c, publication, capacity.as_ref()),
            other => Err(format!("no such document: {other}")),
        }
    }

    pub fn start() {
        let on_request = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let reply = match e.data().dyn_into::<Array>() {
                Ok(request) => make(&request),
                Err(_) => Err("the request is not a list".into()),
            };
            let _ = match reply {
                Ok(bytes) => {
                    let data = Uint8Array::from(bytes.as_slice());
                    scope().post_message_with_transfer(
                        &Array::of2(&"file".into(), &data),
                        &Array::of1(&data.buffer()),
                    )
                }
                Err(why) => scope().post_message(&Array::of2(&"failed".into(), &why.into())),
            };
        });
        scope().set_onmessage(Some(on_request.as_ref().unchecked_ref()));
        on_request.forget();
        let _ = scope().post_message(&"ready".into());
    }
}
