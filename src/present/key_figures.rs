//! The key figures of a run, and how two runs differ ("peak load +41%, MHHS data by 07:00 −12
//! points"). One list drives the explorer's summary and comparison, the evidence beside each
//! consultation question, and the exported response.

use super::format::{clock, duration, number, percent, thousands};
use crate::model::preview;
use crate::model::report::{Headline, MODEL_VERSION};

/// What a figure a preview cannot show honestly says instead of a number.
pub const NEEDS_FULL_RUN: &str = "needs a full-scale run";

/// How a figure is shown and how a change in it is said.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    Count,
    Rate,
    Share,
    Seconds,
    Hour,
}

pub struct KeyFigure {
    /// Element id of its value: `fig-peak`, ...
    pub id: &'static str,
    /// The model's name for it (see `mp162_model::preview`).
    pub figure: &'static str,
    /// The label; `{needed}` becomes the needed-by time.
    pub label: &'static str,
    /// Short name in the sentence of differences.
    pub short: &'static str,
    pub measure: Measure,
    pub value: fn(&Headline) -> f64,
    /// Higher is better (for the words "better"/"worse" in the comparison).
    pub higher_is_better: bool,
}

pub static KEY_FIGURES: &[KeyFigure] = &[
    KeyFigure {
        id: "fig-submitted",
        figure: "requests_submitted",
        label: "Requests in the day and its spill into D+1 (each counted once, however many attempts)",
        short: "requests",
        measure: Measure::Count,
        value: |r| r.requests_submitted as f64,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-peak",
        figure: "peak_requests_per_second",
        label: "Peak load on the DCC data service",
        short: "peak load",
        measure: Measure::Rate,
        value: |r| r.peak_requests_per_second,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-by-needed",
        figure: "mhhs_delivered_by_needed_by",
        label: "MHHS data delivered by {needed}",
        short: "MHHS data by {needed}",
        measure: Measure::Share,
        value: |r| r.key_figures.mhhs_delivered_by_needed_by,
        higher_is_better: true,
    },
    KeyFigure {
        id: "fig-by-d1",
        figure: "mhhs_delivered_by_end_of_d1",
        label: "MHHS data delivered by the end of D+1",
        short: "MHHS data by D+1",
        measure: Measure::Share,
        value: |r| r.key_figures.mhhs_delivered_by_end_of_d1,
        higher_is_better: true,
    },
    KeyFigure {
        id: "fig-working",
        figure: "mhhs_requests_in_working_hours",
        label: "MHHS requests sent in working hours",
        short: "MHHS requests in working hours",
        measure: Measure::Count,
        value: |r| r.key_figures.mhhs_requests_in_working_hours as f64,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-daytime-wait",
        figure: "daytime_wait_p95_s",
        label: "Queueing delay of daytime on-demand requests (95th percentile)",
        short: "daytime delay",
        measure: Measure::Seconds,
        value: |r| r.key_figures.daytime_wait_p95_s,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-on-demand-trt",
        figure: "on_demand_trt_compliance",
        label: "On-demand requests answered within TRT (from the user's request)",
        short: "on-demand TRT compliance",
        measure: Measure::Share,
        value: |r| r.key_figures.on_demand_trt_compliance,
        higher_is_better: true,
    },
    KeyFigure {
        id: "fig-scheduled-trt",
        figure: "scheduled_trt_compliance",
        label: "Scheduled requests answered within TRT (from the schedule's firing)",
        short: "scheduled TRT compliance",
        measure: Measure::Share,
        value: |r| r.key_figures.scheduled_trt_compliance,
        higher_is_better: true,
    },
    KeyFigure {
        id: "fig-s1sp-backlog",
        figure: "peak_s1sp_backlog",
        label: "Longest S1SP backlog (each cohort's largest in a minute, added up)",
        short: "S1SP backlog",
        measure: Measure::Count,
        value: |r| r.key_figures.peak_s1sp_backlog as f64,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-device-hits",
        figure: "device_hits",
        label: "Device attempts (first tries and retries)",
        short: "device hits",
        measure: Measure::Count,
        value: |r| r.key_figures.device_hits as f64,
        higher_is_better: false,
    },
    KeyFigure {
        id: "fig-cache-hits",
        figure: "cache_hits",
        label: "Cache hits at the S1SPs",
        short: "cache hits",
        measure: Measure::Count,
        value: |r| r.key_figures.cache_hits as f64,
        higher_is_better: true,
    },
    KeyFigure {
        id: "fig-last-mhhs",
        figure: "last_mhhs_completion_h",
        label: "Last MHHS request completed",
        short: "last MHHS completion",
        measure: Measure::Hour,
        value: |r| r.key_figures.last_mhhs_completion_h,
        higher_is_better: false,
    },
];

impl KeyFigure {
    pub fn label(&self, needed_by_h: f64) -> String {
        self.label.replace("{needed}", &clock(needed_by_h))
    }

