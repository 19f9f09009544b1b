//! How far a sampled preview can be trusted, figure by figure.
//!
//! A preview walks every k-th meter and scales every capacity by 1/k, so loads, volumes and
//! delivery shares come out as at full scale. Waits do not: a station with c/k slots waits far
//! longer than one with c slots at the same load (Erlang C is not scale-invariant), slot counts
//! round to whole numbers, and the DSP serves each sampled request k times slower. Extremes
//! such as the last completion depend on how many meters there are. So each key figure is either
//! shown by a preview, within the tolerance measured against the full GB run of every preset
//! (`README.md`, "Previews against the full run"), or left for a full-scale run.
//! `tests/preview_agreement.rs` holds every preset to these tolerances.

use super::report::Headline;

/// How a preview's figure compares with the full run's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Agreement {
    /// Within this many of the figure's own units (shares: 0.01 is one percentage point).
    Absolute(f64),
    /// Within this share of the full run's value (0.05 = 5%), or `floor` units, whichever is more.
    Relative { share: f64, floor: f64 },
    /// A preview cannot show it honestly: it needs a full-scale run.
    NeedsFullRun,
}

/// One key figure: its name (the report's field) and how a preview agrees with the full run.
#[derive(Clone, Copy, Debug)]
pub struct FigureAgreement {
    pub figure: &'static str,
    pub agreement: Agreement,
    /// Presets whose preview is looser than `agreement`, measured (a preset with few meters
    /// collected a day has few in its sample, so sampling noise alone is larger).
    pub by_preset: &'static [(&'static str, Agreement)],
    /// Why, in a sentence (shown to users beside "needs a full-scale run").
    pub why: &'static str,
}

const fn a(figure: &'static str, agreement: Agreement, why: &'static str) -> FigureAgreement {
    FigureAgreement {
        figure,
        agreement,
        by_preset: &[],
        why,
    }
}

const fn per_preset(
    figure: &'static str,
    agreement: Agreement,
    by_preset: &'static [(&'static str, Agreement)],
    why: &'static str,
) -> FigureAgreement {
    FigureAgreement {
        figure,
        agreement,
        by_preset,
        why,
    }
}

impl FigureAgreement {
    /// The agreement for a preview of preset `preset` (its own where measured looser).
    pub fn for_preset(&self, preset: &str) -> Agreement {
        self.by_preset
            .iter()
            .find(|(p, _)| *p == preset)
            .map_or(self.agreement, |(_, x)| *x)
    }
}

use Agreement::*;

/// The original TOM collects ~1M meters a day: a 1-in-2,000 preview has ~500 of them, so its
/// delivery shares carry about ±1.2 points of sampling noise alone (measured: +1.6 points).
const ORIGINAL_TOM_DELIVERY: &[(&str, Agreement)] = &[("original-tom", Absolute(0.03))];

/// Every key figure, in the order of [`named_figures`]. Measured with seed 11 against the full
/// GB run of every preset (`README.md`, "Previews against the full run").
pub static PREVIEW_AGREEMENT: &[FigureAgreement] = &[
    a(
        "requests_submitted",
        Relative {
            share: 0.01,
            floor: 0.0,
        },
        "a count of requests, scaled up from the sample",
    ),
    a(
        "peak_requests_per_second",
        Relative {
            share: 0.03,
            floor: 0.0,
        },
        "the load follows from the schedules and the DSP's throughput",
    ),
    per_preset(
        "mhhs_delivered_by_needed_by",
        Absolute(0.01),
        ORIGINAL_TOM_DELIVERY,
        "delivery follows the routes' throughput, which a sample keeps",
    ),
    per_preset(
        "mhhs_delivered_by_end_of_d1",
        Absolute(0.01),
        ORIGINAL_TOM_DELIVERY,
        "delivery follows the routes' throughput, which a sample keeps",
    ),
    per_preset(
        "mhhs_requests_in_working_hours",
        Relative {
            share: 0.05,
            floor: 20_000.0,
        },
        &[(
            "original-tom",
            Relative {
                share: 0.5,
                floor: 40_000.0,
            },
        )],
        "when the backlog clears follows the routes' throughput",
    ),
    a(
        "daytime_wait_mean_s",
        NeedsFullRun,
        "a sampled station has few slots, so it queues far longer than the full one",
    ),
    a(
        "daytime_wait_p95_s",
        NeedsFullRun,
        "a sampled station has few slots, so it queues far longer than the full one",
    ),
    a(
        "on_demand_trt_compliance",
        NeedsFullRun,
        "on-demand TRTs are seconds, and a sampled station's waits are not the full one's",
    ),
    a(
        "scheduled_trt_compliance",
        Absolute(0.01),
        "scheduled TRTs are hours, far longer than any wait a sample adds",
    ),
    a(
        "device_hits",
        Relative {
            share: 0.02,
            floor: 0.0,
        },
        "a count of attempts, scaled up from the sample",
    ),
    a(
        "cache_hits",
        Relative {
            share: 0.1,
            floor: 20_000.0,
        },
        "a count, scaled up from the sample",
    ),
    a(
        "peak_dsp_backlog",
        Relative {
            share: 0.05,
            floor: 20_000.0,
        },
        "the backlog follows the schedules and the DSP's throughput",
    ),
    per_preset(
        "peak_s1sp_backlog",
        Relative {
            share: 0.1,
            floor: 20_000.0,
        },
        &[
            (
                "today",
                Relative {
                    share: 0.2,
                    floor: 20_000.0,
                },
            ),
            (
                "original-tom",
                Relative {
                    share: 0.2,
                    floor: 20_000.0,
                },
            ),
        ],
        "the backlog follows the schedules and the S1SPs' throughput",
    ),
    a(
        "last_mhhs_completion_h",
        NeedsFullRun,
        "the last of millions of requests is an extreme, and a sample has fewer of them",
    ),
];

