//! Draws a [`Figure`] with plotters on any backend: the page's canvas, and SVG for downloads, from
//! the same code. Lengths and fonts are multiplied by `scale` (the screen's pixel density on a
//! canvas) so lines and labels stay crisp on high-DPI screens.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::figure::{Axis, Figure, Marker};
use crate::present::format::clock;

/// Colours safe for the common colour-vision deficiencies (Okabe–Ito order), then black.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(40, 40, 40),
    RGBColor(120, 120, 120),
];

/// The chart's size in CSS pixels.
pub const WIDTH: u32 = 900;
pub const HEIGHT: u32 = 420;

/// An x axis labelled exactly at chosen points: every 6 hours, or the middle of each bar group.
struct KeyAxis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
}

impl Ranged for KeyAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let f = (v - self.lo) / (self.hi - self.lo);
        limit.0 + (f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only bold grid lines and labels; no light lines between them.
        if hint.weight().allow_light_points() || hint.max_num_points() == 0 {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Where the plotting area landed, in the backend's pixels: lets hover find the nearest point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlotBox {
    pub left: f64,
    pub right: f64,
}

impl PlotBox {
    /// The x position (index) nearest to a pixel `x` in the same units as the box.
    pub fn index_at(&self, fig: &Figure, x: f64) -> Option<usize> {
        let n = fig.len();
        if n == 0 || self.right <= self.left || x < self.left || x > self.right {
            return None;
        }
        let frac = (x - self.left) / (self.right - self.left);
        Some(match &fig.x {
            Axis::Hours(h) => {
                let at = frac * x_max(fig);
                (0..n)
                    .min_by(|&a, &b| (h[a] - at).abs().total_cmp(&(h[b] - at).abs()))
                    .unwrap_or(0)
            }
            Axis::Categories(_) => ((frac * n as f64) as usize).min(n - 1),
            Axis::Values(v) => {
                let (lo, hi) = x_range(fig);
                let at = lo + frac * (hi - lo);
                (0..n)
                    .min_by(|&a, &b| (v[a] - at).abs().total_cmp(&(v[b] - at).abs()))
                    .unwrap_or(0)
            }
        })
    }
}

/// The x axis's span: hours from 00:00, bar groups from 0, or the values' own span.
fn x_range(fig: &Figure) -> (f64, f64) {
    match &fig.x {
        Axis::Values(v) => {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                (0.0, 1.0)
            } else if hi > lo {
                (lo, hi)
            } else {
                (lo - 0.5, hi + 0.5)
            }
        }
        _ => (0.0, x_max(fig)),
    }
}

fn x_max(fig: &Figure) -> f64 {
    match &fig.x {
        // Points sit mid-bin; the axis runs to the end of the last bin.
        Axis::Hours(h) => match (h.first(), h.last()) {
            (Some(a), Some(b)) => b + a,
            _ => 24.0,
        },
        Axis::Categories(c) => c.len().max(1) as f64,
        Axis::Values(_) => x_range(fig).1,
    }
}

/// The markers on the axis, each with the text row its label takes: a label closer than a sixth
/// of the axis to one on the row above goes a row lower, so labels never overprint.
fn marker_rows(fig: &Figure, x_lo: f64, x_max: f64) -> Vec<(&Marker, usize)> {
    let near = (x_max - x_lo).abs() / 6.0;
    let mut placed: Vec<(&Marker, usize)> = Vec::new();
    for m in fig.markers.iter().filter(|m| m.at_h <= x_max) {
        let row = (0..)
            .find(|r| {
                !placed
                    .iter()
                    .any(|(p, pr)| pr == r && (p.at_h - m.at_h).abs() < near)
            })
            .unwrap_or(0);
        placed.push((m, row));
    }
    placed
}

