//! The assumption controls on the page: one collapsible group per part of the model, each control
//! with its unit, default and source; sliders always paired with a typed number (WCAG 2.5.7);
//! inline messages for text that cannot be used; and one action to restore the defaults.

use leptos::prelude::*;

use super::Assumptions;
use super::catalogue::{Control, GROUPS, Group, Kind, element_id};
use super::edit::{show_value, unit};
use crate::app::error_summary::ErrorSummary;
use crate::app::tasks::AfterPaints;
use crate::model::{fields, sources};

#[component]
pub fn AssumptionControls(
    state: Assumptions,
    /// Mount the groups one at a time, each in a task of its own once the page has painted (a
    /// page that shows the controls at load; all at once, the groups kept the browser busy for
    /// over 100 ms).
    #[prop(optional)]
    staged: bool,
) -> impl IntoView {
    let problems = Signal::derive(move || state.problems());
    let changed = move || {
        // Nothing changed: said without working out every field (at load, in a task of its own).
        if state.applied.with(|a| state.defaults.with(|d| a == d)) {
            return 0;
        }
        state.values.with(|v| {
            state
                .default_values
                .with(|d| v.iter().filter(|(k, x)| d.get(*k) != Some(*x)).count())
        })
    };
    view! {
        <section class="controls" aria-labelledby="controls-heading">
            <h2 class="heading-m" id="controls-heading">"Assumptions"</h2>
            <ErrorSummary problems=problems live=true />
            <p class="controls__status">
                <span id="controls-changed">{move || match changed() {
                    0 => "All assumptions at the starting point's defaults.".to_string(),
                    1 => "1 assumption changed from the starting point.".to_string(),
                    n => format!("{n} assumptions changed from the starting point."),
                }}</span>
                " "
                <button type="button" class="button button--secondary button--small" id="restore-defaults" on:click=move |_| state.reset()>
                    "Restore defaults"
                </button>
            </p>
            {GROUPS.iter().enumerate().map(|(i, g)| {
                let paints = if staged { i as u32 + 1 } else { 0 };
                view! { <ControlGroup group=g state=state paints=paints /> }
            }).collect_view()}
        </section>
    }
}

/// One group of assumptions, closed. Its fields mount `paints` paints after its heading: the
/// heading is there at once, so nothing below it moves when they come (whole groups mounting
/// one by one pushed the link below them down the page at load).
#[component]
fn ControlGroup(group: &'static Group, state: Assumptions, paints: u32) -> impl IntoView {
    let changed = move || {
        group
            .controls
            .iter()
            .filter(|c| state.changed(c.path))
            .count()
    };
    let problems = move || {
        state.invalid.with(|m| {
            group
                .controls
                .iter()
                .filter(|c| m.contains_key(c.path))
                .count()
        })
    };
    view! {
        <details class="details controls__group" id=format!("group-{}", group.id)>
            <summary>
                {group.title}
                <span class="controls__badge">{move || match (changed(), problems()) {
                    (0, 0) => String::new(),
                    (c, 0) => format!(" ({c} changed)"),
                    (_, p) => format!(" ({p} to fix)"),
                }}</span>
            </summary>
            <div class="details__body">
                <AfterPaints paints=paints>
                {group.controls.iter().map(|c| view! { <ControlField control=c state=state /> }).collect_view()}
                {group.balanced.iter().map(|(path, label)| {
                    let c = Control { path, label, kind: Kind::Flag, percent: true, balance: None };
                    view! {
                        <p class="controls__balanced" id=element_id(path)>
                            {*label} ": " <strong>{move || state.shown(&c)} "%"</strong>
                        </p>
                    }
                }).collect_view()}
                </AfterPaints>
            </div>
        </details>
    }
}

