//! The explorer's previews, run in a Web Worker of their own (the model's worker,
//! `src/bin/full_run_worker.rs`, in its "previews" role), so the page's thread never runs the
//! model: a preview takes 30 ms or more in a browser (several times that while the browser is
//! still compiling the page's WebAssembly at load), and the page must never be busy for 50 ms.
//!
//! The page asks for the scenario it shows; while a preview runs, only the latest scenario asked
//! for waits (the ones in between would be shown for a moment and replaced). Each answer carries
//! the number it was asked with, so the page shows only the answer to its latest question.
//! Dropping the [`PreviewWorker`] stops the worker.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker};

use crate::app::task_pool::{SCRIPT, numbers_in, worker_error};
use crate::model::series_numbers::{self, Lengths};
use crate::model::{Report, Scenario};

/// What the worker sends back.
pub enum PreviewNews {
    /// The preview asked for with this number, and how long the worker took over it.
    Report { asked: u64, report: Report, ms: f64 },
    /// The worker cannot run previews (the page runs them itself from then on).
    Failed(String),
}

#[derive(Default)]
struct Queue {
    ready: bool,
    running: bool,
    /// The latest scenario asked for and not yet sent to the worker: its number and JSON.
    waiting: Option<(u64, String)>,
    asked: u64,
}

/// A worker running previews; stopped when dropped.
pub struct PreviewWorker {
    worker: Worker,
    sample: f64,
    queue: Rc<RefCell<Queue>>,
    _listen: Closure<dyn FnMut(MessageEvent)>,
    _errors: Closure<dyn FnMut(Event)>,
}

/// Sends the waiting scenario if the worker is free.
fn send_waiting(worker: &Worker, queue: &RefCell<Queue>, sample: f64) -> Result<(), String> {
    let mut q = queue.borrow_mut();
    if !q.ready || q.running {
        return Ok(());
    }
    let Some((id, json)) = q.waiting.take() else {
        return Ok(());
    };
    q.running = true;
    let message = Array::of4(
        &"preview".into(),
        &(id as f64).into(),
        &json.into(),
        &sample.into(),
    );
    worker
        .post_message(&message)
        .map_err(|_| "the preview worker could not be given its work".to_string())
}

/// Reads `["previewed", id, report and series lengths JSON, ms, series numbers]`.
fn report_from(parts: &Array) -> Option<Result<(u64, Report, f64), String>> {
    let id = parts.get(1).as_f64()? as u64;
    let json = parts.get(2).as_string()?;
    let ms = parts.get(3).as_f64().unwrap_or(0.0);
    let numbers = numbers_in(parts, 4)?;
    Some(
        serde_json::from_str::<(Report, Lengths)>(&json)
            .map_err(|e| e.to_string())
            .and_then(|(mut report, lengths)| {
                series_numbers::put(&mut report, &numbers, &lengths).map(|()| (id, report, ms))
            })
            .map_err(|e| format!("the preview worker's report was unreadable ({e})")),
    )
}

impl PreviewWorker {
    /// Starts the worker; previews run at `sample`. An error means this browser cannot start a
    /// worker here.
    pub fn start(sample: f64, on_news: Rc<dyn Fn(PreviewNews)>) -> Result<PreviewWorker, String> {
        let worker =
            Worker::new(SCRIPT).map_err(|_| "no Web Worker could be started".to_string())?;
        let queue = Rc::new(RefCell::new(Queue::default()));
        let listen = {
            let (worker, queue, on_news) = (worker.clone(), queue.clone(), on_news.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let failed = |why: String| on_news(PreviewNews::Failed(why));
                if data.as_string().as_deref() == Some("ready") {
                    queue.borrow_mut().ready = true;
                    if worker
                        .post_message(&Array::of1(&"previews".into()))
                        .is_err()
                    {
                        return failed("the preview worker could not be started".into());
                    }
                } else if let Ok(parts) = data.dyn_into::<Array>() {
                    match parts.get(0).as_string().as_deref() {
                        Some("previewed") => {
                            queue.borrow_mut().running = false;
                            match report_from(&parts) {
                                Some(Ok((asked, report, ms))) => {
                                    on_news(PreviewNews::Report { asked, report, ms })
                                }
                                Some(Err(why)) => return failed(why),
                                None => {
                                    return failed(
                                        "the preview worker's answer was unreadable".into(),
                                    );
                                }
                            }
                        }
                        Some("failed") => {
                            queue.borrow_mut().running = false;
                            return failed(parts.get(1).as_string().unwrap_or_default());
                        }
                        _ => return,
                    }
                }
                if let Err(why) = send_waiting(&worker, &queue, sample) {
                    failed(why);
                }
            })
        };
        let errors = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            on_news(PreviewNews::Failed(format!(
                "the preview worker stopped ({})",
                worker_error(&e)
            )));
        });
        worker.set_onmessage(Some(listen.as_ref().unchecked_ref()));
        worker.set_onerror(Some(errors.as_ref().unchecked_ref()));
        Ok(PreviewWorker {
            worker,
            sample,
            queue,
            _listen: listen,
            _errors: errors,
        })
    }

    /// Asks for a preview of `s` (replacing any still waiting); returns the number its answer
    /// will carry.
    pub fn ask(&self, s: &Scenario) -> Result<u64, String> {
        let json = serde_json::to_string(s).map_err(|e| format!("scenario: {e}"))?;
        let id = {
            let mut q = self.queue.borrow_mut();
            q.asked += 1;
            q.waiting = Some((q.asked, json));
            q.asked
        };
        send_waiting(&self.worker, &self.queue, self.sample)?;
        Ok(id)
    }
}

impl Drop for PreviewWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
