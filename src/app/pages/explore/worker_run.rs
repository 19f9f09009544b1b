//! A full-scale run in Web Workers: one runs the DSP's half of the day and each of the others a
//! part of the routes (the model's `split_run::Layout`; the workers are
//! `src/bin/full_run_worker.rs`). A page has one thread, but each worker can have a core of its
//! own, so a GB day takes about as long as a native run on as many cores. There is one worker per
//! core (`navigator.hardwareConcurrency`), at least two and at most [`MOST_WORKERS`] (six): on
//! two cores a third worker made the GB day no faster in Chromium (39.0 and 40.2 s against 37.1
//! and 39.1 s with two, back to back), although natively three threads on two cores are. The
//! page hands the workers' messages on to the worker each is for (see the worker's `Link` for why
//! not channels between them), and itself hears how far the run has got and, at the end, the
//! report; dropping the [`WorkerRun`] stops every worker at once.

use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker};

use crate::model::split_run::Layout;
use crate::model::{Report, Scenario};

use crate::app::task_pool::{SCRIPT, cores, worker_error};

/// The most workers a full run starts: the DSP's and five route parts. A sixth part (one per
/// route) would not shorten the day, as the largest route (16% of the routes' work, measured:
/// `split_run::layout`) is a part of its own either way and the DSP's worker (35–40% of the
/// work) sets the pace; and with the page's own memory and the preview worker's, six keeps
/// Safari on a Mac within the eight WebAssembly memories it makes fast (a ninth is
/// bounds-checked: see `app::memory_ahead`).
pub const MOST_WORKERS: usize = 6;

/// The layout of a full run for this browser's cores.
fn layout_here() -> Layout {
    Layout::for_workers(cores().min(MOST_WORKERS))
}

/// What a worker says when it can take its work.
const READY: &str = "ready";
/// Kinds of message from one worker to another, which the page hands on.
const FOR_ANOTHER: [&str; 2] = ["link", "spare"];

/// What the workers tell the page.
pub enum WorkerNews {
    /// Share of the simulated horizon done (0 to 1).
    Progress(f64),
    Done(Report),
    Failed(String),
}

/// Where one worker's time went in a full run, in milliseconds: the model's work, the messages
/// between the workers (written, copied, read), and its whole span (the rest it waited).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkerTimes {
    pub engine_ms: f64,
    pub messages_ms: f64,
    pub span_ms: f64,
}

impl WorkerTimes {
    /// As JSON for the benchmarks (`data-worker-times` of the finished run's note): worker 0 runs
    /// the DSP, the others the routes.
    pub fn json(all: &[Option<WorkerTimes>]) -> String {
        let each: Vec<String> = all
            .iter()
            .map(|t| match t {
                Some(t) => format!(
                    "{{\"engine_s\":{:.2},\"messages_s\":{:.2},\"waiting_s\":{:.2}}}",
                    t.engine_ms / 1000.0,
                    t.messages_ms / 1000.0,
                    (t.span_ms - t.engine_ms - t.messages_ms).max(0.0) / 1000.0
                ),
                None => "null".into(),
            })
            .collect();
        format!("[{}]", each.join(","))
    }
}

/// The workers running one full-scale day; stopped when dropped.
pub struct WorkerRun {
    workers: Vec<Worker>,
    /// The largest WebAssembly memory a worker has reported at the end of its part, megabytes.
    largest_mb: Rc<std::cell::Cell<f64>>,
    /// Where each worker's time went, once it has finished its part.
    times: Rc<std::cell::RefCell<Vec<Option<WorkerTimes>>>>,
    listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
    errors: Closure<dyn FnMut(Event)>,
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
    /// Starts the workers on a validated scenario, laid out for this machine's cores. An error
    /// means this browser cannot run workers here (the caller runs the day on the page's own
    /// thread instead).
    pub fn start(s: &Scenario, on_news: Rc<dyn Fn(WorkerNews)>) -> Result<WorkerRun, String> {
        WorkerRun::start_laid_out(s, &layout_here(), on_news)
    }

    /// The largest WebAssembly memory any worker used, in megabytes, once each has finished its
    /// part (they all have when the report comes).
    pub fn largest_memory_mb(&self) -> f64 {
        self.largest_mb.get()
    }

