//! What capacity a load would need: the least factor on every route capacity (the DSP's
//! throughput, CSP and S1SP slots, S1SP rates) that delivers 90% of its MHHS data by its own
//! needed-by time, from a preview-scale sizing search in the background workers. Respond shows it
//! for the respondent's portfolio, Consolidate for the respondents' combined load.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::charts::frontier::short_reason;
use crate::app::task_pool::TaskPool;
use crate::model::Scenario;
use crate::model::sizing::SEARCH_SAMPLE;
use crate::model::sizing::tasks::{TargetSpec, Task, TaskResult};
use crate::present::format::{clock, number, thousands};

/// The share of MHHS data the capacity must deliver by the needed-by time.
pub const DELIVERED_SHARE: f64 = 0.9;

/// Meters a search simulates at least: a small load (a few respondents) runs at a larger share.
const METERS_SIMULATED: f64 = 15_000.0;

/// The share of `s`'s meters a search runs at: GB's preview sample, or more for a small load.
pub fn sample_for(s: &Scenario) -> f64 {
    (METERS_SIMULATED / s.population.meters.max(1) as f64).clamp(SEARCH_SAMPLE, 1.0)
}

/// The finding in words, from a search's result on `s`.
pub fn sentence(s: &Scenario, whose: &str, answer: &Result<f64, String>) -> String {
    let needed = clock(s.report.needed_by_h);
    let share = format!("{:.0}%", DELIVERED_SHARE * 100.0);
    match answer {
        Ok(x) => format!(
            "To deliver {share} of {whose} MHHS data by {needed}, every route capacity would need to be ×{x:.2} the DCC recommendation's: the DSP at {} requests/s, CSP in-flight slots {}, S1SP rates {} per second. A preview-scale search (1 in {} meters); full-scale runs have moved such answers by up to 16%.",
            number(s.routes.dsp_per_s * x),
            s.routes
                .csp_in_flight
                .iter()
                .map(|c| thousands(*c as f64 * x))
                .collect::<Vec<_>>()
                .join(" / "),
            s.routes
                .s1sp_per_s
                .iter()
                .map(|c| number(c * x))
                .collect::<Vec<_>>()
                .join(" / "),
            thousands(1.0 / sample_for(s)),
        ),
        Err(why) => format!(
            "No route capacity delivers {share} of {whose} MHHS data by {needed}: {}.",
            short_reason(why)
        ),
    }
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running,
    Done(String),
}

#[component]
pub fn CapacityNeeded(
    #[prop(into)] scenario: Signal<Option<Scenario>>,
    id: &'static str,
    whose: &'static str,
) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    let generation = StoredValue::new(0u32);
    let pool = StoredValue::new_local(None::<std::rc::Rc<TaskPool>>);
    // Leaving the page stops the workers.
    on_cleanup(move || {
        if let Some(p) = pool.try_get_value().flatten() {
            p.stop();
        }
    });
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
        let Ok(p) = TaskPool::start() else {
            state.set(State::Done("This browser could not start background workers here, so the capacity cannot be worked out on this page (the command line does it: mp162 size).".into()));
            return;
        };
        let p = std::rc::Rc::new(p);
        pool.set_value(Some(p.clone()));
        state.set(State::Running);
        let task = Task::Size {
            base: s.clone(),
            policy: 0,
            field: "routes".into(),
            target: TargetSpec {
                figure: "mhhs_delivered_by_needed_by".into(),
                at_least: true,
                value: DELIVERED_SHARE,
            },
            sample: sample_for(&s),
        };
        spawn_local(async move {
            let result = p.run(&[task], std::rc::Rc::new(|_, _| {})).await;
            if generation.try_get_value() != Some(me) {
                return;
            }
            pool.set_value(None);
            let text = match result.as_deref() {
                Ok([TaskResult::Sized { answer, .. }]) => sentence(&s, whose, answer),
                Ok([TaskResult::Failed(e)]) => {
                    format!("The capacity could not be worked out: {e}.")
                }
                Ok(_) => "The capacity could not be worked out.".to_string(),
                Err(e) => format!("The capacity could not be worked out: {e}."),
            };
            state.set(State::Done(text));
        });
    });
    view! {
        <p class="capacity-needed" id=format!("{id}-capacity") role="status">
            {move || match state.get() {
                State::Idle => String::new(),
                State::Running => "Working out the route capacity this load would need…".to_string(),
                State::Done(text) => text,
            }}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_gives_the_factor_and_each_capacity() {
        let s = Scenario::default();
        let said = sentence(&s, "your portfolio's", &Ok(2.0));
        assert!(said.starts_with("To deliver 90% of your portfolio's MHHS data by 07:00, every route capacity would need to be ×2.00 the DCC recommendation's: the DSP at 5,000 requests/s, CSP in-flight slots 12,000 / 18,000 / 18,000, S1SP rates 200 / 200 / 300 per second."), "{said}");
        let said = sentence(
            &s,
            "the respondents' combined",
            &Err("routes: no value meets it".into()),
        );
        assert!(said.starts_with("No route capacity delivers 90% of the respondents' combined MHHS data by 07:00: no value meets the target"), "{said}");
    }
}
