//! What capacity a load would need (`consultation::capacity`): a preview-scale sizing search in
//! the background workers, then, if asked, the tornado at the capacity found. Respond shows it for
//! the respondent's portfolio and stores it in the response; Consolidate shows it, with the
//! tornado, for the respondents' combined load and puts it in every export.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::charts::figure::Figure;
use crate::app::charts::tornado;
use crate::app::charts::view::ChartFigure;
use crate::app::task_pool::{TaskPool, worker_count};
use crate::consultation::capacity::{CapacityFinding, FIGURE, search_task, tornado_parts};
use crate::model::Scenario;
use crate::model::sizing::tasks::{TaskResult, assemble_tornado};

/// Tornado tasks per worker: small enough for the status to move.
const TORNADO_PARTS_PER_WORKER: usize = 2;

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running(&'static str),
    Done(Box<CapacityFinding>),
    Failed(String),
}

/// The search (and the tornado, if `tornado`) for `s`, in the pool's workers.
async fn find(
    p: &TaskPool,
    s: &Scenario,
    tornado: bool,
    state: RwSignal<State>,
) -> Result<CapacityFinding, String> {
    let sized = p.run(&[search_task(s)], Rc::new(|_, _| {})).await?;
    let (answer, at_answer) = match sized.into_iter().next() {
        Some(TaskResult::Sized {
            answer, at_answer, ..
        }) => (answer, at_answer),
        Some(TaskResult::Failed(e)) => return Err(e),
        _ => return Err("the search gave no answer".into()),
    };
    let found = CapacityFinding::new(s, &answer);
    let Some(at) = at_answer.filter(|_| tornado) else {
        return Ok(found);
    };
    state.set(State::Running(
        "Running every assumption's range at that capacity…",
    ));
    let parts = p
        .run(
            &tornado_parts(&at, worker_count() * TORNADO_PARTS_PER_WORKER),
            Rc::new(|_, _| {}),
        )
        .await?;
    let (bars, _) = assemble_tornado(FIGURE, found.sample, &parts)?;
    Ok(found.with_tornado(bars))
}

#[component]
pub fn CapacityNeeded(
    #[prop(into)] scenario: Signal<Option<Scenario>>,
    id: &'static str,
    whose: &'static str,
    /// A finding saved before: shown as it is if it is of the same load.
    #[prop(optional, into)]
    stored: Option<Signal<Option<CapacityFinding>>>,
    /// Told of each new finding (to store it).
    #[prop(optional, into)]
    on_found: Option<Callback<Option<CapacityFinding>>>,
    /// Also run the tornado at the capacity found, and chart it.
    #[prop(optional)]
    tornado: bool,
) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    let generation = StoredValue::new(0u32);
    let pool = StoredValue::new_local(None::<Rc<TaskPool>>);
    // Leaving the page stops the workers.
    on_cleanup(move || {
        if let Some(p) = pool.try_get_value().flatten() {
            p.stop();
        }
    });
    let tell = move |f: Option<CapacityFinding>| {
        if let Some(cb) = on_found {
            cb.run(f);
        }
    };
    Effect::new(move |_| {
        let s = scenario.get();
        generation.update_value(|g| *g += 1);
        let me = generation.get_value();
        if let Some(p) = pool.get_value() {
            p.stop();
        }
        pool.set_value(None);
        let Some(s) = s else {
            state.set(State::Idle);
            return;
        };
        let saved = stored
            .and_then(|st| st.get_untracked())
            .filter(|f| f.is_of(&s) && (f.tornado.is_some() || !tornado));
        if let Some(f) = saved {
            state.set(State::Done(Box::new(f)));
            return;
        }
        tell(None);
        let Ok(p) = TaskPool::start() else {
            state.set(State::Failed("This browser could not start background workers here, so the capacity cannot be worked out on this page (the command line does it: mp162 size).".into()));
            return;
        };
        let p = Rc::new(p);
        pool.set_value(Some(p.clone()));
        state.set(State::Running(
            "Working out the route capacity this load would need…",
        ));
        spawn_local(async move {
            let result = find(&p, &s, tornado, state).await;
            if generation.try_get_value() != Some(me) {
                return;
            }
            pool.set_value(None);
            match result {
                Ok(f) => {
                    tell(Some(f.clone()));
                    state.set(State::Done(Box::new(f)));
                }
                Err(e) => state.set(State::Failed(format!(
                    "The capacity could not be worked out: {e}."
                ))),
            }
        });
    });
    let finding = move || match state.get() {
        State::Done(f) => Some(f),
        _ => None,
    };
    let chart = Signal::derive(move || -> Option<Figure> {
        let f = finding()?;
        let bars = f.tornado.as_ref()?;
        Some(tornado::figure(bars, f.scenario.report.needed_by_h))
    });
    view! {
        <p class="capacity-needed" id=format!("{id}-capacity") role="status">
            {move || match state.get() {
                State::Idle => String::new(),
                State::Running(what) => what.to_string(),
                State::Done(f) => f.sentence(whose),
                State::Failed(why) => why,
            }}
        </p>
        {tornado.then(|| view! {
            <Show when=move || chart.with(Option::is_some)>
                <p class="hint" id=format!("{id}-capacity-tornado-sentence")>{move || finding().and_then(|f| f.tornado_sentence())}</p>
                <ChartFigure figure=chart id=format!("{id}-capacity-tornado") />
            </Show>
        })}
    }
}
