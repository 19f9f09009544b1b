//! A pool of Web Workers that do sizing work ([`Task`]s: a policy's sizing search, a frontier's
//! line, a share of a tornado) off the page's thread. One worker per core the browser reports (at
//! least two, at most eight); each takes the next task as it finishes one. Dropping the pool stops
//! its workers at once (Cancel). The search code runs in the workers alone, so the page's own
//! download does not carry it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Array, Float32Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use crate::model::series_numbers::{self, Lengths};
use crate::model::sizing::tasks::{Task, TaskResult};

/// The model's Web Worker start-up script, which Trunk writes beside the page (full-scale runs
/// start it too).
pub const SCRIPT: &str = "./full_run_worker_loader.js";

/// What a worker's `error` event says. A script that fails to load fires a plain `Event`, not an
/// `ErrorEvent`: reading `message` from it throws in the middle of the handler (inside the pool
/// it left the batch borrowed, and the next event panicked), so it is asked for only when there.
pub fn worker_error(e: &Event) -> String {
    e.dyn_ref::<ErrorEvent>()
        .map(ErrorEvent::message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "a worker could not start or stopped with an error".into())
}

/// The series' numbers a worker sent beside a report (`parts[at]`, a `Float32Array`: see
/// [`series_numbers`]); `None` when that is not what is there.
pub fn numbers_in(parts: &Array, at: u32) -> Option<Vec<f32>> {
    parts
        .get(at)
        .dyn_into::<Float32Array>()
        .ok()
        .map(|a| a.to_vec())
}

/// The number of workers a pool starts in this browser.
pub fn worker_count() -> usize {
    cores().clamp(2, 8)
}

/// The cores this browser says the machine has (`navigator.hardwareConcurrency`; 2 when it
/// does not say).
pub fn cores() -> usize {
    let n = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency());
    if n.is_finite() && n >= 1.0 {
        n as usize
    } else {
        2
    }
}

#[derive(Default)]
struct Batch {
    results: Vec<Option<TaskResult>>,
    queue: VecDeque<usize>,
    jobs: Vec<String>,
    left: usize,
    failed: Option<String>,
    waker: Option<Waker>,
    on_progress: Option<Rc<dyn Fn(usize, usize)>>,
}

struct Inner {
    workers: Vec<Worker>,
    ready: RefCell<Vec<bool>>,
    /// The job each worker is running.
    busy: RefCell<Vec<Option<usize>>>,
    batch: RefCell<Batch>,
    /// Why a worker failed, once one has: every batch after it fails too (a worker that could
    /// not start never will, and a batch started later would wait for it for ever).
    broken: RefCell<Option<String>>,
}

/// Workers that run jobs; stopped when dropped.
pub struct TaskPool {
    inner: Rc<Inner>,
    listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
    errors: Option<Closure<dyn FnMut(Event)>>,
}

impl Inner {
    /// Gives each idle, ready worker the next job.
    fn dispatch(&self) {
        let ready = self.ready.borrow();
        let mut busy = self.busy.borrow_mut();
        let mut batch = self.batch.borrow_mut();
        for (w, worker) in self.workers.iter().enumerate() {
            if !ready[w] || busy[w].is_some() {
                continue;
            }
            let Some(i) = batch.queue.pop_front() else {
                break;
            };
            let message = Array::of3(
                &"job".into(),
                &(i as f64).into(),
                &batch.jobs[i].as_str().into(),
            );
            if worker.post_message(&message).is_err() {
                batch.failed = Some("a worker could not be given its work".into());
            }
            busy[w] = Some(i);
        }
        if batch.failed.is_some()
            && let Some(w) = batch.waker.take()
        {
            w.wake();
        }
    }