/// Draws the figure, with a cursor (a highlighted x position) if one is chosen.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    scale: f64,
    cursor: Option<usize>,
) -> Result<PlotBox, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |x: f64| (x * scale).round() as u32;
    let font = |size: f64| ("sans-serif", size * scale);
    root.fill(&WHITE).map_err(err)?;
    let x_max = x_max(fig);
    let (x_lo, _) = x_range(fig);
    let bars = matches!(fig.x, Axis::Categories(_));
    // Bar charts leave room above the bars for the legend.
    let headroom = if bars {
        1.12 + 0.07 * fig.series.len() as f64
    } else {
        1.12
    };
    // Bars below zero (a tornado's changes) get room below the axis too.
    let y_bottom = fig.y_min() * if fig.y_min() < 0.0 { 1.12 } else { 0.0 };
    let y_top = if fig.y_min() < 0.0 {
        fig.y_max().max(-y_bottom * 0.2) * headroom
    } else if fig.percent {
        if bars { headroom } else { 1.05 }
    } else {
        fig.y_max().max(1.0) * headroom
    };
    let x_keys: Vec<f64> = match &fig.x {
        Axis::Hours(_) => (0..=(x_max / 6.0).floor() as usize)
            .map(|i| i as f64 * 6.0)
            .collect(),
        Axis::Categories(c) => (0..c.len()).map(|i| i as f64 + 0.5).collect(),
        Axis::Values(v) => {
            let every = v.len().div_ceil(7).max(1);
            v.iter().copied().step_by(every).collect()
        }
    };
    let mut chart = ChartBuilder::on(root)
        .margin(px(12.0))
        .margin_right(px(20.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(px(64.0))
        .build_cartesian_2d(
            KeyAxis {
                lo: x_lo,
                hi: x_max,
                keys: x_keys,
            },
            y_bottom..y_top,
        )
        .map_err(err)?;
    let categories = match &fig.x {
        Axis::Categories(c) => c.clone(),
        Axis::Hours(_) | Axis::Values(_) => Vec::new(),
    };
    let values_axis = matches!(fig.x, Axis::Values(_));
    let percent = fig.percent;
    let y_format = move |y: &f64| match percent {
        true if *y > 1.0001 => String::new(),
        true => format!("{:.0}%", y * 100.0),
        false => compact(*y),
    };
    let x_format = move |x: &f64| {
        if values_axis {
            compact(*x)
        } else if categories.is_empty() {
            clock(*x).replace(" on D+1", "")
        } else {
            categories
                .get(x.floor() as usize)
                .cloned()
                .unwrap_or_default()
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(fig.x_desc.as_str())
        .y_desc(fig.y_desc.as_str())
        .y_label_formatter(&y_format)
        .x_label_formatter(&x_format)
        .y_labels(8)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .light_line_style(RGBColor(246, 246, 246))
        .bold_line_style(RGBColor(222, 222, 222));
    if bars {
        mesh.disable_x_mesh();
    }
    mesh.draw().map_err(err)?;
    // Working hours behind everything else.
    let shade = RGBColor(236, 236, 236).filled();
    chart
        .draw_series(
            fig.shade
                .iter()
                .filter(|s| s.0 < x_max)
                .map(|&(a, b)| Rectangle::new([(a, y_bottom), (b.min(x_max), y_top)], shade)),
        )
        .map_err(err)?;
    if let Some(i) = cursor.filter(|&i| i < fig.len()) {
        let band = match &fig.x {
            Axis::Hours(h) => {
                let half = h.first().copied().unwrap_or(0.0);
                (h[i] - half, h[i] + half)
            }
            Axis::Categories(_) => (i as f64, i as f64 + 1.0),
            Axis::Values(v) => {
                let half = (x_max - x_lo) / 150.0;
                (v[i] - half, v[i] + half)
            }
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(band.0, y_bottom), (band.1, y_top)],
                RGBColor(255, 221, 0).mix(0.45).filled(),
            )))
            .map_err(err)?;
    }
    let groups = fig.series.len().max(1) as f64;
    for (k, s) in fig.series.iter().enumerate() {
        let colour = PALETTE[s.colour % PALETTE.len()];
        match &fig.x {
            Axis::Hours(h) | Axis::Values(h) => {
                // A NaN breaks the line: draw each finite run as its own segment.
                let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for (x, v) in h.iter().zip(&s.values) {
                    if v.is_finite() {
                        runs.last_mut().map(|r| r.push((*x, *v)));
                    } else if runs.last().is_some_and(|r| !r.is_empty()) {
                        runs.push(Vec::new());
                    }
                }
                let style = colour.stroke_width(px(2.0));
                chart
                    .draw_series(
                        runs.into_iter()
                            .filter(|r| !r.is_empty())
                            .map(move |r| PathElement::new(r, style)),
                    )
                    .map_err(err)?;
            }
            Axis::Categories(_) => {
                let width = 0.8 / groups;
                chart
                    .draw_series(
                        s.values
                            .iter()
                            .enumerate()
                            .filter(|(_, v)| v.is_finite())
                            .map(move |(g, v)| {
                                let x0 = g as f64 + 0.1 + width * k as f64;
                                Rectangle::new(
                                    [(x0, 0.0), (x0 + width * 0.92, *v)],
                                    colour.filled(),
                                )
                            }),
                    )
                    .map_err(err)?;
            }
        }
    }
    chart
        .draw_series(fig.markers.iter().filter(|m| m.at_h <= x_max).map(|m| {
            PathElement::new(
                vec![(m.at_h, y_bottom), (m.at_h, y_top)],
                BLACK.stroke_width(px(2.0)),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(marker_rows(fig, x_lo, x_max).into_iter().map(|(m, row)| {
            Text::new(
                format!(" {}", m.label),
                (
                    m.at_h,
                    y_top - (y_top - y_bottom) * (0.03 + 0.06 * row as f64),
                ),
                font(13.0).into_font().color(&BLACK),
            )
        }))
        .map_err(err)?;
    legend(
        &chart.plotting_area().strip_coord_spec(),
        fig,
        &font(13.0).into_text_style(root),
    )
    .map_err(err)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    root.present().map_err(err)?;
    Ok(PlotBox {
        left: xs.start as f64,
        right: xs.end as f64,
    })
}

/// The series legend, in a box at the plot's upper (or lower) right, laid out as plotters lays
/// out its own. plotters' legend measures its labels with its browser font code, which adds a span
/// to the page and reads its size: a forced layout of the whole page per label, several per chart
/// at every update. This one measures them with the backend (the canvas's `measureText`).
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    style: &TextStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if fig.series.is_empty() {
        return Ok(());
    }
    // plotters' defaults: 30 px for the swatch column, a 10 px margin, lines 1.25 fonts apart.
    let (swatch_column, margin, swatch_len) = (30, 10, 18);
    let line_height = style.font.get_size() * 1.25;
    let mut lines = Vec::with_capacity(fig.series.len());
    for (i, s) in fig.series.iter().enumerate() {
        let top = (i as f64 * line_height).round() as i32;
        let (w, h) = area.estimate_text_size(&s.label, style)?;
        lines.push((top, w as i32, h as i32));
    }
    let text_w = lines.iter().map(|l| l.1).max().unwrap_or(0);
    let text_h = lines.iter().map(|l| l.0 + l.2).max().unwrap_or(0);
    let (w, h) = (text_w + swatch_column + margin * 2, text_h + margin * 2);
    let (area_w, area_h) = area.dim_in_pixel();
    let x = area_w as i32 - w - 5;
    let y = if fig.legend_lower {
        area_h as i32 - h - 5
    } else {
        5
    };
    let frame = [(x, y), (x + w, y + h)];
    area.draw(&Rectangle::new(frame, WHITE.mix(0.9).filled()))?;
    area.draw(&Rectangle::new(frame, BLACK))?;
    for (s, (top, _, h)) in fig.series.iter().zip(lines) {
        let line_y = y + margin + top;
        area.draw(&Text::new(
            s.label.as_str(),
            (x + swatch_column + margin, line_y),
            style.clone(),
        ))?;
        let (sx, sy) = (x + margin, line_y + h / 2);
        let colour = PALETTE[s.colour % PALETTE.len()];
        area.draw(&Rectangle::new(
            [(sx, sy - 4), (sx + swatch_len, sy + 4)],
            colour.filled(),
        ))?;
    }
    Ok(())
}

/// An axis number in few characters: `40M`, `2.5M`, `25k`, `800`.
pub fn compact(y: f64) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    match y.abs() {
        a if a >= 1e6 => format!("{}M", trim(y / 1e6)),
        a if a >= 1e4 => format!("{}k", trim(y / 1e3)),
        _ => crate::present::format::number(y),
    }
}

/// The figure as an SVG document (the "Download SVG" file).
pub fn svg(fig: &Figure) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, fig, 1.0, None)?;
    }
    Ok(out)
}

/// Draws the figure on a canvas at the screen's pixel density; the box is in CSS pixels.
pub fn canvas(
    canvas: &web_sys::HtmlCanvasElement,
    fig: &Figure,
    cursor: Option<usize>,
) -> Result<PlotBox, String> {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0);
    canvas.set_width((WIDTH as f64 * dpr).round() as u32);
    canvas.set_height((HEIGHT as f64 * dpr).round() as u32);
    let backend =
        super::fast_canvas::FastCanvas::new(canvas).ok_or("the canvas cannot be drawn on")?;
    let b = draw(&backend.into_drawing_area(), fig, dpr, cursor)?;
    Ok(PlotBox {
        left: b.left / dpr,
        right: b.right / dpr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_labels_close_together_take_rows_of_their_own() {
        let m = |at_h: f64| Marker {
            at_h,
            label: format!("{at_h}"),
        };
        let fig = Figure {
            markers: vec![m(13.6), m(13.6), m(20.0), m(13.7)],
            ..crate::app::charts::figure::tests::lines()
        };
        let rows: Vec<usize> = marker_rows(&fig, 8.0, 22.0).iter().map(|x| x.1).collect();
        assert_eq!(rows, vec![0, 1, 0, 2]);
    }
}