/// A closer sample, 1 in 100 meters of GB (30 slots where a CSP has 3,000, the DSP at 25 requests/s):
/// enough for the figures in [`AT_CLOSER_SAMPLE`], which a 1-in-2,000 preview cannot show.
pub const CLOSER_SAMPLE: f64 = 0.01;

/// Figures a preview cannot show but a [`CLOSER_SAMPLE`] run does, within this agreement with
/// the full run (README, "Previews against the full run": within 0.2 points on every preset;
/// `tests/preview_agreement.rs` holds every preset to it at the same slots a station).
pub const AT_CLOSER_SAMPLE: &[(&str, Agreement)] = &[("on_demand_trt_compliance", Absolute(0.01))];

/// The least sample of GB at which a run shows `figure` honestly: `preview` if a preview does,
/// the closer sample if that does, else `None` (only a full-scale run does).
pub fn sample_to_show(figure: &str, preview: f64) -> Option<f64> {
    if shows(figure) {
        Some(preview)
    } else {
        AT_CLOSER_SAMPLE
            .iter()
            .any(|(f, _)| *f == figure)
            .then_some(CLOSER_SAMPLE.max(preview))
    }
}

/// How a preview agrees with the full run on `figure` (`None` for a name that is not a key figure).
pub fn agreement(figure: &str) -> Option<&'static FigureAgreement> {
    PREVIEW_AGREEMENT.iter().find(|x| x.figure == figure)
}

/// True when a preview may show `figure` as a number.
pub fn shows(figure: &str) -> bool {
    agreement(figure).is_some_and(|x| x.agreement != NeedsFullRun)
}

/// Every key figure of a headline by name, in the order of [`PREVIEW_AGREEMENT`].
pub fn named_figures(h: &Headline) -> Vec<(&'static str, f64)> {
    let k = &h.key_figures;
    vec![
        ("requests_submitted", h.requests_submitted as f64),
        ("peak_requests_per_second", h.peak_requests_per_second),
        ("mhhs_delivered_by_needed_by", k.mhhs_delivered_by_needed_by),
        ("mhhs_delivered_by_end_of_d1", k.mhhs_delivered_by_end_of_d1),
        (
            "mhhs_requests_in_working_hours",
            k.mhhs_requests_in_working_hours as f64,
        ),
        ("daytime_wait_mean_s", k.daytime_wait_mean_s),
        ("daytime_wait_p95_s", k.daytime_wait_p95_s),
        ("on_demand_trt_compliance", k.on_demand_trt_compliance),
        ("scheduled_trt_compliance", k.scheduled_trt_compliance),
        ("device_hits", k.device_hits as f64),
        ("cache_hits", k.cache_hits as f64),
        ("peak_dsp_backlog", k.peak_dsp_backlog as f64),
        ("peak_s1sp_backlog", k.peak_s1sp_backlog as f64),
        ("last_mhhs_completion_h", k.last_mhhs_completion_h),
    ]
}

/// Whether `preview` agrees with `full` within `agreement` (always true for a figure a preview
/// does not show). `scale` is the run's population against GB's (1 for GB): a count's floor is
/// in GB's requests, so a smaller population's is smaller.
pub fn within(agreement: Agreement, full: f64, preview: f64, scale: f64) -> bool {
    let gap = (full - preview).abs();
    match agreement {
        Absolute(tol) => gap <= tol,
        Relative { share, floor } => gap <= (share * full.abs()).max(floor * scale),
        NeedsFullRun => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_figure_has_an_agreement_in_order() {
        let h = crate::run(
            &crate::test_support::small(),
            crate::RunOptions {
                sample: 1.0,
                series: false,
                ..Default::default()
            },
        )
        .headline();
        let names: Vec<&str> = named_figures(&h).iter().map(|x| x.0).collect();
        let listed: Vec<&str> = PREVIEW_AGREEMENT.iter().map(|x| x.figure).collect();
        assert_eq!(names, listed);
        // Every field of the key figures is named (the optional D+1 figure aside).
        let fields = serde_json::to_value(&h.key_figures).unwrap();
        for (name, _) in fields.as_object().unwrap() {
            assert!(
                name == "next_night_delivered_by_needed_by" || names.contains(&name.as_str()),
                "{name} has no preview agreement"
            );
        }
        assert!(shows("peak_requests_per_second") && !shows("last_mhhs_completion_h"));
        assert!(!shows("no_such_figure"));
    }
}
