//! Compare: pin the current results as a baseline, then see baseline and current side by side with
//! the differences in key figures spelled out.

use leptos::prelude::*;

use crate::model::Report;
use crate::present::key_figures::{KEY_FIGURES, differences};

#[component]
pub fn Compare(
    #[prop(into)] current: Signal<Option<Report>>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] needed_by_h: Signal<f64>,
) -> impl IntoView {
    let baseline = RwSignal::new(None::<(String, Report)>);
    let pin = move |_| {
        if let Some(r) = current.get_untracked() {
            baseline.set(Some((label.get_untracked(), r)));
        }
    };
    view! {
        <section class="compare" aria-labelledby="compare-heading">
            <h2 class="heading-m" id="compare-heading">"Compare"</h2>
            <p>
                <button type="button" class="button button--secondary" id="pin-baseline" on:click=pin>"Pin these results as the baseline"</button>
                " "
                <Show when=move || baseline.with(Option::is_some)>
                    <button type="button" class="button button--secondary" id="clear-baseline" on:click=move |_| baseline.set(None)>"Clear the baseline"</button>
                </Show>
            </p>
            {move || {
                let base = baseline.get()?;
                let now = current.get()?.headline();
                let base = (base.0, base.1.headline());
                let needed = needed_by_h.get();
                Some(view! {
                    <p class="compare__summary" id="compare-summary" role="status">{differences(&base.1, &now, needed)}</p>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Baseline and current scenario compared">
                        <table class="table table--compact" id="compare-table">
                            <caption class="visually-hidden">"Key figures: baseline against current"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Key figure"</th>
                                    <th scope="col">"Baseline: " {base.0.clone()}</th>
                                    <th scope="col">"Current: " {label.get()}</th>
                                    <th scope="col">"Change"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {KEY_FIGURES.iter().map(|k| view! {
                                    <tr>
                                        <th scope="row">{k.label(needed)}</th>
                                        <td>{k.show(&base.1)}</td>
                                        <td>{k.show(&now)}</td>
                                        <td>{k.change(&base.1, &now).unwrap_or_else(|| "no change".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
        </section>
    }
}
