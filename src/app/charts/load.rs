//! "Requests per second over the day, by route": the DSP's output per minute, with working hours
//! shaded, and a title that states the finding.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::model::Report;
use crate::model::scenario::Window;

/// One line of the chart.
pub struct Line {
    pub label: &'static str,
    pub points: Vec<(f64, f64)>,
}

const ROUTE_LABELS: [&str; 6] = ["CSP North", "CSP Central", "CSP South", "S1SP IOC", "S1SP MOC", "S1SP FOC"];
const COLOURS: [RGBColor; 6] = [
    RGBColor(29, 112, 184),
    RGBColor(0, 112, 60),
    RGBColor(212, 53, 28),
    RGBColor(76, 44, 146),
    RGBColor(180, 88, 0),
    RGBColor(40, 40, 40),
];

/// Minutes averaged into one point: a preview samples few meters, so single minutes are noisy.
pub const POINT_MINUTES: usize = 15;

/// Requests per second sent on to each route, as 15-minute averages (MHHS and existing together),
/// each point at the middle of its quarter hour.
pub fn lines(report: &Report) -> Vec<Line> {
    let Some(series) = &report.series else { return Vec::new() };
    let bin_h = series.bin_seconds / 3600.0;
    series
        .dispatched_per_s
        .iter()
        .zip(ROUTE_LABELS)
        .map(|(r, label)| {
            let per_minute: Vec<f64> = r.mhhs.iter().zip(&r.existing).map(|(a, b)| (*a + *b) as f64).collect();
            let points = per_minute
                .chunks(POINT_MINUTES)
                .enumerate()
                .map(|(i, c)| ((i * POINT_MINUTES) as f64 * bin_h + c.len() as f64 * bin_h / 2.0, c.iter().sum::<f64>() / c.len() as f64))
                .collect();
            Line { label, points }
        })
        .collect()
}

/// Hourly averages per route: the chart's "show as table" view. Rows: (hour, [six routes]).
pub fn hourly_table(report: &Report) -> Vec<(usize, [f64; 6])> {
    let lines = lines(report);
    let per_hour = 60 / POINT_MINUTES;
    let hours = lines.first().map(|l| l.points.len() / per_hour).unwrap_or(0);
    (0..hours)
        .map(|h| {
            let mut row = [0.0; 6];
            for (i, l) in lines.iter().enumerate().take(6) {
                row[i] = l.points[h * per_hour..(h + 1) * per_hour].iter().map(|p| p.1).sum::<f64>() / per_hour as f64;
            }
            (h, row)
        })
        .collect()
}

/// Column names of the table and CSV, route by route.
pub fn route_labels() -> [&'static str; 6] {
    ROUTE_LABELS
}

/// The chart's data as CSV: one row per 15-minute point, one column per route.
pub fn csv(report: &Report) -> String {
    let lines = lines(report);
    let mut out = String::from("hour_from_00_00_on_D");
    for l in &lines {
        out.push(',');
        out.push_str(&l.label.to_lowercase().replace(' ', "_"));
        out.push_str("_requests_per_s");
    }
    out.push('\n');
    if let Some(first) = lines.first() {
        for i in 0..first.points.len() {
            out.push_str(&format!("{:.3}", first.points[i].0));
            for l in &lines {
                out.push_str(&format!(",{:.2}", l.points[i].1));
            }
            out.push('\n');
        }
    }
    out
}

/// The finding, as a chart title.
pub fn title(report: &Report) -> String {
    let peak = format!("DCC load peaks at {} requests/s at {}", thousands(report.peak_requests_per_second), clock(report.peak_at_h));
    if report.key_figures.last_mhhs_completion_h > 0.0 {
        format!("{peak}; MHHS work runs until {}", clock(report.key_figures.last_mhhs_completion_h))
    } else {
        format!("{peak}; no MHHS traffic")
    }
}

/// A text alternative: the same finding with the busiest route.
pub fn description(report: &Report) -> String {
    let lines = lines(report);
    let busiest = lines
        .iter()
        .map(|l| (l.label, l.points.iter().map(|p| p.1).fold(0.0, f64::max)))
        .fold(("", 0.0), |a, b| if b.1 > a.1 { b } else { a });
    format!(
        "Line chart of requests per second sent to each route, in 15-minute averages, over {} hours from 00:00 on day D, working hours shaded. {}. The busiest route is {} at {} requests/s.",
        lines.first().map(|l| l.points.len() * POINT_MINUTES / 60).unwrap_or(0),
        title(report),
        busiest.0,
        thousands(busiest.1)
    )
}

