//! The key figures of a run as a summary list.

use leptos::prelude::*;

use crate::model::Report;
use crate::present::key_figures::KEY_FIGURES;

/// The key figures as a summary list.
#[component]
pub fn KeyFigureList(#[prop(into)] report: Signal<Option<Report>>, #[prop(into)] needed_by_h: Signal<f64>) -> impl IntoView {
    view! {
        <dl class="summary-list" id="key-figures">
            {KEY_FIGURES.iter().map(|k| view! {
                <div class="summary-list__row">
                    <dt>{move || k.label(needed_by_h.get())}</dt>
                    <dd id=k.id>{move || report.with(|r| r.as_ref().map(|r| k.show(&r.headline())).unwrap_or_default())}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

