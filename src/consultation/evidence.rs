//! The evidence beside each technical question: the traffic model run once per option of the
//! question, for GB as a whole and for a GB shaped like the respondent's portfolio. What the
//! respondent saw (the comparison, seed, scenarios and headline figures) is stored with the answer,
//! so the response carries its evidence.

use serde::{Deserialize, Serialize};

use crate::model::report::{Headline, MODEL_VERSION};
use crate::model::sizing::tasks::Task;
use crate::model::{Report, RunOptions, Scenario, run};

/// Share of meters simulated for evidence: the explorer's preview sample.
pub const EVIDENCE_SAMPLE: f64 = 0.0005;

/// One option of a question, as a change to a scenario.
pub struct Choice {
    pub label: &'static str,
    pub apply: fn(&mut Scenario),
}

/// A comparison of a question's options.
pub struct Comparison {
    pub id: &'static str,
    /// What the comparison shows, in a sentence.
    pub title: &'static str,
    pub choices: &'static [Choice],
    /// The explorer chart that shows the difference best (`load`, `delivery`, `hits`, ...).
    pub chart: &'static str,
    /// The key figure the options are judged by when checking that the better one stays better
    /// ([`super::robustness`]); one a preview shows honestly.
    pub figure: &'static str,
}

pub static COMPARISONS: &[Comparison] = &[
    Comparison {
        id: "srv-4-1-1",
        title: "SMETS2 validation reads: SRV 4.1.1 at midnight, or the daily read log",
        choices: &[
            Choice {
                label: "SRV 4.1.1 available for SMETS2",
                apply: |s| s.schedules.srv_4_1_1_for_smets2 = true,
            },
            Choice {
                label: "Not available: daily read log (SRV 4.6.1)",
                apply: |s| s.schedules.srv_4_1_1_for_smets2 = false,
            },
        ],
        chart: "load",
        figure: "mhhs_delivered_by_needed_by",
    },
    Comparison {
        id: "sr-4-2",
        title: "SMETS1 export reads: SR 4.2 scheduled by DCC, or on demand around midnight",
        choices: &[
            Choice {
                label: "SR 4.2 schedulable",
                apply: |s| s.schedules.sr_4_2_schedulable = true,
            },
            Choice {
                label: "SR 4.2 on demand at midnight",
                apply: |s| s.schedules.sr_4_2_schedulable = false,
            },
        ],
        chart: "load",
        figure: "mhhs_delivered_by_needed_by",
    },
    Comparison {
        id: "smoothing",
        title: "Scheduled requests released as requested, or smoothed by DCC within the TRT",
        choices: &[
            Choice {
                label: "As requested",
                apply: |s| s.policy.smoothing = false,
            },
            Choice {
                label: "Smoothed by DCC",
                apply: |s| s.policy.smoothing = true,
            },
        ],
        chart: "delivery",
        figure: "mhhs_delivered_by_needed_by",
    },
    Comparison {
        id: "mhhs-window",
        title: "MHHS requests in the users' windows, or flagged and moved to their own DCC window",
        choices: &[
            Choice {
                label: "No MHHS window",
                apply: |s| s.policy.mhhs_window_on = false,
            },
            Choice {
                label: "Flagged, in an MHHS window",
                apply: |s| {
                    s.policy.mhhs_window_on = true;
                    s.users.mhhs_flag_share = 1.0;
                },
            },
        ],
        chart: "load",
        figure: "mhhs_requests_in_working_hours",
    },
    Comparison {
        id: "cache",
        title: "SMETS1 reads with and without a cache at the S1SPs",
        choices: &[
            Choice {
                label: "No cache",
                apply: |s| s.cache.enabled = false,
            },
            Choice {
                label: "S1SP cache",
                apply: |s| s.cache.enabled = true,
            },
        ],
        chart: "hits",
        figure: "device_hits",
    },
    Comparison {
        id: "daily-vs-monthly",
        title: "Every meter daily (DCC recommendation) or a month of data from ~1M meters a day (original TOM)",
        choices: &[
            Choice {
                label: "Daily, every meter",
                apply: |s| s.collection.daily_share = 1.0,
            },
            Choice {
                label: "Monthly (original TOM)",
                apply: |s| s.collection.daily_share = 0.0,
            },
        ],
        chart: "load",
        figure: "mhhs_delivered_by_needed_by",
    },
    Comparison {
        id: "agents",
        title: "Suppliers collecting their own data, or independent MDR agents collecting some of it",
        choices: &[
            Choice {
                label: "Suppliers collect all",
                apply: |s| s.users.agent_share = 0.0,
            },
            Choice {
                label: "Agents collect 30%",
                apply: |s| s.users.agent_share = 0.3,
            },
            Choice {
                label: "Agents collect 60%",
                apply: |s| s.users.agent_share = 0.6,
            },
        ],
        chart: "delivery",
        figure: "mhhs_delivered_by_needed_by",
    },
];