    /// The short name with the needed-by time filled in ("MHHS data by 07:00").
    pub fn short(&self, needed_by_h: f64) -> String {
        self.short.replace("{needed}", &clock(needed_by_h))
    }

    /// The key figure the model calls `figure`.
    pub fn named(figure: &str) -> Option<&'static KeyFigure> {
        KEY_FIGURES.iter().find(|k| k.figure == figure)
    }

    /// True when `r` can show this figure as a number: a full-scale run, a preview whose
    /// figure agrees with the full run within its measured tolerance, or a version 1 headline
    /// (read as it was then).
    pub fn shown(&self, r: &Headline) -> bool {
        r.sample >= 1.0 || r.model_version < MODEL_VERSION || preview::shows(self.figure)
    }

    /// The figure in words, or [`NEEDS_FULL_RUN`] when a preview cannot show it honestly.
    pub fn show(&self, r: &Headline) -> String {
        if !self.shown(r) {
            return NEEDS_FULL_RUN.into();
        }
        let v = (self.value)(r);
        match self.measure {
            Measure::Rate if self.id == "fig-peak" => {
                format!("{} requests/s at {}", number(v), clock(r.peak_at_h))
            }
            _ => self.show_value(v),
        }
    }

    /// A value of this figure in words ("39.5%", "1,234", "06:15"), wherever it came from.
    pub fn show_value(&self, v: f64) -> String {
        match self.measure {
            Measure::Count => thousands(v),
            Measure::Rate => format!("{} requests/s", number(v)),
            Measure::Share => percent(v),
            Measure::Seconds => duration(v),
            Measure::Hour if v == 0.0 => "no MHHS traffic".into(),
            Measure::Hour => clock(v),
        }
    }

    /// A 95% confidence interval in the figure's own terms: "38.4% ± 0.6 points".
    pub fn show_interval(&self, mean: f64, half: f64) -> String {
        match self.measure {
            Measure::Share => format!("{} ± {:.1} points", percent(mean), half * 100.0),
            Measure::Count => format!("{} ± {}", thousands(mean), thousands(half)),
            Measure::Rate => format!("{} ± {} requests/s", number(mean), number(half)),
            Measure::Seconds => format!("{} ± {}", duration(mean), duration(half)),
            Measure::Hour => format!("{} ± {:.0} min", clock(mean), half * 60.0),
        }
    }

    /// The change from `before` to `after` in words: "+41%", "−12.0 points", "2.5 h later";
    /// `None` when it is too small to mention.
    pub fn change(&self, before: &Headline, after: &Headline) -> Option<String> {
        if !self.shown(before) || !self.shown(after) {
            return None;
        }
        let (a, b) = ((self.value)(before), (self.value)(after));
        let sign = |x: f64| if x > 0.0 { "+" } else { "−" };
        match self.measure {
            Measure::Share => {
                let pts = (b - a) * 100.0;
                (pts.abs() >= 0.05).then(|| format!("{}{:.1} points", sign(pts), pts.abs()))
            }
            Measure::Hour => {
                let h = b - a;
                (h.abs() >= 1.0 / 60.0).then(|| {
                    if h > 0.0 {
                        format!("{} later", hours(h))
                    } else {
                        format!("{} earlier", hours(-h))
                    }
                })
            }
            _ if a == 0.0 && b == 0.0 => None,
            _ if a == 0.0 => Some(format!("from 0 to {}", number(b))),
            _ => {
                let rel = (b - a) / a * 100.0;
                (rel.abs() >= 0.5).then(|| format!("{}{:.0}%", sign(rel), rel.abs()))
            }
        }
    }
}