/// The line under a label: unit, default, and where the default comes from.
fn provenance_hint(c: &'static Control, state: Assumptions) -> impl IntoView {
    let p = sources::provenance(fields::provenance_path(c.path));
    let unit = unit(c);
    let default = move || {
        let v = state
            .default_values
            .with(|d| show_value(c, d.get(c.path).cloned()));
        match c.kind {
            Kind::Flag => {
                if v == "true" {
                    "on".to_string()
                } else {
                    "off".to_string()
                }
            }
            Kind::Choice(options) => options
                .iter()
                .find(|o| o.0 == v)
                .map(|o| o.1.to_string())
                .unwrap_or(v),
            _ if unit.is_empty() => v,
            _ if unit == "%" => format!("{v}%"),
            _ => format!("{v} {unit}"),
        }
    };
    let (basis, source, url) =
        p.map(|p| (p.basis.label(), p.source, p.url))
            .unwrap_or(("assumption", "", ""));
    view! {
        <span class="hint" id=format!("{}-hint", element_id(c.path))>
            "Default " {default} ". "
            <span class=format!("basis basis--{}", basis.replace(' ', "-"))>{basis}</span>
            {(!source.is_empty()).then(|| format!(": {source}"))}
            {(!url.is_empty()).then(|| view! { " " <a href=url rel="noopener noreferrer" target="_blank">"source" <span class="visually-hidden">" (opens in a new tab)"</span></a> })}
        </span>
    }
}

#[component]
fn ControlField(control: &'static Control, state: Assumptions) -> impl IntoView {
    let c = control;
    let id = element_id(c.path);
    let error = move || state.invalid.with(|m| m.get(c.path).map(|e| e.1.clone()));
    let value = move || {
        state
            .invalid
            .with(|m| m.get(c.path).map(|e| e.0.clone()))
            .unwrap_or_else(|| state.shown(c))
    };
    let described = format!("{id}-hint {id}-error");
    let class = move || {
        if error().is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    let message = move || {
        error().map(|m| view! { <p class="error-message" id=format!("{}-error", element_id(c.path))><span class="visually-hidden">"Error: "</span>{m}</p> })
    };
    let input = match c.kind {
        Kind::Flag => view! {
            <div class="checkbox">
                <input
                    type="checkbox"
                    class="checkbox__input"
                    id=id.clone()
                    aria-describedby=described.clone()
                    prop:checked=move || value() == "true"
                    on:change=move |ev| state.edit(c, event_target_checked(&ev).to_string())
                />
                <label class="checkbox__label" for=id.clone()>{c.label}</label>
            </div>
        }
        .into_any(),
        Kind::Choice(options) => view! {
            <label class="label" for=id.clone()>{c.label}</label>
            <select class="select" id=id.clone() aria-describedby=described.clone() prop:value=value on:change=move |ev| state.edit(c, event_target_value(&ev))>
                {options.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        Kind::Number { min, max, step } => number_input(c, id.clone(), described.clone(), value, (min, max, step), state).into_any(),
        Kind::Whole { min, max } => {
            let step = ((max - min) as f64 / 1000.0).max(1.0).round();
            number_input(c, id.clone(), described.clone(), value, (min as f64, max as f64, step), state).into_any()
        }
    };
    let hint = provenance_hint(c, state);
    view! {
        <div class=class>
            {input}
            {hint}
            {message}
        </div>
    }
}

/// A typed number with its unit, and a slider moving through the same values.
fn number_input(
    c: &'static Control,
    id: String,
    described: String,
    value: impl Fn() -> String + Copy + Send + Sync + 'static,
    (min, max, step): (f64, f64, f64),
    state: Assumptions,
) -> impl IntoView {
    let unit = unit(c);
    view! {
        <label class="label" for=id.clone()>{c.label}</label>
        <div class="control__inputs">
            <input
                type="text"
                inputmode="decimal"
                class="input input--number"
                id=id.clone()
                aria-describedby=described
                autocomplete="off"
                spellcheck="false"
                prop:value=value
                on:change=move |ev| state.edit(c, event_target_value(&ev))
            />
            <span class="control__unit">{unit}</span>
            <input
                type="range"
                class="range"
                id=format!("{id}-slider")
                aria-label=format!("{} (slider, {unit})", c.label)
                min=min.to_string()
                max=max.to_string()
                step=step.to_string()
                prop:value=value
                on:input=move |ev| state.edit(c, event_target_value(&ev))
            />
        </div>
    }
}
