//! Preview replications: the same scenario under ten seeds, run one at a time between frames,
//! giving each key figure a 95% confidence interval (Student's t) that the key-figure list shows.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::preview;
use crate::app::tasks::yield_now;
use crate::model::Scenario;
use crate::model::replications::interval;
use crate::present::key_figures::KEY_FIGURES;

pub const REPLICATIONS: u64 = 10;

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
            let mut values: Vec<Vec<f64>> = vec![Vec::new(); KEY_FIGURES.len()];
            for i in 0..REPLICATIONS {
                yield_now().await;
                if generation.get_value() != run_id {
                    return;
                }
                let h = preview(&Scenario {
                    seed: s.seed.wrapping_add(i),
                    ..s.clone()
                })
                .headline();
                for (k, v) in KEY_FIGURES.iter().zip(values.iter_mut()) {
                    v.push((k.value)(&h));
                }
                running.set(Some(i + 1));
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