pub fn comparison(id: &str) -> Option<&'static Comparison> {
    COMPARISONS.iter().find(|c| c.id == id)
}

/// The figures of one option.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionFigures {
    pub option: String,
    pub gb: Headline,
    pub portfolio: Option<Headline>,
}

/// What a respondent saw beside a question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub comparison: String,
    pub seed: u64,
    pub sample: f64,
    /// The GB scenario the options were applied to.
    pub gb_scenario: Scenario,
    /// GB shaped like the respondent's portfolio, if they gave one.
    pub portfolio_scenario: Option<Scenario>,
    pub options: Vec<OptionFigures>,
    /// Whether the better option stays better across the plausible ranges of the assumptions
    /// that matter most (absent from evidence saved before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness: Option<super::robustness::Robustness>,
}

impl Evidence {
    /// The model version that made these figures (1 for evidence saved before version 2).
    pub fn model_version(&self) -> u32 {
        self.options
            .iter()
            .map(|o| o.gb.model_version)
            .min()
            .unwrap_or(MODEL_VERSION)
    }

    /// What to say of figures an older model made, read as they were then.
    pub fn version_note(&self) -> Option<&'static str> {
        (self.model_version() < MODEL_VERSION).then_some(
            "These figures were made by model version 1, which counted every attempt as a request and restarted the TRT clock at each retry; they are shown as they were then.",
        )
    }

    /// Problems with evidence read from a file.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match comparison(&self.comparison) {
            None => out.push("names a comparison this app does not know".to_string()),
            Some(c) if c.choices.len() != self.options.len() => {
                out.push("has the wrong number of options".to_string())
            }
            Some(_) => {}
        }
        if !(self.sample > 0.0 && self.sample <= 1.0) {
            out.push("has a sample share outside 0 to 1".into());
        }
        for s in std::iter::once(&self.gb_scenario).chain(self.portfolio_scenario.as_ref()) {
            out.extend(
                s.validate()
                    .into_iter()
                    .map(|e| format!("scenario field {} {}", e.field, e.message)),
            );
        }
        if self.options.iter().any(|o| o.option.chars().count() > 200) {
            out.push("has an option name that is too long".into());
        }
        if let Some(r) = &self.robustness {
            out.extend(r.problems(self.options.len()));
        }
        out
    }
}

/// Runs one option on a scenario (with series for charts, or without for a headline only).
pub fn run_choice(base: &Scenario, choice: &Choice, series: bool) -> Report {
    run(
        &option_scenario(base, choice),
        RunOptions {
            sample: EVIDENCE_SAMPLE,
            series,
            ..Default::default()
        },
    )
}

/// [`run_choice`] as a task for a background worker: the same run, the same report.
pub fn choice_task(base: &Scenario, choice: &Choice, series: bool) -> Task {
    Task::Run {
        base: option_scenario(base, choice),
        sample: EVIDENCE_SAMPLE,
        series,
    }
}

