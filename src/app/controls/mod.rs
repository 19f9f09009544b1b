//! Assumption controls: the [`catalogue`] of controls (pure data), [`edit`] (typed text to a valid
//! scenario, or a message), the [`Assumptions`] state the explorer shares, and the [`view`].

pub mod catalogue;
pub mod edit;
pub mod view;

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::app::error_summary::Problem;
use crate::model::Scenario;
use catalogue::Control;

/// The explorer's assumptions: the scenario the model runs (always valid), the starting point it
/// resets to, and text the person typed that could not be used yet (kept, with its message).
#[derive(Clone, Copy)]
pub struct Assumptions {
    pub applied: RwSignal<Scenario>,
    pub defaults: RwSignal<Scenario>,
    /// Control path → (the text as typed, what is wrong).
    pub invalid: RwSignal<BTreeMap<&'static str, (String, String)>>,
}

impl Assumptions {
    pub fn new(start: Scenario) -> Self {
        Assumptions { applied: RwSignal::new(start.clone()), defaults: RwSignal::new(start), invalid: RwSignal::new(BTreeMap::new()) }
    }

    /// Applies what was typed into a control, or keeps it with a message; the model only ever sees
    /// a valid scenario.
    pub fn edit(&self, c: &'static Control, text: String) {
        match self.applied.with_untracked(|s| edit::apply(c, s, &text)) {
            Ok(next) => {
                self.invalid.update(|m| {
                    m.remove(c.path);
                });
                if self.applied.with_untracked(|s| *s != next) {
                    self.applied.set(next);
                }
            }
            Err(message) => self.invalid.update(|m| {
                m.insert(c.path, (text, message));
            }),
        }
    }

    /// Back to the starting point: every control shows its default again.
    pub fn reset(&self) {
        self.invalid.set(BTreeMap::new());
        self.applied.set(self.defaults.get_untracked());
    }

    /// A new starting point (a preset, a shared link).
    pub fn start_from(&self, defaults: Scenario, applied: Scenario) {
        self.invalid.set(BTreeMap::new());
        self.defaults.set(defaults);
        self.applied.set(applied);
    }

    /// The controls holding text that could not be used, for the error summary.
    pub fn problems(&self) -> Vec<Problem> {
        self.invalid.with(|m| m.iter().map(|(path, (_, msg))| Problem { field_id: catalogue::element_id(path), message: msg.clone() }).collect())
    }
}
