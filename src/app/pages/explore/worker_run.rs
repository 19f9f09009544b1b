//! A full-scale run in two Web Workers: one runs the DSP half of the day and the other the routes
//! half (the model's `split_run`; the workers are `src/bin/full_run_worker.rs`). A page has one
//! thread, but each worker can have a core of its own, so a GB day takes about as long as a
//! native run on two cores. The page only hears how far the run has got and, at the end, the
//! report; dropping the [`WorkerRun`] stops both workers at once.

use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageChannel, MessageEvent, Worker};

use crate::model::{Report, Scenario};

use crate::app::task_pool::SCRIPT;
/// What a worker says when it can take its work.
const READY: &str = "ready";

/// What the workers tell the page.
pub enum WorkerNews {
    /// Share of the simulated horizon done (0 to 1).
    Progress(f64),
    Done(Report),
    Failed(String),
}

/// Two workers running one full-scale day; stopped when dropped.
pub struct WorkerRun {
    workers: Vec<Worker>,
    listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
    errors: Closure<dyn FnMut(ErrorEvent)>,
}

fn js_error(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |e| {
        format!(
            "{what}: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )
    }
}

/// Reads a `[kind, value]` message from a worker.
fn news_from(data: JsValue) -> Option<WorkerNews> {
    let parts: Array = data.dyn_into().ok()?;
    let value = parts.get(1);
    Some(match parts.get(0).as_string()?.as_str() {
        "progress" => WorkerNews::Progress(value.as_f64()?.clamp(0.0, 1.0)),
        "report" => match serde_json::from_slice::<Report>(
            &value.dyn_into::<js_sys::Uint8Array>().ok()?.to_vec(),
        ) {
            Ok(report) => WorkerNews::Done(report),
            Err(e) => WorkerNews::Failed(format!("the workers' report was unreadable ({e})")),
        },
        "failed" => WorkerNews::Failed(value.as_string()?),
        _ => return None,
    })
}

impl WorkerRun {
    /// Starts the two workers on a validated scenario. An error means this browser cannot run
    /// workers here (the caller runs the day on the page's own thread instead).
    pub fn start(s: &Scenario, on_news: Rc<dyn Fn(WorkerNews)>) -> Result<WorkerRun, String> {
        let json = serde_json::to_string(s).map_err(|e| format!("scenario: {e}"))?;
        let errors = {
            let on_news = on_news.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
                let message = e.message();
                on_news(WorkerNews::Failed(if message.is_empty() {
                    "a worker could not start or stopped with an error".into()
                } else {
                    message
                }));
            })
        };
        let channel = MessageChannel::new().map_err(js_error("channel"))?;
        // An early return drops the run, which stops the workers started so far.
        let mut run = WorkerRun {
            workers: Vec::new(),
            listeners: Vec::new(),
            errors,
        };
        for (role, port) in [("dsp", channel.port1()), ("routes", channel.port2())] {
            let worker = Worker::new(SCRIPT).map_err(js_error("worker"))?;
            // A worker hears nothing until its WebAssembly is running: it says when it is ready,
            // and only then is it given its role, the scenario and its end of the channel.
            let start = Array::of3(&role.into(), &json.as_str().into(), &port);
            let listen = {
                let (on_news, me) = (on_news.clone(), worker.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    if e.data().as_string().as_deref() == Some(READY) {
                        if me
                            .post_message_with_transfer(&start, &Array::of1(&port))
                            .is_err()
                        {
                            on_news(WorkerNews::Failed(
                                "a worker could not be given its work".into(),
                            ));
                        }
                    } else if let Some(news) = news_from(e.data()) {
                        on_news(news);
                    }
                })
            };
            worker.set_onmessage(Some(listen.as_ref().unchecked_ref()));
            worker.set_onerror(Some(run.errors.as_ref().unchecked_ref()));
            run.workers.push(worker);
            run.listeners.push(listen);
        }
        Ok(run)
    }
}

impl Drop for WorkerRun {
    fn drop(&mut self) {
        for w in &self.workers {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
    }
}
