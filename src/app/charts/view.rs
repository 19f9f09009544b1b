//! One chart on the page: its finding as a caption, the canvas (values readable by hover and by
//! keyboard, with a highlighted cursor), the text description, downloads as PNG, SVG and CSV, and
//! a "show as table" view. Everything shown comes from the same [`Figure`].

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::draw::{self, PlotBox};
use super::figure::Figure;
use crate::app::download;
use crate::app::tasks::effect_after_paint;

const HELP: &str = "Hover over the chart, or focus it and use the arrow keys (Home and End for the ends), to read its values.";

/// A chart of `figure` (nothing is drawn while it is `None`).
#[component]
pub fn ChartFigure(
    #[prop(into)] figure: Signal<Option<Figure>>,
    #[prop(into)] id: String,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let cursor = RwSignal::new(None::<usize>);
    let plot_box = RwSignal::new(PlotBox::default());
    let (draws, set_draws) = signal(0u32);
    // A new figure keeps the cursor where it was if it still exists.
    let draw_now = move || {
        let (Some(c), Some(at)) = (
            canvas.try_get_untracked().flatten(),
            cursor.try_get_untracked(),
        ) else {
            return;
        };
        figure.try_with_untracked(|f| {
            if let Some(f) = f {
                let t0 = now_ms();
                if let Ok(b) = draw::canvas(&c, f, at.filter(|&i| i < f.len())) {
                    let _ = c.set_attribute("data-draw-ms", &format!("{:.1}", now_ms() - t0));
                    plot_box.set(b);
                    set_draws.update(|n| *n += 1);
                }
            }
        });
    };
    // Each chart draws in a task of its own, after the change that asked for it: five charts
    // redrawn for a full-scale report would otherwise make one task of over 50 ms. It draws once
    // the page has painted its other changes (a full report changes much of it), so a draw never
    // pays for working out the page's style and layout. Changes that come while a draw waits are
    // drawn together.
    effect_after_paint(
        move || {
            canvas.track();
            cursor.track();
            figure.track();
        },
        move || async move { draw_now() },
    );
    let text = move |g: fn(&Figure) -> String| {
        move || figure.with(|f| f.as_ref().map(g).unwrap_or_default())
    };
    let readout = move || {
        let at = cursor.get();
        figure.with(|f| match (f, at) {
            (Some(f), Some(i)) if i < f.len() => f.readout(i),
            _ => HELP.to_string(),
        })
    };
    let move_cursor = move |ev: web_sys::KeyboardEvent| {
        let n = figure.with_untracked(|f| f.as_ref().map(Figure::len).unwrap_or(0));
        if n == 0 {
            return;
        }
        let now = cursor.get_untracked();
        let step = |d: isize| {
            now.map(|i| (i as isize + d).clamp(0, n as isize - 1) as usize)
                .unwrap_or(0)
        };
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => step(1),
            "ArrowLeft" | "ArrowDown" => step(-1),
            "PageUp" => step(4),
            "PageDown" => step(-4),
            "Home" => 0,
            "End" => n - 1,
            "Escape" => {
                cursor.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let hover = move |ev: web_sys::MouseEvent| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        let width = c.client_width().max(1) as f64;
        let x = ev.offset_x() as f64 * draw::WIDTH as f64 / width;
        let at = figure.with_untracked(|f| {
            f.as_ref()
                .and_then(|f| plot_box.get_untracked().index_at(f, x))
        });
        if at.is_some() && at != cursor.get_untracked() {
            cursor.set(at);
        }
    };
    let save = move |kind: &'static str| {
        figure.with_untracked(|f| {
            let Some(f) = f else { return };
            let name = format!("mp162-{}.{kind}", f.id);
            let _ = match kind {
                "csv" => download::save_text(&name, "text/csv", &f.csv()),
                "svg" => match draw::svg(f) {
                    Ok(svg) => download::save_text(&name, "image/svg+xml", &svg),
                    Err(e) => Err(e.into()),
                },
                _ => png(f).and_then(|url| download::save_url(&name, &url)),
            };
        })
    };
    // The table is built only while it is open: a closed one costs nothing on each update.
    let open = RwSignal::new(false);
    let table = Memo::new(move |_| {
        if open.get() {
            figure.with(|f| f.as_ref().map(Figure::table))
        } else {
            None
        }
    });
    let header = move || table.with(|t| t.as_ref().map(|t| t.0.clone()).unwrap_or_default());
    let rows = move || table.with(|t| t.as_ref().map(|t| t.1.clone()).unwrap_or_default());
    view! {
        <figure class="chart" id=format!("{id}-chart-figure")>
            <figcaption class="heading-s" id=format!("{id}-chart-title")>{text(|f| f.title.clone())}</figcaption>
            <canvas
                id=format!("{id}-chart")
                class="chart__canvas"
                width=draw::WIDTH.to_string()
                height=draw::HEIGHT.to_string()
                node_ref=canvas
                tabindex="0"
                role="img"
                // Until the first figures are in (the preview runs in the background), the canvas
                // still says what it is.
                aria-label=move || figure.with(|f| f.as_ref().map_or_else(|| "Chart: working out the figures…".to_string(), |f| f.title.clone()))
                aria-describedby=format!("{id}-chart-desc {id}-chart-readout")
                data-draws=move || draws.get().to_string()
                data-cursor=move || cursor.get().map(|i| i.to_string()).unwrap_or_default()
                on:keydown=move_cursor
                on:mousemove=hover
                on:mouseleave=move |_| cursor.set(None)
            ></canvas>
            <p class="chart__readout" id=format!("{id}-chart-readout") aria-live="polite">{readout}</p>
            <p class="hint" id=format!("{id}-chart-desc")>{text(|f| f.description.clone())}</p>
            <p class="chart__downloads">
                <span class="chart__downloads-label">"Download: "</span>
                <button type="button" class="button button--secondary button--small" id=format!("{id}-chart-png") on:click=move |_| save("png")>"PNG image"</button>
                <button type="button" class="button button--secondary button--small" id=format!("{id}-chart-svg") on:click=move |_| save("svg")>"SVG image"</button>
                <button type="button" class="button button--secondary button--small" id=format!("{id}-chart-csv") on:click=move |_| save("csv")>"Data (CSV)"</button>
            </p>
            <details class="details" on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                    open.set(d.open());
                }
            }>
                <summary>"Show as table"</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label=text(|f| format!("Table: {}", f.title))>
                    <table class="table table--compact" id=format!("{id}-chart-table")>
                        <caption class="visually-hidden">{text(|f| f.title.clone())}</caption>
                        <thead>
                            <tr>{move || header().into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {move || rows().into_iter().map(|row| {
                                let mut cells = row.into_iter();
                                let first = cells.next().unwrap_or_default();
                                view! {
                                    <tr>
                                        <th scope="row">{first}</th>
                                        {cells.map(|c| view! { <td class="numeric">{c}</td> }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// The figure drawn afresh (no cursor) on an off-screen canvas, as a PNG data URL.
fn png(f: &Figure) -> Result<String, wasm_bindgen::JsValue> {
    let c: web_sys::HtmlCanvasElement = document().create_element("canvas")?.unchecked_into();
    draw::canvas(&c, f, None)?;
    c.to_data_url_with_type("image/png")
}
