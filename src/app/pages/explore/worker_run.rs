//! A full-scale run in two Web Workers: one runs the DSP half of the day and the other the routes
//! half (the model's `split_run`; the workers are `src/bin/full_run_worker.rs`). A page has one
//! thread, but each worker can have a core of its own, so a GB day takes about as long as a
//! native run on two cores. The page hands the workers' messages to each other (see the worker's
//! `Link` for why not a channel between them), and itself hears how far the run has got and, at
//! the end, the report; dropping the [`WorkerRun`] stops both workers at once.

use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::model::{Report, Scenario};

use crate::app::task_pool::SCRIPT;
/// What a worker says when it can take its work.
const READY: &str = "ready";
/// Kinds of message from one worker to the other, which the page hands on.
const FOR_THE_OTHER: [&str; 2] = ["link", "spare"];

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
        // An early return drops the run, which stops the workers started so far.
        let mut run = WorkerRun {
            workers: Vec::new(),
            listeners: Vec::new(),
            errors,
        };
        for _ in 0..2 {
            run.workers
                .push(Worker::new(SCRIPT).map_err(js_error("worker"))?);
        }
        // A worker hears nothing until its WebAssembly is running: it says when it is ready. Only
        // once both are is each given its role and the scenario, because the DSP's half starts
        // sending at once, and a message reaching the other before it listens would be lost.
        let starts: Vec<(Worker, Array)> = ["dsp", "routes"]
            .iter()
            .zip(&run.workers)
            .map(|(role, w)| {
                (
                    w.clone(),
                    Array::of2(&(*role).into(), &json.as_str().into()),
                )
            })
            .collect();
        let ready = Rc::new(std::cell::Cell::new(0));
        for i in 0..2 {
            let me = &run.workers[i];
            let listen = {
                let (on_news, other) = (on_news.clone(), run.workers[1 - i].clone());
                let (starts, ready) = (starts.clone(), ready.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let data = e.data();
                    if data.as_string().as_deref() == Some(READY) {
                        ready.set(ready.get() + 1);
                        if ready.get() == starts.len()
                            && starts
                                .iter()
                                .any(|(w, start)| w.post_message(start).is_err())
                        {
                            on_news(WorkerNews::Failed(
                                "a worker could not be given its work".into(),
                            ));
                        }
                    } else if let Some(buffer) = for_the_other(&data) {
                        if other
                            .post_message_with_transfer(&data, &Array::of1(&buffer))
                            .is_err()
                        {
                            on_news(WorkerNews::Failed(
                                "a message between the workers could not be passed on".into(),
                            ));
                        }
                    } else if let Some(news) = news_from(data) {
                        on_news(news);
                    }
                })
            };
            me.set_onmessage(Some(listen.as_ref().unchecked_ref()));
            me.set_onerror(Some(run.errors.as_ref().unchecked_ref()));
            run.listeners.push(listen);
        }
        Ok(run)
    }
}

/// The buffer to hand on with a message from one worker to the other (`["link", bytes]` or
/// `["spare", buffer]`); `None` for any other message.
fn for_the_other(data: &JsValue) -> Option<JsValue> {
    let parts = data.dyn_ref::<Array>()?;
    let kind = parts.get(0).as_string()?;
    if !FOR_THE_OTHER.contains(&kind.as_str()) {
        return None;
    }
    let value = parts.get(1);
    Some(match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(view) => view.buffer().into(),
        None => value,
    })
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
