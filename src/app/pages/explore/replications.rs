//! Preview replications: the same scenario under ten seeds, run in background workers (or, where
//! workers cannot start, on the page one at a time between frames), giving each key figure a 95%
//! confidence interval (Student's t) that the key-figure list shows.

use leptos::prelude::*;
use leptos::task::spawn_local;

use std::rc::Rc;

use super::{PREVIEW_SAMPLE, preview};
use crate::app::task_pool::TaskPool;
use crate::app::tasks::yield_now;
use crate::model::Scenario;
use crate::model::replications::interval;
use crate::model::report::Headline;
use crate::model::sizing::tasks::Task;
use crate::present::key_figures::KEY_FIGURES;

pub const REPLICATIONS: u64 = 10;

/// The previews' headlines, run in background workers (as many at once as there are workers);
/// `None` where workers cannot start or a run fails (the page then runs them itself).
async fn in_workers(
    seeds: &[Scenario],
    on_progress: impl Fn(usize) + 'static,
) -> Option<Vec<Headline>> {
    let pool = TaskPool::start().ok()?;
    let tasks: Vec<Task> = seeds
        .iter()
        .map(|s| Task::Run {
            base: s.clone(),
            sample: PREVIEW_SAMPLE,
            series: false,
        })
        .collect();
    let results = pool
        .run(&tasks, Rc::new(move |done: usize, _| on_progress(done)))
        .await
        .ok()?;
    results
        .into_iter()
        .map(|r| r.into_report().map(|r| r.headline()))
        .collect()
}

#[component]
pub fn Replications(
    #[prop(into)] scenario: Signal<Scenario>,
    intervals: RwSignal<Option<Vec<(f64, f64)>>>,
) -> impl IntoView {
    let running = RwSignal::new(None::<u64>);
    let generation = StoredValue::new(0u32);
    // A changed scenario makes the intervals stale.
    Effect::new(move |prev: Option<()>| {
        scenario.track();
        if prev.is_some() {
            generation.update_value(|g| *g += 1);
            intervals.set(None);
            running.set(None);
        }
    });
    let start = move |_| {
        let s = scenario.get_untracked();
        let run_id = generation.get_value();
        running.set(Some(0));
        spawn_local(async move {
            let current = move || generation.try_get_value() == Some(run_id);
            let seeds: Vec<Scenario> = (0..REPLICATIONS)
                .map(|i| Scenario {
                    seed: s.seed.wrapping_add(i),
                    ..s.clone()
                })
                .collect();
            let from_workers = in_workers(&seeds, move |done| {
                if current() {
                    running.try_set(Some(done as u64));
                }
            })
            .await;
            let mut values: Vec<Vec<f64>> = vec![Vec::new(); KEY_FIGURES.len()];
            let mut from_workers = from_workers.map(Vec::into_iter);
            for (i, seeded) in seeds.iter().enumerate() {
                let h = match from_workers.as_mut().and_then(Iterator::next) {
                    Some(h) => h,
                    None => {
                        // No workers in this browser: one preview a task on the page.
                        yield_now().await;
                        if !current() {
                            return;
                        }
                        let h = preview(seeded).headline();
                        running.set(Some(i as u64 + 1));
                        h
                    }
                };
                for (k, v) in KEY_FIGURES.iter().zip(values.iter_mut()) {
                    v.push((k.value)(&h));
                }
            }
            if !current() {
                return;
            }
            intervals.set(Some(
                values
                    .into_iter()
                    .map(|v| interval("", v))
                    .map(|iv| (iv.mean, iv.half_width_95))
                    .collect(),
            ));
            running.set(None);
        });
    };
    view! {
        <p class="replications">
            <button type="button" class="button button--secondary button--small" id="replications-start" on:click=start prop:disabled=move || running.get().is_some()>
                {format!("Add 95% confidence intervals ({REPLICATIONS} preview replications)")}
            </button>
            " "
            <span role="status" id="replications-status">{move || match (running.get(), intervals.with(Option::is_some)) {
                (Some(n), _) => format!("Running replication {} of {REPLICATIONS}…", n + 1),
                (None, true) => format!("Intervals from {REPLICATIONS} replications, seeds {} to {}.", scenario.with(|s| s.seed), scenario.with(|s| s.seed + REPLICATIONS - 1)),
                (None, false) => String::new(),
            }}</span>
        </p>
    }
}
