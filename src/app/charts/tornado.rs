//! "Which assumptions move it?": a tornado of one key figure, the assumptions that move it most
//! as pairs of bars (the change at the low end and at the high end of each plausible range, from
//! the figure as the scenario has it), widest swing first.

use super::figure::{Axis, Figure, Hourly, Series};
use crate::model::sizing::tornado::Bars;
use crate::present::format::in_sentence;
use crate::present::key_figures::{KeyFigure, Measure};

/// Bars drawn (the table below the chart lists every assumption).
pub const DRAWN: usize = 6;

pub fn figure(bars: &Bars, needed_by_h: f64) -> Figure {
    let key = KeyFigure::named(&bars.figure);
    let percent = key.is_some_and(|k| k.measure == Measure::Share);
    let name = key.map_or(bars.figure.clone(), |k| k.short(needed_by_h));
    let show = |v: f64| key.map_or(format!("{v}"), |k| k.show_value(v));
    let top: Vec<_> = bars.bars.iter().take(DRAWN).collect();
    let title = match top.first() {
        Some(b) if b.swing > 0.0 => format!(
            "{name} moves most with {}: {} at the low end of its range, {} at the high end (now {})",
            in_sentence(&b.label),
            show(b.at_low),
            show(b.at_high),
            show(bars.base)
        ),
        _ => format!("No assumption moves {name} across its plausible range"),
    };
    let description = format!(
        "Bar chart of the change in {name} when each assumption is at the low or the high end of its plausible range, the others as the scenario has them, for the {} assumptions that move it most. {title}. {}.",
        top.len(),
        top.iter()
            .map(|b| format!("{}: {} to {}", b.label, show(b.at_low), show(b.at_high)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let series = vec![
        Series {
            label: "low end".into(),
            colour: 0,
            values: top.iter().map(|b| b.at_low - bars.base).collect(),
        },
        Series {
            label: "high end".into(),
            colour: 2,
            values: top.iter().map(|b| b.at_high - bars.base).collect(),
        },
    ];
    Figure {
        id: "tornado",
        title,
        description,
        x: Axis::Categories(top.iter().map(|b| b.label.clone()).collect()),
        x_desc: "assumption".into(),
        y_desc: format!("change in {name}"),
        percent,
        series,
        shade: vec![],
        markers: vec![],
        legend_lower: false,
        hourly: Hourly::Mean,
        unit: if percent { "share" } else { "value" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sizing::tornado::Bar;
    use crate::model::sources::Basis;

    fn bar(label: &str, at_low: f64, at_high: f64) -> Bar {
        Bar {
            field: "f".into(),
            lever: "f".into(),
            label: label.into(),
            unit: String::new(),
            low: 0.0,
            high: 1.0,
            at_low,
            at_high,
            swing: (at_high - at_low).abs(),
            basis: Basis::Assumption,
            why: String::new(),
        }
    }

    #[test]
    fn the_widest_bar_is_the_finding_and_changes_are_from_the_base() {
        let bars = Bars {
            figure: "mhhs_delivered_by_needed_by".into(),
            base: 0.4,
            sample: 0.0005,
            seeds: 1,
            bars: vec![bar("DSP throughput", 0.23, 0.42), bar("Attempts", 0.4, 0.4)],
            skipped: vec![],
        };
        let f = figure(&bars, 7.0);
        assert_eq!(
            f.title,
            "MHHS data by 07:00 moves most with DSP throughput: 23.0% at the low end of its range, 42.0% at the high end (now 40.0%)"
        );
        assert!((f.series[0].values[0] + 0.17).abs() < 1e-9);
        assert!(f.y_min() < 0.0);
        assert_eq!(in_sentence("Validation reads"), "validation reads");
        assert_eq!(in_sentence("SMETS2 TRT"), "SMETS2 TRT");
    }
}