    fn heard(&self, w: usize, data: JsValue) {
        if data.as_string().as_deref() == Some("ready") {
            let _ = self.workers[w].post_message(&Array::of1(&"tasks".into()));
            self.ready.borrow_mut()[w] = true;
            return self.dispatch();
        }
        let Ok(parts) = data.dyn_into::<Array>() else {
            return;
        };
        match parts.get(0).as_string().as_deref() {
            Some("result") => {
                let i = parts.get(1).as_f64().unwrap_or(-1.0) as usize;
                let headline = parts
                    .get(2)
                    .as_string()
                    .and_then(|json| serde_json::from_str::<(TaskResult, Lengths)>(&json).ok())
                    .and_then(|(mut result, lengths)| {
                        if let TaskResult::Ran(report) = &mut result {
                            let numbers = numbers_in(&parts, 3)?;
                            series_numbers::put(report, &numbers, &lengths).ok()?;
                        }
                        Some(result)
                    });
                self.busy.borrow_mut()[w] = None;
                let progress = {
                    let mut batch = self.batch.borrow_mut();
                    match (headline, batch.results.get_mut(i)) {
                        (Some(h), Some(slot)) if slot.is_none() => {
                            *slot = Some(h);
                            batch.left -= 1;
                        }
                        _ => batch.failed = Some("a worker's results were unreadable".into()),
                    }
                    if (batch.left == 0 || batch.failed.is_some())
                        && let Some(waker) = batch.waker.take()
                    {
                        waker.wake();
                    }
                    let done = batch.results.len() - batch.left;
                    batch
                        .on_progress
                        .clone()
                        .map(|f| (f, done, batch.results.len()))
                };
                if let Some((f, done, all)) = progress {
                    f(done, all);
                }
                self.dispatch();
            }
            Some("failed") => {
                let message = parts.get(1).as_string().unwrap_or_default();
                let mut batch = self.batch.borrow_mut();
                batch.failed = Some(message);
                if let Some(waker) = batch.waker.take() {
                    waker.wake();
                }
            }
            _ => {}
        }
    }
}

impl TaskPool {
    /// Starts the workers; an error means this browser cannot run workers here.
    pub fn start() -> Result<TaskPool, String> {
        let n = worker_count();
        let mut workers = Vec::new();
        for _ in 0..n {
            workers.push(Worker::new(SCRIPT).map_err(|e| format!("worker: {e:?}"))?);
        }
        let inner = Rc::new(Inner {
            ready: RefCell::new(vec![false; n]),
            busy: RefCell::new(vec![None; n]),
            batch: RefCell::new(Batch::default()),
            broken: RefCell::new(None),
            workers,
        });
        let mut pool = TaskPool {
            inner: inner.clone(),
            listeners: Vec::new(),
            errors: None,
        };
        let errors = {
            let inner = inner.clone();
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                let why = worker_error(&e);
                inner.broken.replace(Some(why.clone()));
                let mut batch = inner.batch.borrow_mut();
                batch.failed = Some(why);
                if let Some(waker) = batch.waker.take() {
                    waker.wake();
                }
            })
        };
        for (w, worker) in inner.workers.iter().enumerate() {
            let me = inner.clone();
            let listen = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                me.heard(w, e.data());
            });
            worker.set_onmessage(Some(listen.as_ref().unchecked_ref()));
            worker.set_onerror(Some(errors.as_ref().unchecked_ref()));
            pool.listeners.push(listen);
        }
        pool.errors = Some(errors);
        Ok(pool)
    }

    /// Does `tasks` (one batch at a time) and gives back their results in their order;
    /// `on_progress(done, all)` hears each one finish.
    pub fn run(&self, jobs: &[Task], on_progress: Rc<dyn Fn(usize, usize)>) -> RunTasks {
        {
            let mut batch = self.inner.batch.borrow_mut();
            *batch = Batch {
                results: vec![None; jobs.len()],
                queue: (0..jobs.len()).collect(),
                jobs: jobs
                    .iter()
                    .map(|j| serde_json::to_string(j).unwrap_or_default())
                    .collect(),
                left: jobs.len(),
                failed: self.inner.broken.borrow().clone(),
                waker: None,
                on_progress: Some(on_progress),
            };
        }
        self.inner.dispatch();
        RunTasks {
            inner: self.inner.clone(),
        }
    }
}

impl Drop for TaskPool {
    fn drop(&mut self) {
        self.stop();
    }
}

impl TaskPool {
    /// Stops the workers at once; a batch under way ends as "cancelled".
    pub fn stop(&self) {
        for w in &self.inner.workers {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        let mut batch = self.inner.batch.borrow_mut();
        if batch.left > 0 && batch.failed.is_none() {
            batch.failed = Some("cancelled".into());
        }
        if let Some(waker) = batch.waker.take() {
            waker.wake();
        }
    }
}

/// The results of a batch, once every task is done (or why not).
pub struct RunTasks {
    inner: Rc<Inner>,
}

impl Future for RunTasks {
    type Output = Result<Vec<TaskResult>, String>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut batch = self.inner.batch.borrow_mut();
        if let Some(message) = batch.failed.clone() {
            return Poll::Ready(Err(message));
        }
        if batch.left == 0 {
            let results = std::mem::take(&mut batch.results);
            return Poll::Ready(Ok(results.into_iter().flatten().collect()));
        }
        batch.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
