//! The explorer's charts. Each chart module turns a report (and its scenario) into a [`Figure`]
//! (plain data, tested natively); [`draw`] paints any figure with plotters on a canvas or as SVG;
//! [`view`] is the Leptos component around it (title, canvas, readout, table, downloads).

pub mod backlog;
pub mod compliance;
pub mod delivery;
pub mod draw;
pub mod fast_canvas;
pub mod figure;
pub mod frontier;
pub mod hits;
pub mod load;
pub mod tornado;
pub mod view;

use figure::{Axis, Figure, Hourly};

use crate::model::{Report, Scenario};

/// Minutes averaged into one point: a preview samples few meters, so single minutes are noisy.
pub const POINT_MINUTES: usize = 15;

/// Every chart of a report, in the order the page shows them.
pub fn all(report: &Report, s: &Scenario) -> Vec<Figure> {
    vec![
        load::figure(report, s),
        backlog::figure(report, s),
        delivery::figure(report, s),
        compliance::figure(report, s),
        hits::figure(report, s),
    ]
}

/// One chart of a report by its id (`load`, `backlog`, `delivery`, `compliance`, `hits`).
pub fn by_id(id: &str, report: &Report, s: &Scenario) -> Figure {
    match id {
        "backlog" => backlog::figure(report, s),
        "delivery" => delivery::figure(report, s),
        "compliance" => compliance::figure(report, s),
        "hits" => hits::figure(report, s),
        _ => load::figure(report, s),
    }
}

/// Minute bins folded into 15-minute points.
fn quarter_hours(minutes: &[f32], how: Hourly) -> Vec<f64> {
    minutes
        .chunks(POINT_MINUTES)
        .map(|c| match how {
            Hourly::Mean => c.iter().map(|&x| x as f64).sum::<f64>() / c.len() as f64,
            Hourly::Last => c.last().copied().unwrap_or(0.0) as f64,
        })
        .collect()
}

/// Point positions (hours) of 15-minute points over `bins` bins of `bin_seconds`.
fn quarter_hour_axis(bins: usize, bin_seconds: f64) -> Vec<f64> {
    let bin_h = bin_seconds / 3600.0;
    (0..bins.div_ceil(POINT_MINUTES))
        .map(|i| {
            let first = i * POINT_MINUTES;
            let n = (bins - first).min(POINT_MINUTES);
            first as f64 * bin_h + n as f64 * bin_h / 2.0
        })
        .collect()
}

/// Working hours on D and on D+1.
fn working_shade(s: &Scenario) -> Vec<(f64, f64)> {
    let w = s.report.working_hours;
    vec![(w.start_h, w.end_h), (w.start_h + 24.0, w.end_h + 24.0)]
}

/// A chart with nothing to show (a report run without series).
fn empty(id: &'static str) -> Figure {
    Figure {
        id,
        title: "No time series in this report".into(),
        description: "This run kept no time series, so there is nothing to draw.".into(),
        x: Axis::Hours(vec![]),
        x_desc: String::new(),
        y_desc: String::new(),
        percent: false,
        series: vec![],
        shade: vec![],
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RunOptions, run};
    use crate::present::format::percent;

    fn small(f: impl FnOnce(&mut Scenario)) -> (Report, Scenario) {
        let mut s = Scenario::default();
        s.population.meters = 40_000;
        f(&mut s);
        (
            run(
                &s,
                RunOptions {
                    sample: 1.0,
                    series: true,
                    ..Default::default()
                },
            ),
            s,
        )
    }

    #[test]
    fn every_chart_has_a_finding_a_description_and_consistent_data() {
        let (r, s) = small(|_| {});
        for fig in all(&r, &s) {
            assert!(
                !fig.title.is_empty() && fig.description.contains(&fig.title),
                "{}",
                fig.id
            );
            assert!(!fig.series.is_empty(), "{}", fig.id);
            for ser in &fig.series {
                assert_eq!(ser.values.len(), fig.len(), "{} {}", fig.id, ser.label);
            }
            assert_eq!(fig.csv().lines().count(), fig.len() + 1, "{}", fig.id);
            let (header, rows) = fig.table();
            assert!(
                rows.iter().all(|row| row.len() == header.len()),
                "{}",
                fig.id
            );
            assert!(!fig.readout(0).is_empty());
            let svg = draw::svg(&fig).unwrap();
            assert!(
                svg.starts_with("<svg") && svg.contains(&fig.series[0].label),
                "{}",
                fig.id
            );
        }
    }

    #[test]
    fn load_points_stay_below_the_peak_minute() {
        let (r, s) = small(|_| {});
        let f = load::figure(&r, &s);
        assert_eq!(f.len(), 48 * 60 / POINT_MINUTES);
        let peak = f.series[..6]
            .iter()
            .flat_map(|x| x.values.iter().copied())
            .fold(0.0, f64::max);
        assert!(peak > 0.0 && peak <= r.peak_requests_per_second + 1e-6);
        assert!(f.title.starts_with("DCC load peaks at "));
    }

    #[test]
    fn delivery_reaches_the_report_share_at_the_needed_by_time() {
        let (r, s) = small(|_| {});
        let f = delivery::figure(&r, &s);
        let Axis::Hours(x) = &f.x else { panic!() };
        // The point whose quarter hour ends at 07:00.
        let i = x
            .iter()
            .position(|h| (h - (7.0 - 0.125)).abs() < 1e-9)
            .unwrap();
        let weighted: f64 = r
            .delivery
            .iter()
            .zip(&f.series)
            .map(|(d, ser)| ser.values[i] * d.items as f64)
            .sum::<f64>()
            / r.delivery.iter().map(|d| d.items as f64).sum::<f64>();
        assert!(
            (weighted - r.key_figures.mhhs_delivered_by_needed_by).abs() < 0.01,
            "{weighted} vs {}",
            r.key_figures.mhhs_delivered_by_needed_by
        );
        assert!(f.title.contains("by 07:00"));
        assert!(!f.title.contains("D+1's own collection"));
    }

    #[test]
    fn delivery_follows_d_and_says_how_d1s_own_collection_did() {
        let (one, s) = small(|_| {});
        let (two, s2) = small(|s| s.collection.next_night = true);
        let (f, f2) = (delivery::figure(&one, &s), delivery::figure(&two, &s2));
        // The lines are D's data alone: each group's share of D's items, whatever D+1 adds.
        assert_eq!(one.delivery[0].items, two.delivery[0].items);
        let share = two.key_figures.next_night_delivered_by_needed_by.unwrap();
        assert!(
            f2.title.ends_with(&format!(
                "D+1's own collection: {} by 07:00 on D+1",
                percent(share)
            )),
            "{}",
            f2.title
        );
        assert_eq!(f.series.len(), f2.series.len());
    }

    #[test]
    fn compliance_and_hits_follow_the_report() {
        let (r, s) = small(|s| {
            s.cache.enabled = true;
            s.users.agent_passes_data_on = 0.0;
        });
        let c = compliance::figure(&r, &s);
        let Axis::Categories(codes) = &c.x else {
            panic!()
        };
        assert!(codes.contains(&"4.8.1".to_string()));
        let h = hits::figure(&r, &s);
        let cache: f64 = h.series[1].values.iter().sum();
        assert!(
            cache > 0.0 && h.series[1].values[..3].iter().all(|&v| v == 0.0),
            "cache hits only at S1SPs"
        );
        assert_eq!(cache as u64, r.key_figures.cache_hits);
        assert!(h.title.contains("cache answers"));
    }
}