fn hours(h: f64) -> String {
    let m = (h * 60.0).round() as u64;
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The differences worth saying, in one sentence ("Against the baseline: peak load +41%, ...").
pub fn differences(before: &Headline, after: &Headline, needed_by_h: f64) -> String {
    let parts: Vec<String> = KEY_FIGURES
        .iter()
        .filter_map(|k| {
            k.change(before, after)
                .map(|c| format!("{} {c}", k.short.replace("{needed}", &clock(needed_by_h))))
        })
        .collect();
    if parts.is_empty() {
        "No key figure differs from the baseline.".into()
    } else {
        format!("Against the baseline: {}.", parts.join(", "))
    }
}

/// How far a figure moved, on one scale for every kind of figure: the change over the larger of
/// the two values (0 when it did not move, 1 when one of them is zero).
fn moved(k: &KeyFigure, before: &Headline, after: &Headline) -> f64 {
    let (a, b) = ((k.value)(before), (k.value)(after));
    let larger = a.abs().max(b.abs());
    if larger == 0.0 {
        0.0
    } else {
        (b - a).abs() / larger
    }
}

/// What choosing `option` instead of `baseline` changes, in one sentence with the figures that
/// moved most first, in Compare's phrasing ("With “X” rather than “Y”: MHHS data by 07:00 −12.0
/// points, peak load +41%."). Figures a preview cannot show honestly are left out.
pub fn what_changes(
    baseline: &str,
    before: &Headline,
    option: &str,
    after: &Headline,
    needed_by_h: f64,
) -> String {
    let mut parts: Vec<(f64, String)> = KEY_FIGURES
        .iter()
        .filter_map(|k| {
            k.change(before, after).map(|c| {
                (
                    moved(k, before, after),
                    format!("{} {c}", k.short.replace("{needed}", &clock(needed_by_h))),
                )
            })
        })
        .collect();
    parts.sort_by(|x, y| y.0.total_cmp(&x.0));
    if parts.is_empty() {
        format!("“{option}” and “{baseline}” give the same key figures.")
    } else {
        let said: Vec<String> = parts.into_iter().map(|(_, p)| p).collect();
        format!(
            "With “{option}” rather than “{baseline}”: {}.",
            said.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::Headline;
    use crate::model::{RunOptions, Scenario, run};

    fn report(f: impl FnOnce(&mut Scenario)) -> Headline {
        let mut s = Scenario::default();
        s.population.meters = 30_000;
        f(&mut s);
        run(
            &s,
            RunOptions {
                sample: 1.0,
                series: false,
                ..Default::default()
            },
        )
        .headline()
    }

    #[test]
    fn changes_are_spelled_out_in_the_figure_own_terms() {
        let base = report(|_| {});
        let same = differences(&base, &base, 7.0);
        assert_eq!(same, "No key figure differs from the baseline.");
        let mut bigger = base.clone();
        bigger.peak_requests_per_second *= 1.41;
        bigger.key_figures.mhhs_delivered_by_needed_by -= 0.12;
        bigger.key_figures.last_mhhs_completion_h += 1.5;
        let said = differences(&base, &bigger, 7.0);
        assert!(said.contains("peak load +41%"), "{said}");
        assert!(said.contains("MHHS data by 07:00 −12.0 points"), "{said}");
        assert!(
            said.contains("last MHHS completion 1 h 30 min later"),
            "{said}"
        );
        assert!(
            !said.contains("device hits"),
            "unchanged figures are not mentioned: {said}"
        );
    }

    #[test]
    fn what_an_option_changes_puts_the_largest_move_first_and_leaves_out_what_a_preview_cannot_show()
     {
        let base = report(|_| {});
        let mut other = base.clone();
        other.peak_requests_per_second *= 1.05;
        other.key_figures.mhhs_delivered_by_needed_by *= 0.5;
        let said = what_changes("SR 4.2 on demand", &base, "SR 4.2 schedulable", &other, 7.0);
        assert!(
            said.starts_with(
                "With “SR 4.2 schedulable” rather than “SR 4.2 on demand”: MHHS data by 07:00 −"
            ),
            "{said}"
        );
        assert!(
            said.find("MHHS data").unwrap() < said.find("peak load +5%").unwrap(),
            "{said}"
        );
        assert_eq!(
            what_changes("A", &base, "B", &base, 7.0),
            "“B” and “A” give the same key figures."
        );
        // A preview's waits and last completion are not said.
        let mut preview = base.clone();
        preview.sample = 0.0005;
        let mut slower = preview.clone();
        slower.key_figures.last_mhhs_completion_h += 3.0;
        let said = what_changes("A", &preview, "B", &slower, 7.0);
        assert!(!said.contains("last MHHS completion"), "{said}");
    }

    #[test]
    fn today_without_mhhs_reads_plainly() {
        let r = report(|s| s.collection.mhhs = false);
        let last = KEY_FIGURES
            .iter()
            .find(|k| k.id == "fig-last-mhhs")
            .unwrap();
        assert_eq!(last.show(&r), "no MHHS traffic");
        assert!(KEY_FIGURES[1].show(&r).contains("requests/s at "));
    }

    #[test]
    fn a_preview_says_which_figures_need_a_full_run() {
        let mut r = report(|_| {});
        r.sample = 0.0005;
        let on_demand = KEY_FIGURES
            .iter()
            .find(|k| k.id == "fig-on-demand-trt")
            .unwrap();
        let peak = KEY_FIGURES.iter().find(|k| k.id == "fig-peak").unwrap();
        assert_eq!(on_demand.show(&r), NEEDS_FULL_RUN);
        assert_ne!(peak.show(&r), NEEDS_FULL_RUN);
        let mut worse = r.clone();
        worse.key_figures.on_demand_trt_compliance -= 0.2;
        assert_eq!(
            differences(&r, &worse, 7.0),
            "No key figure differs from the baseline."
        );
        // A version 1 headline is read as it was then.
        r.model_version = 1;
        assert_ne!(on_demand.show(&r), NEEDS_FULL_RUN);
        // Every key figure names a figure of the model's preview table.
        for k in KEY_FIGURES {
            assert!(preview::agreement(k.figure).is_some(), "{}", k.id);
        }
    }
}