/// The evidence record from the runs of every option, in the comparison's order.
pub fn assemble(
    c: &Comparison,
    gb: &Scenario,
    portfolio: Option<&Scenario>,
    gb_reports: &[Report],
    portfolio_headlines: &[Option<Headline>],
) -> Evidence {
    Evidence {
        comparison: c.id.into(),
        seed: gb.seed,
        sample: EVIDENCE_SAMPLE,
        gb_scenario: gb.clone(),
        portfolio_scenario: portfolio.cloned(),
        options: c
            .choices
            .iter()
            .zip(gb_reports)
            .enumerate()
            .map(|(i, (choice, r))| OptionFigures {
                option: choice.label.into(),
                gb: r.headline(),
                portfolio: portfolio_headlines.get(i).cloned().flatten(),
            })
            .collect(),
        robustness: None,
    }
}

/// Runs every option of a comparison on the GB scenario (and the portfolio's, if any). Returns
/// the evidence to store and the GB reports (with series) for the charts.
pub fn gather(
    c: &Comparison,
    gb: &Scenario,
    portfolio: Option<&Scenario>,
) -> (Evidence, Vec<Report>) {
    let reports: Vec<Report> = c
        .choices
        .iter()
        .map(|ch| run_choice(gb, ch, true))
        .collect();
    let headlines: Vec<Option<Headline>> = c
        .choices
        .iter()
        .map(|ch| portfolio.map(|p| run_choice(p, ch, false).headline()))
        .collect();
    (assemble(c, gb, portfolio, &reports, &headlines), reports)
}

/// The scenario of one option (for its chart).
pub fn option_scenario(base: &Scenario, choice: &Choice) -> Scenario {
    let mut s = base.clone();
    (choice.apply)(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparison_changes_the_scenario_and_its_figures() {
        let mut gb = Scenario::default();
        gb.population.meters = 4_000_000;
        for c in COMPARISONS {
            let scenarios: Vec<Scenario> = c
                .choices
                .iter()
                .map(|ch| option_scenario(&gb, ch))
                .collect();
            for s in &scenarios {
                assert!(s.validate().is_empty(), "{}", c.id);
            }
            assert!(
                scenarios.windows(2).all(|w| w[0] != w[1]),
                "{}: options must differ",
                c.id
            );
        }
        let (e, reports) = gather(comparison("sr-4-2").unwrap(), &gb, Some(&gb));
        assert_eq!(reports.len(), 2);
        assert!(e.problems().is_empty());
        let on_demand = |o: &OptionFigures| o.gb.key_figures.on_demand_trt_compliance;
        assert!(
            on_demand(&e.options[1]) < on_demand(&e.options[0]),
            "SR 4.2 on demand at midnight hurts on-demand compliance: {} vs {}",
            on_demand(&e.options[1]),
            on_demand(&e.options[0])
        );
        assert!(e.options[0].portfolio.is_some());
        assert_eq!(e.model_version(), MODEL_VERSION);
        assert_eq!(e.version_note(), None);
        // Evidence saved before model version 2 has no version in its figures: it reads as
        // version 1, shown as it was, with a note saying so.
        let mut old = serde_json::to_value(&e).unwrap();
        for o in old["options"].as_array_mut().unwrap() {
            o["gb"].as_object_mut().unwrap().remove("model_version");
            o["gb"].as_object_mut().unwrap().remove("sample");
        }
        let old: Evidence = serde_json::from_value(old).unwrap();
        assert_eq!(old.model_version(), 1);
        assert!(old.version_note().unwrap().contains("model version 1"));
        assert_eq!(old.options[0].gb.sample, 1.0, "figures shown as they were");
    }
}

/// What each option changes against the first, in GB, one sentence per option with the figures
/// that moved most first (Compare's phrasing; figures a preview cannot show honestly left out).
pub fn differences_in_words(e: &Evidence) -> String {
    let Some((first, rest)) = e.options.split_first() else {
        return String::new();
    };
    let needed = e.gb_scenario.report.needed_by_h;
    rest.iter()
        .map(|o| {
            crate::present::key_figures::what_changes(
                &first.option,
                &first.gb,
                &o.option,
                &o.gb,
                needed,
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}
