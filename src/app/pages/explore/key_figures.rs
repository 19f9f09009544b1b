//! The key figures of a run as a summary list.

use leptos::prelude::*;

use crate::model::Report;
use crate::present::key_figures::KEY_FIGURES;

/// The key figures as a summary list.
#[component]
pub fn KeyFigureList(
    #[prop(into)] report: Signal<Option<Report>>,
    #[prop(into)] needed_by_h: Signal<f64>,
    /// 95% confidence intervals from preview replications, per figure id: (mean, half-width).
    #[prop(into)]
    intervals: Signal<Option<Vec<(f64, f64)>>>,
) -> impl IntoView {
    view! {
        <dl class="summary-list" id="key-figures">
            {KEY_FIGURES.iter().enumerate().map(|(i, k)| view! {
                <div class="summary-list__row">
                    <dt>{move || k.label(needed_by_h.get())}</dt>
                    <dd>
                        <span id=k.id>{move || report.with(|r| r.as_ref().map(|r| k.show(&r.headline())).unwrap_or_default())}</span>
                        {move || intervals.with(|v| v.as_ref().filter(|_| report.with(|r| r.as_ref().is_some_and(|r| k.shown(&r.headline())))).and_then(|v| v.get(i).map(|(m, h)| view! {
                            <span class="interval" id=format!("{}-ci", k.id)>{format!(" (95% CI: {})", k.show_interval(*m, *h))}</span>
                        })))}
                    </dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
