//! Assumption controls: the [`catalogue`] of controls (pure data), [`edit`] (typed text to a valid
//! scenario, or a message), the [`Assumptions`] state the explorer shares, and the [`view`].

pub mod catalogue;
pub mod edit;
pub mod view;

use std::collections::{BTreeMap, HashMap};

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
    /// Every field of `applied` and of `defaults` by path, worked out once per change so that
    /// dozens of controls do not each walk the scenario.
    pub values: Memo<HashMap<String, serde_json::Value>>,
    pub default_values: Memo<HashMap<String, serde_json::Value>>,
}

impl Assumptions {
    pub fn new(start: Scenario) -> Self {
        let applied = RwSignal::new(start.clone());
        let defaults = RwSignal::new(start);
        let by_path = |s: &Scenario| {
            crate::model::fields::leaves(s)
                .into_iter()
                .collect::<HashMap<_, _>>()
        };
        Assumptions {
            applied,
            defaults,
            invalid: RwSignal::new(BTreeMap::new()),
            values: Memo::new(move |_| applied.with(by_path)),
            default_values: Memo::new(move |_| defaults.with(by_path)),
        }
    }

    /// A control's current value as its input shows it.
    pub fn shown(&self, c: &Control) -> String {
        self.values
            .with(|v| edit::show_value(c, v.get(c.path).cloned()))
    }

    /// Whether a field differs from the starting point.
    pub fn changed(&self, path: &str) -> bool {
        self.values
            .with(|v| self.default_values.with(|d| v.get(path) != d.get(path)))
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
        self.start_from(self.defaults.get_untracked(), self.defaults.get_untracked());
    }

    /// A new starting point (a preset, a shared link).
    pub fn start_from(&self, defaults: Scenario, applied: Scenario) {
        if self.invalid.with_untracked(|m| !m.is_empty()) {
            self.invalid.set(BTreeMap::new());
        }
        if self.defaults.with_untracked(|d| *d != defaults) {
            self.defaults.set(defaults);
        }
        if self.applied.with_untracked(|a| *a != applied) {
            self.applied.set(applied);
        }
    }

    /// The controls holding text that could not be used, for the error summary.
    pub fn problems(&self) -> Vec<Problem> {
        self.invalid.with(|m| {
            m.iter()
                .map(|(path, (_, msg))| Problem {
                    field_id: catalogue::element_id(path),
                    message: msg.clone(),
                })
                .collect()
        })
    }
}