pub fn clock(h: f64) -> String {
    let day = if h >= 24.0 { " on D+1" } else { "" };
    let m = ((h % 24.0) * 60.0).round() as u32;
    format!("{:02}:{:02}{day}", (m / 60) % 24, m % 60)
}

pub fn thousands(x: f64) -> String {
    let n = x.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The chart's size in CSS pixels. The canvas's backing store is this times the screen's device
/// pixel ratio, and every length and font is scaled to match, so lines and labels stay crisp on
/// high-DPI screens.
pub const WIDTH: u32 = 900;
pub const HEIGHT: u32 = 420;

/// Draws the chart on a canvas.
pub fn draw(canvas: &web_sys::HtmlCanvasElement, report: &Report, working: &Window) -> Result<(), String> {
    let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).clamp(1.0, 4.0);
    let px = |x: f64| (x * dpr).round() as u32;
    canvas.set_width(px(WIDTH as f64));
    canvas.set_height(px(HEIGHT as f64));
    let font = |size: f64| ("sans-serif", size * dpr);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas cannot be drawn on")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let lines = lines(report);
    let x_max = lines.first().map(|l| (l.points.len() * POINT_MINUTES) as f64 / 60.0).unwrap_or(48.0);
    let y_max = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(1.0, f64::max) * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(12.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(64.0))
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("hours from 00:00 on D")
        .y_desc("requests per second (15-minute average)")
        .x_labels(9)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    let shade = RGBColor(243, 242, 241).filled();
    let days = (x_max / 24.0).ceil() as usize;
    chart
        .draw_series((0..days).map(|d| {
            let o = 24.0 * d as f64;
            Rectangle::new([(o + working.start_h, 0.0), ((o + working.end_h).min(x_max), y_max)], shade)
        }))
        .map_err(|e| e.to_string())?;
    // plotters leaves a fixed gap (in canvas pixels) before legend text, so the sample line is not scaled.
    let legend_len = 18;
    for (line, colour) in lines.into_iter().zip(COLOURS) {
        chart
            .draw_series(LineSeries::new(line.points, colour.stroke_width(px(2.0))))
            .map_err(|e| e.to_string())?
            .label(line.label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + legend_len, y)], colour.stroke_width(px(3.0))));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(font(13.0))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RunOptions, Scenario, run};

    #[test]
    fn lines_title_and_description_come_from_the_report() {
        let mut s = Scenario::default();
        s.population.meters = 50_000;
        let r = run(&s, RunOptions { sample: 1.0, series: true });
        let l = lines(&r);
        assert_eq!(l.len(), 6);
        assert_eq!(l[0].points.len(), 48 * 60 / POINT_MINUTES);
        let peak = l.iter().flat_map(|x| x.points.iter().map(|p| p.1)).fold(0.0, f64::max);
        assert!(peak > 0.0 && peak <= r.peak_requests_per_second + 1e-6);
        assert!(title(&r).starts_with("DCC load peaks at "));
        assert!(description(&r).contains("busiest route"));
    }

    #[test]
    fn table_and_csv_carry_the_chart_data() {
        let mut s = Scenario::default();
        s.population.meters = 20_000;
        let r = run(&s, RunOptions { sample: 1.0, series: true });
        let t = hourly_table(&r);
        assert_eq!(t.len(), 48);
        let csv = csv(&r);
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 1 + 48 * 60 / POINT_MINUTES);
        assert!(rows[0].starts_with("hour_from_00_00_on_D,csp_north_requests_per_s"));
        assert_eq!(rows[1].split(',').count(), 7);
        // The hourly table is the mean of the CSV's four quarter-hours.
        let q: Vec<f64> = rows[1..5].iter().map(|r| r.split(',').nth(1).unwrap().parse().unwrap()).collect();
        assert!((t[0].1[0] - q.iter().sum::<f64>() / 4.0).abs() < 0.05);
    }

    #[test]
    fn formats() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(clock(6.5), "06:30");
        assert_eq!(clock(30.25), "06:15 on D+1");
    }
}