    /// Where each worker's time went (`None` for one that has not said), once each has finished.
    pub fn times(&self) -> Vec<Option<WorkerTimes>> {
        self.times.borrow().clone()
    }

    /// How many workers a run starts in this browser.
    pub fn count_here() -> usize {
        layout_here().workers()
    }

    /// Starts one worker for each part of `layout`.
    fn start_laid_out(
        s: &Scenario,
        layout: &Layout,
        on_news: Rc<dyn Fn(WorkerNews)>,
    ) -> Result<WorkerRun, String> {
        let json = serde_json::to_string(s).map_err(|e| format!("scenario: {e}"))?;
        let layout_json = serde_json::to_string(layout).map_err(|e| format!("layout: {e}"))?;
        let errors = {
            let on_news = on_news.clone();
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                on_news(WorkerNews::Failed(worker_error(&e)));
            })
        };
        // An early return drops the run, which stops the workers started so far.
        let mut run = WorkerRun {
            workers: Vec::new(),
            largest_mb: Rc::default(),
            times: Rc::new(std::cell::RefCell::new(vec![None; layout.workers()])),
            listeners: Vec::new(),
            errors,
        };
        for _ in 0..layout.workers() {
            run.workers
                .push(Worker::new(SCRIPT).map_err(js_error("worker"))?);
        }
        // A worker hears nothing until its WebAssembly is running: it says when it is ready. Only
        // once all are is each given its role and the scenario, because the DSP's half starts
        // sending at once, and a message reaching another before it listens would be lost.
        let (json, layout_json) = (JsValue::from(json), JsValue::from(layout_json));
        let starts: Vec<(Worker, Array)> = run
            .workers
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let start = match i {
                    0 => Array::of3(&"dsp".into(), &json, &layout_json),
                    _ => Array::of4(&"routes".into(), &json, &layout_json, &(i - 1).into()),
                };
                (w.clone(), start)
            })
            .collect();
        let ready = Rc::new(std::cell::Cell::new(0));
        for i in 0..run.workers.len() {
            let me = &run.workers[i];
            let listen = {
                let (on_news, others) = (on_news.clone(), run.workers.clone());
                let (largest, times) = (run.largest_mb.clone(), run.times.clone());
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
                    } else if let Some((mb, took)) = memory_from(&data) {
                        largest.set(largest.get().max(mb));
                        if let Some(slot) = times.borrow_mut().get_mut(i) {
                            *slot = took;
                        }
                    } else if let Some((to, message, buffer)) = for_another(&data, i) {
                        let sent = others.get(to).map(|other| {
                            other.post_message_with_transfer(&message, &Array::of1(&buffer))
                        });
                        if !matches!(sent, Some(Ok(()))) {
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

/// A worker's `["memory", megabytes, engine ms, messages ms, span ms]`.
fn memory_from(data: &JsValue) -> Option<(f64, Option<WorkerTimes>)> {
    let parts = data.dyn_ref::<Array>()?;
    if parts.get(0).as_string()? != "memory" {
        return None;
    }
    let times = (|| {
        Some(WorkerTimes {
            engine_ms: parts.get(2).as_f64()?,
            messages_ms: parts.get(3).as_f64()?,
            span_ms: parts.get(4).as_f64()?,
        })
    })();
    Some((parts.get(1).as_f64()?, times))
}

/// A message from worker `from` for another (`["link", bytes, to]` or `["spare", buffer, to]`):
/// which worker it is for, the message to hand on (`[kind, value, from]`) and the buffer to hand
/// over with it; `None` for any other message.
fn for_another(data: &JsValue, from: usize) -> Option<(usize, Array, JsValue)> {
    let parts = data.dyn_ref::<Array>()?;
    let kind = parts.get(0);
    if !FOR_ANOTHER.contains(&kind.as_string()?.as_str()) {
        return None;
    }
    let to = parts.get(2).as_f64()? as usize;
    let value = parts.get(1);
    let buffer = match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(view) => view.buffer().into(),
        None => value.clone(),
    };
    Some((to, Array::of3(&kind, &value, &from.into()), buffer))
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
