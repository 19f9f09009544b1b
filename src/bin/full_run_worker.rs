//! The Web Worker of the model in the browser (Trunk builds it as `full_run_worker`, beside the
//! page). For a full-scale run the page starts one per part of the model's split run
//! (`split_run::Layout`): worker 0 runs the DSP's half and worker p + 1 route part p, so a
//! full-scale day uses several cores although a page has one thread.
//!
//! Messages:
//! - worker → page, once its WebAssembly runs: `"ready"` (it would miss anything said earlier);
//! - page → worker, once: `["dsp", scenario JSON, layout JSON]` or
//!   `["routes", scenario JSON, layout JSON, part]`;
//! - worker ↔ worker, relayed by the page: `["link", bytes, to]`, the parts' byte messages
//!   (hand-overs, retries, accounts, closing), and `["spare", buffer, to]`, a message's buffer
//!   handed back for reuse; the page hands each on as `[kind, value, from]`, and each buffer is
//!   handed over (transferred), never copied;
//! - worker → page: `["progress", share]` (each whole percent), `["report", report JSON as UTF-8
//!   bytes, the buffer handed over]` (both from route part 0), `["memory", megabytes, engine ms,
//!   messages ms, span ms]` from each worker when its part is done (its WebAssembly memory, which
//!   never shrinks: its peak; and where its time went: the model's work, writing, copying and
//!   reading the messages between the workers, and the whole span from its start, the rest of
//!   which it spent waiting), and `["failed", message]`.
//!
//! A worker can instead run the explorer's previews, so the page's thread never runs the model
//! while it draws: the page says `["previews"]`, then `["preview", id, scenario JSON, sample]` as
//! often as it likes, and hears `["previewed", id, JSON of the report and its series' lengths,
//! milliseconds, the series' numbers]` after each (or `["failed", message]`). The numbers travel as
//! a `Float32Array`, not as text: see `mp162_model::series_numbers`.
//!
//! Or it can do sizing work (the model's `sizing::tasks`): the page says `["tasks"]`,
//! then sends `["task", id, task JSON]` as often as it likes, and hears
//! `["result", id, JSON of the result and its series' lengths, the series' numbers]` after each
//! (a run's report sends its series as previews do).

/// Grows its WebAssembly memory a quarter ahead: in Safari a worker's memory past the first few
/// is copied whole on every grow (see the module).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: mp162_explorer::app::memory_ahead::GrowAhead =
    mp162_explorer::app::memory_ahead::GrowAhead;

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "full_run_worker runs inside the browser page: build the app with `trunk build` (the \
         native command line is `mp162`)"
    );
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Array, ArrayBuffer, BigUint64Array, Float32Array, Uint8Array};
    use mp162_model::series_numbers;
    use mp162_model::sizing::tasks::{Task, TaskResult};
    use mp162_model::split_run::{
        DspHalf, FromDsp, FromRoutes, HEADER_BYTES, Layout, RoutesHalf, StepLists, carries_lists,
    };
    use mp162_model::{RunOptions, Scenario};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Tells the page something: `[kind, value]`.
    fn tell_page(kind: &str, value: &JsValue) {
        let _ = scope().post_message(&Array::of2(&kind.into(), value));
    }

    fn fail(message: &str) {
        tell_page("failed", &message.into());
    }

    /// Sends the page `parts` and then a report's series numbers (see `series_numbers`), as a
    /// `Float32Array` whose buffer is handed over rather than copied.
    fn tell_page_with_numbers(parts: Array, numbers: &[f32]) {
        let numbers = Float32Array::from(numbers);
        parts.push(&numbers);
        let _ = scope().post_message_with_transfer(&parts, &Array::of1(&numbers.buffer()));
    }

    fn now_ms() -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    /// Where a worker's time goes in a full run: the model's own work, and the messages
    /// between the workers (writing them as bytes, copying them into and out of the buffers
    /// that travel, reading them back). The rest of its span it waits for the others.
    struct Times {
        started: f64,
        engine: std::cell::Cell<f64>,
        messages: std::cell::Cell<f64>,
    }

    impl Times {
        fn new() -> Rc<Times> {
            Rc::new(Times {
                started: now_ms(),
                engine: Default::default(),
                messages: Default::default(),
            })
        }

        fn engine<T>(&self, work: impl FnOnce() -> T) -> T {
            Self::add(&self.engine, work)
        }

        fn messages<T>(&self, work: impl FnOnce() -> T) -> T {
            Self::add(&self.messages, work)
        }

        fn add<T>(to: &std::cell::Cell<f64>, work: impl FnOnce() -> T) -> T {
            let t0 = now_ms();
            let out = work();
            to.set(to.get() + now_ms() - t0);
            out
        }
    }

    /// Tells the page this worker's WebAssembly memory in megabytes (its peak, as it never
    /// shrinks) and where its time went.
    fn tell_memory(times: &Times) {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let bytes = memory
            .buffer()
            .unchecked_into::<ArrayBuffer>()
            .byte_length();
        let message = Array::of5(
            &"memory".into(),
            &(bytes as f64 / (1 << 20) as f64).into(),
            &times.engine.get().into(),
            &times.messages.get().into(),
            &(now_ms() - times.started).into(),
        );
        let _ = scope().post_message(&message);
    }

    /// Buffers kept for reuse at most.
    const SPARE_BUFFERS: usize = 6;

    /// The DSP's worker, in the page's numbering (route part p is worker p + 1).
    const DSP: u32 = 0;
    /// The worker of route part 0, which writes the report.
    const REPORTER: u32 = 1;

    /// This worker's link to the other workers, through the page. A message travels in a buffer
    /// handed over (not copied) to the page, which hands it on; the receiver hands the buffer
    /// back the same way once it has copied the message out, and a sender reuses a buffer that
    /// came back before it makes a new one: a fresh buffer of tens of megabytes costs more than
    /// the copy into it. A step's lists are copied straight between this worker's memory and
    /// the buffer, a list at a time ([`Link::send_lists`]); other messages go through a kept
    /// outbox and inbox as bytes.
    ///
    /// Why through the page rather than a `MessageChannel` between the workers: Firefox copies
    /// a buffer sent on a channel's port between workers, at about 9 ms a megabyte (measured
    /// with Firefox ESR 153 here, the same whether the buffer was transferred or not), so a
    /// 20,000-meter day's 2,900 messages in 1 MB buffers took 21-24 s there against 2-3 s in
    /// Chromium; handed to the page and on, a buffer moves in Firefox as in Chromium and
    /// WebKit, about 0.5 ms a message whatever its size.
    struct Link {
        spare: RefCell<Vec<ArrayBuffer>>,
        /// A message's bytes on their way out, and on their way in: kept from one message to the
        /// next, as a step's are tens of megabytes.
        outbox: RefCell<Vec<u8>>,
        inbox: RefCell<Vec<u8>>,
    }

    impl Link {
        fn new() -> Rc<Link> {
            Rc::new(Link {
                spare: RefCell::new(Vec::new()),
                outbox: RefCell::new(Vec::new()),
                inbox: RefCell::new(Vec::new()),
            })
        }

        /// Sends worker `to` the message `write` puts in the outbox.
        fn send_with(&self, write: impl FnOnce(&mut Vec<u8>), to: u32) {
            let mut outbox = self.outbox.borrow_mut();
            write(&mut outbox);
            self.send(&outbox, to);
        }

        /// Sends worker `to` a message: a step's `lists` straight from this worker's memory
        /// ([`Link::send_lists`]), or, for any other message, the bytes `write` puts in the
        /// outbox.
        fn send_message(
            &self,
            lists: Option<([u8; HEADER_BYTES], &StepLists)>,
            write: impl FnOnce(&mut Vec<u8>),
            to: u32,
        ) {
            match lists {
                Some(lists) => self.send_lists(lists, to),
                None => self.send_with(write, to),
            }
        }

        /// Sends worker `to` a step's lists: their header, then each list's words copied
        /// straight from this worker's memory into the buffer that travels (no outbox: writing
        /// a GB day's three gigabytes of hand-overs entry by entry cost the DSP's worker 0.6 s).
        fn send_lists(&self, (head, lists): ([u8; HEADER_BYTES], &StepLists), to: u32) {
            let len = lists.message_len();
            let buffer = self.buffer_for(len);
            Uint8Array::new_with_byte_offset_and_length(&buffer, 0, HEADER_BYTES as u32)
                .copy_from(&head);
            let mut at = HEADER_BYTES;
            for words in lists.words().filter(|w| !w.is_empty()) {
                BigUint64Array::new_with_byte_offset_and_length(
                    &buffer,
                    at as u32,
                    words.len() as u32,
                )
                .copy_from(words);
                at += words.len() * 8;
            }
            let view = Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len as u32);
            self.hand_over(LINK, &view, &buffer, to);
        }

        /// A buffer of at least `len` bytes: one that came back, else a new one.
        fn buffer_for(&self, len: usize) -> ArrayBuffer {
            let reused = {
                let mut spare = self.spare.borrow_mut();
                let fits = spare.iter().position(|b| b.byte_length() as usize >= len);
                fits.map(|i| spare.swap_remove(i))
            };
            reused.unwrap_or_else(|| ArrayBuffer::new((len + len / 4).max(1 << 20) as u32))
        }

        fn hand_over(&self, kind: &str, what: &JsValue, buffer: &ArrayBuffer, to: u32) {
            let message = Array::of3(&kind.into(), what, &to.into());
            if scope()
                .post_message_with_transfer(&message, &Array::of1(buffer))
                .is_err()
            {
                fail("could not pass a message to another worker");
            }
        }

        /// Sends `bytes` to worker `to`.
        fn send(&self, bytes: &[u8], to: u32) {
            let len = bytes.len();
            let buffer = self.buffer_for(len);
            let view = Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len as u32);
            view.copy_from(bytes);
            self.hand_over(LINK, &view, &buffer, to);
        }

        /// The message in `e` from another worker, as `read_lists` takes a step's lists (from
        /// the message's length, its header and a copier of each list's words straight out of
        /// the buffer) or `read` any other message from its bytes; `None` when it was not one
        /// (a buffer of this worker's coming back is kept for reuse).
        fn receive<T>(
            &self,
            e: &MessageEvent,
            read_lists: impl FnOnce(usize, &[u8], &mut dyn FnMut(&mut [u64])) -> T,
            read: impl FnOnce(&[u8]) -> T,
        ) -> Option<T> {
            let parts: Array = e.data().dyn_into().ok()?;
            let kind = parts.get(0).as_string()?;
            let data = parts.get(1);
            if kind == SPARE {
                let buffer: ArrayBuffer = data.dyn_into().ok()?;
                let mut spare = self.spare.borrow_mut();
                spare.push(buffer);
                if spare.len() > SPARE_BUFFERS {
                    spare.sort_by_key(|b| std::cmp::Reverse(b.byte_length()));
                    spare.truncate(SPARE_BUFFERS);
                }
                return None;
            }
            if kind != LINK {
                return None;
            }
            let from = parts.get(2).as_f64()? as u32;
            let view: Uint8Array = data.dyn_into().ok()?;
            let (len, offset) = (view.length() as usize, view.byte_offset() as usize);
            let buffer = view.buffer();
            let mut head = [0; HEADER_BYTES];
            let head = &mut head[..len.min(HEADER_BYTES)];
            view.subarray(0, head.len() as u32).copy_to(head);
            // A list's words are copied with a view of 64-bit words, which must start on a
            // multiple of 8 bytes (the messages here always start at 0).
            let out = if carries_lists(head) && offset % 8 == 0 {
                let mut at = offset + HEADER_BYTES;
                read_lists(len, head, &mut |words: &mut [u64]| {
                    if !words.is_empty() {
                        let n = words.len() as u32;
                        BigUint64Array::new_with_byte_offset_and_length(&buffer, at as u32, n)
                            .copy_to(words);
                    }
                    at += words.len() * 8;
                })
            } else {
                let mut inbox = self.inbox.borrow_mut();
                // Only growth is zeroed; the copy then overwrites every byte.
                inbox.resize(len, 0);
                view.copy_to(&mut inbox);
                read(&inbox)
            };
            self.hand_over(SPARE, &buffer, &buffer, from);
            Some(out)
        }
    }

    /// Kinds of message between the workers (the page hands on any message of these kinds).
    const LINK: &str = "link";
    const SPARE: &str = "spare";

    pub fn start() {
        let on_start = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let parts: Array = e.data().unchecked_into();
            let role = parts.get(0).as_string().unwrap_or_default();
            if role == "tasks" {
                return run_tasks();
            }
            if role == "previews" {
                return run_previews();
            }
            let json = parts.get(1).as_string().unwrap_or_default();
            let scenario = match serde_json::from_str::<Scenario>(&json) {
                Ok(s) if s.validate().is_empty() => s,
                _ => return fail("the page gave the worker a scenario it cannot run"),
            };
            let layout = parts
                .get(2)
                .as_string()
                .and_then(|json| serde_json::from_str::<Layout>(&json).ok())
                .filter(|l| l.problem().is_none());
            let Some(layout) = layout else {
                return fail("the page gave the worker a layout of the run it cannot follow");
            };
            let options = RunOptions {
                sample: 1.0,
                series: true,
                ..Default::default()
            };
            scope().set_onmessage(None);
            let part = parts.get(3).as_f64().map(|p| p as usize);
            match (role.as_str(), part) {
                ("dsp", _) => run_dsp(DspHalf::new(&scenario, options, &layout), Link::new()),
                ("routes", Some(p)) if p < layout.parts.len() => {
                    run_routes(RoutesHalf::new(&scenario, options, &layout, p), Link::new())
                }
                _ => fail("the page gave the worker no role"),
            }
        });
        scope().set_onmessage(Some(on_start.as_ref().unchecked_ref()));
        on_start.forget();
        let _ = scope().post_message(&"ready".into());
    }

    /// Does sizing work one piece at a time as the page sends it (a policy's search, a
    /// frontier's line, a share of a tornado): `["task", id, task JSON]` in,
    /// `["result", id, result and series lengths JSON, series numbers]` out.
    fn run_tasks() {
        let on_task = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let parts: Array = e.data().unchecked_into();
            let id = parts.get(1);
            let task = parts
                .get(2)
                .as_string()
                .and_then(|json| serde_json::from_str::<Task>(&json).ok());
            let Some(task) = task else {
                return fail("the page gave the worker work it cannot read");
            };
            let mut result = task.run();
            let (numbers, lengths) = match &mut result {
                TaskResult::Ran(report) => series_numbers::take(report),
                _ => Default::default(),
            };
            match serde_json::to_string(&(&result, &lengths)) {
                Ok(json) => {
                    let parts = Array::of3(&"result".into(), &id, &json.into());
                    tell_page_with_numbers(parts, &numbers);
                }
                Err(e) => fail(&format!("the work's results could not be written: {e}")),
            }
        });
        scope().set_onmessage(Some(on_task.as_ref().unchecked_ref()));
        on_task.forget();
    }

    /// Runs a preview of each scenario the page sends: `["preview", id, scenario JSON, sample]`
    /// in, `["previewed", id, report and series lengths JSON, milliseconds, series numbers]` out.
    fn run_previews() {
        let on_preview = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let parts: Array = e.data().unchecked_into();
            let id = parts.get(1);
            let sample = parts.get(3).as_f64().unwrap_or(0.0);
            let scenario = parts
                .get(2)
                .as_string()
                .and_then(|json| serde_json::from_str::<Scenario>(&json).ok())
                .filter(|s| s.validate().is_empty());
            let (Some(scenario), true) = (scenario, sample > 0.0 && sample <= 1.0) else {
                return fail("the page gave the worker a preview it cannot run");
            };
            let clock = scope().performance();
            let now = || clock.as_ref().map_or(0.0, |p| p.now());
            let t0 = now();
            let mut report = mp162_model::run(
                &scenario,
                RunOptions {
                    sample,
                    series: true,
                    ..Default::default()
                },
            );
            let ms = now() - t0;
            let (numbers, lengths) = series_numbers::take(&mut report);
            match serde_json::to_string(&(&report, &lengths)) {
                Ok(json) => {
                    let parts = Array::of4(&"previewed".into(), &id, &json.into(), &ms.into());
                    tell_page_with_numbers(parts, &numbers);
                }
                Err(e) => fail(&format!("the preview could not be written: {e}")),
            }
        });
        scope().set_onmessage(Some(on_preview.as_ref().unchecked_ref()));
        on_preview.forget();
    }

    /// Runs the DSP as far as the routes' failures let it, each time some come back; once every
    /// later part's accounts are in, sends the closing accounts to route part 0.
    fn run_dsp(half: DspHalf, link: Rc<Link>) {
        let half = Rc::new(RefCell::new(Some(half)));
        let times = Times::new();
        let pump = {
            let (half, link, times) = (half.clone(), link.clone(), times.clone());
            move || {
                let mut slot = half.borrow_mut();
                let Some(dsp) = slot.as_mut() else { return };
                while dsp.can_go_on() {
                    if let Some(sent) = times.engine(|| dsp.advance(&mut u64::MAX.clone())) {
                        for (part, hand_over) in (REPORTER..).zip(sent) {
                            times.messages(|| {
                                link.send_message(hand_over.parts(), |b| hand_over.write(b), part)
                            });
                            dsp.take_back(hand_over);
                        }
                    }
                }
                if dsp.is_finished() {
                    if let Some(dsp) = slot.take() {
                        let closing = times.engine(|| dsp.close());
                        tell_memory(&times);
                        link.send(&closing.to_bytes(), REPORTER);
                    }
                }
            }
        };
        let on_retries = {
            let (half, pump, link) = (half.clone(), pump.clone(), link.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let Some(message) = times
                    .messages(|| link.receive(&e, FromRoutes::from_parts, FromRoutes::from_bytes))
                else {
                    return;
                };
                let taken = match half.borrow_mut().as_mut() {
                    Some(dsp) => message.and_then(|m| times.engine(|| dsp.receive(m))),
                    None => Ok(()),
                };
                match taken {
                    Ok(()) => pump(),
                    Err(err) => fail(&err.to_string()),
                }
            })
        };
        scope().set_onmessage(Some(on_retries.as_ref().unchecked_ref()));
        on_retries.forget();
        pump();
    }

    /// Runs a route part a step at a time as the DSP's hand-overs come in; at the end, part 0
    /// writes the report for the page and every other part sends the DSP its accounts.
    fn run_routes(half: RoutesHalf, link: Rc<Link>) {
        let half = Rc::new(RefCell::new(Some(half)));
        // The last whole percent the page was told.
        let told = std::cell::Cell::new(-1.0f64);
        let times = Times::new();
        let on_hand_over = {
            let link = link.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let Some(message) =
                    times.messages(|| link.receive(&e, FromDsp::from_parts, FromDsp::from_bytes))
                else {
                    return;
                };
                let mut slot = half.borrow_mut();
                let Some(routes) = slot.as_mut() else { return };
                let taken = message.and_then(|m| times.engine(|| routes.receive(m)));
                if let Err(err) = taken {
                    return fail(&err.to_string());
                }
                while routes.can_go_on() {
                    if let Some(retries) = times.engine(|| routes.advance(&mut u64::MAX.clone())) {
                        times.messages(|| {
                            link.send_message(retries.parts(), |b| retries.write(b), DSP)
                        });
                        // Each whole percent: the page need not hear every step.
                        let progress = routes.progress();
                        let percent = (progress * 100.0).floor();
                        if routes.writes_the_report() && percent > told.get() {
                            told.set(percent);
                            tell_page("progress", &progress.into());
                        }
                    }
                }
                if !routes.is_finished() {
                    return;
                }
                tell_memory(&times);
                let Some(done) = slot.take() else { return };
                if !done.writes_the_report() {
                    match done.accounts() {
                        Ok(accounts) => link.send(&accounts.to_bytes(), DSP),
                        Err(e) => fail(&e.to_string()),
                    }
                    return;
                }
                match done.report().map(|r| serde_json::to_string(&r)) {
                    Ok(Ok(json)) => {
                        // As bytes in a buffer handed over: no copy of it on the page's side.
                        let bytes = Uint8Array::from(json.as_bytes());
                        let buffer = bytes.buffer();
                        let message = Array::of2(&"report".into(), &bytes);
                        let _ = scope().post_message_with_transfer(&message, &Array::of1(&buffer));
                    }
                    Ok(Err(e)) => fail(&format!("the report could not be written: {e}")),
                    Err(e) => fail(&e.to_string()),
                }
            })
        };
        scope().set_onmessage(Some(on_hand_over.as_ref().unchecked_ref()));
        on_hand_over.forget();
    }
}
