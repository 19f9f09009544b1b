//! Does the better option stay better? Each technical question's options run again at the low
//! and the high end of the plausible range of the assumptions that matter most, one at a time:
//! the route capacities no public source gives (the DSP's throughput, CSP in-flight slots, S1SP
//! rates), always, and the [`RANKED`] others that a tornado of the question's figure on the GB
//! scenario finds move it most (leaving out what the options themselves set). The evidence then
//! says in a sentence whether the option that does best on the question's figure does best at
//! every end ("SR 4.2 schedulable keeps MHHS data by 07:00 higher across …"), or which
//! assumption turns it.
//!
//! The runs are the model's [`Task`]s (tornado parts, then lines), so the page does them in its
//! background workers.

use serde::{Deserialize, Serialize};

use super::evidence::{Comparison, EVIDENCE_SAMPLE, option_scenario};
use crate::model::sizing::levers::{Lever, LeverKind};
use crate::model::sizing::tasks::{Task, TaskResult, tornado_tasks_holding};
use crate::model::sizing::tornado::Bars;
use crate::model::sources::range;
use crate::model::{Scenario, fields};
use crate::present::format::{in_sentence, number};
use crate::present::key_figures::KeyFigure;

/// The capacities no public source gives: every check runs at both ends of their ranges.
pub const CAPACITY_LEVERS: &[&str] = &[
    "routes.dsp_per_s",
    "routes.csp_in_flight",
    "routes.s1sp_per_s",
];

/// The other assumptions checked: this many, those a tornado finds move the figure most.
pub const RANKED: usize = 3;

/// One assumption's check: the figure of every option at its low and high end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub field: String,
    pub label: String,
    /// The ends, as the range gives them (a factor for a group of capacities).
    pub low: f64,
    pub high: f64,
    pub factor: bool,
    /// The ends' unit ("share" for a share; absent from checks saved before it existed).
    #[serde(default)]
    pub unit: String,
    /// Per option, the figure at the low and at the high end.
    pub figures: Vec<[f64; 2]>,
}

/// Whether a question's better option stays better across the ranges.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Robustness {
    pub figure: String,
    pub higher_is_better: bool,
    pub sample: f64,
    pub checks: Vec<Check>,
    /// How many assumptions the tornado ranked to choose the checks beyond the capacities (0 in
    /// checks saved before the choice was made by tornado).
    #[serde(default)]
    pub ranked_from: usize,
}

/// What the ranking holds as GB has it: the capacities (checked anyway) and how the report reads
/// the day (the needed-by time defines the figure; it is not an assumption about the world).
const HELD_IN_RANKING: &[&str] = &[
    "routes.dsp_per_s",
    "routes.csp_in_flight",
    "routes.s1sp_per_s",
    "report",
];

/// The tornado of `figure` on the GB scenario that ranks the assumptions, in `parts` tasks.
pub fn ranking_tasks(figure: &str, gb: &Scenario, parts: usize) -> Vec<Task> {
    tornado_tasks_holding(gb, figure, EVIDENCE_SAMPLE, parts, HELD_IN_RANKING)
}

/// The scenario fields some option of `c` sets differently from `gb`.
pub fn set_by_options(c: &Comparison, gb: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = c
        .choices
        .iter()
        .flat_map(|choice| fields::differences(gb, &option_scenario(gb, choice)))
        .map(|(path, _)| path)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The fields to check `c` against: the capacities, then the [`RANKED`] that swing `ranking`
/// (a tornado of `c`'s figure) most, of those the options do not set.
pub fn levers(c: &Comparison, gb: &Scenario, ranking: &Bars) -> Vec<String> {
    let set = set_by_options(c, gb);
    // A range's field and a field an option sets overlap if either is within the other.
    let overlaps = |field: &str| {
        set.iter()
            .any(|p| fields::concerns(field, p) || fields::concerns(p, field))
    };
    let mut out: Vec<String> = CAPACITY_LEVERS.iter().map(|x| x.to_string()).collect();
    let ranked: Vec<String> = ranking
        .bars
        .iter()
        .filter(|b| b.swing > 0.0 && !overlaps(&b.field) && !out.contains(&b.field))
        .filter(|b| range(&b.field).is_some())
        .take(RANKED)
        .map(|b| b.field.clone())
        .collect();
    out.extend(ranked);
    out
}

/// The runs: for each option, for each of `levers`, its low and high end.
pub fn tasks(c: &Comparison, gb: &Scenario, levers: &[String]) -> Vec<Task> {
    c.choices
        .iter()
        .flat_map(|choice| {
            let base = option_scenario(gb, choice);
            levers.iter().filter_map(move |path| {
                let r = range(path)?;
                Some(Task::Line {
                    base: base.clone(),
                    policy: None,
                    field: r.lever.to_string(),
                    values: vec![r.low, r.high],
                    figure: c.figure.to_string(),
                    sample: EVIDENCE_SAMPLE,
                })
            })
        })
        .collect()
}

/// The check from the results of [`tasks`], in their order (`None` if any run failed);
/// `ranked_from`: how many assumptions the tornado that chose `levers` ranked.
pub fn assemble(
    c: &Comparison,
    gb: &Scenario,
    levers: &[String],
    ranked_from: usize,
    results: &[TaskResult],
) -> Option<Robustness> {
    let levers: Vec<&String> = levers.iter().filter(|p| range(p).is_some()).collect();
    if results.len() != levers.len() * c.choices.len() {
        return None;
    }
    let key = KeyFigure::named(c.figure)?;
    let mut checks: Vec<Check> = levers
        .iter()
        .filter_map(|path| {
            let r = range(path)?;
            let lever = Lever::new(gb, r.lever).ok()?;
            Some(Check {
                field: path.to_string(),
                label: r.label.to_string(),
                low: r.low,
                high: r.high,
                factor: matches!(lever.kind, LeverKind::Scale { .. }),
                unit: lever.unit().to_string(),
                figures: Vec::new(),
            })
        })
        .collect();
    if checks.len() != levers.len() {
        return None;
    }
    for (k, result) in results.iter().enumerate() {
        let TaskResult::Line { figures, .. } = result else {
            return None;
        };
        let check = checks.get_mut(k % levers.len())?;
        check.figures.push([*figures.first()?, *figures.get(1)?]);
    }
    Some(Robustness {
        figure: c.figure.to_string(),
        higher_is_better: key.higher_is_better,
        sample: EVIDENCE_SAMPLE,
        checks,
        ranked_from,
    })
}

impl Robustness {
    /// How the checks beyond the capacities were chosen, in words.
    pub fn chosen(&self) -> String {
        if self.ranked_from == 0 {
            "SMETS2 failures".into()
        } else {
            format!(
                "the {} of {} ranged assumptions that move it most in a tornado",
                self.checks.len().saturating_sub(CAPACITY_LEVERS.len()),
                self.ranked_from
            )
        }
    }

    /// Problems with a check read from a file, for `options` options.
    pub fn problems(&self, options: usize) -> Vec<String> {
        let mut out = Vec::new();
        if KeyFigure::named(&self.figure).is_none() {
            out.push("checks a figure this app does not know".to_string());
        }
        if self.checks.len() > 20 {
            out.push("has too many checks".into());
        }
        for c in &self.checks {
            if c.figures.len() != options
                || c.figures.iter().flatten().any(|x| !x.is_finite())
                || !(c.low.is_finite() && c.high.is_finite())
            {
                out.push(format!(
                    "has a damaged check of {}",
                    c.field.chars().take(60).collect::<String>()
                ));
            }
            if c.label.chars().count() > 100 || c.field.chars().count() > 100 {
                out.push("has a check with too long a name".into());
            }
        }
        out
    }

    /// The option that does best at end `end` (0 low, 1 high) of check `i`; `None` on a tie.
    fn best(&self, i: usize, end: usize) -> Option<usize> {
        let values: Vec<f64> = self.checks.get(i)?.figures.iter().map(|f| f[end]).collect();
        if values.is_empty() {
            return None;
        }
        let better = |a: f64, b: f64| if self.higher_is_better { a > b } else { a < b };
        let mut best = 0;
        for (k, &v) in values.iter().enumerate() {
            if better(v, values[best]) {
                best = k;
            }
        }
        let tie = values
            .iter()
            .enumerate()
            .any(|(k, &v)| k != best && (v - values[best]).abs() <= 1e-9 * (1.0 + v.abs()));
        (!tie).then_some(best)
    }

    /// An end of a check's range as said: "×2", "5%", "6,000 requests/s".
    fn end(check: &Check, x: f64) -> String {
        if check.factor {
            format!("×{}", number(x))
        } else if check.unit == "share" || check.field.contains("failure") {
            format!("{}%", number(x * 100.0))
        } else if check.unit.is_empty() {
            number(x)
        } else {
            format!("{} {}", number(x), check.unit)
        }
    }

    fn span(check: &Check) -> String {
        let plain = !check.factor && !(check.unit == "share" || check.field.contains("failure"));
        if plain && !check.unit.is_empty() {
            // The unit once: "1,500 to 6,000 requests/s".
            return format!(
                "{} to {} {}",
                number(check.low),
                number(check.high),
                check.unit
            );
        }
        let span = format!(
            "{} to {}",
            Self::end(check, check.low),
            Self::end(check, check.high)
        );
        if check.factor {
            format!("{span} today's")
        } else {
            span
        }
    }

    /// The finding in one sentence, naming the options by `labels`.
    pub fn sentence(&self, labels: &[&str], needed_by_h: f64) -> String {
        let name =
            KeyFigure::named(&self.figure).map_or(self.figure.clone(), |k| k.short(needed_by_h));
        let way = if self.higher_is_better {
            "higher"
        } else {
            "lower"
        };
        let ends: Vec<Option<usize>> = (0..self.checks.len())
            .flat_map(|i| [self.best(i, 0), self.best(i, 1)])
            .collect();
        let spans: Vec<String> = self
            .checks
            .iter()
            .map(|c| format!("{} ({})", in_sentence(&c.label), Self::span(c)))
            .collect();
        let listed = match spans.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => spans.join(""),
        };
        match ends.first().copied().flatten() {
            Some(b) if ends.iter().all(|e| *e == Some(b)) => format!(
                "{} keeps {name} {way} than the other option{} across the plausible range of {listed}.",
                labels.get(b).copied().unwrap_or("One option"),
                if labels.len() > 2 { "s" } else { "" }
            ),
            _ if ends.iter().all(Option::is_none) => {
                format!("The options give the same {name} across the plausible range of {listed}.")
            }
            _ => {
                // Name the first assumption whose ends disagree, or that differs from the rest.
                let turning = (0..self.checks.len())
                    .find(|&i| self.best(i, 0) != self.best(i, 1))
                    .unwrap_or(0);
                let Some(c) = self.checks.get(turning) else {
                    return String::new();
                };
                let at = |end: usize| match self.best(turning, end) {
                    Some(b) => format!(
                        "{} does better",
                        labels.get(b).copied().unwrap_or("one option")
                    ),
                    None => "the options tie".to_string(),
                };
                let (lo, hi) = (Self::end(c, c.low), Self::end(c, c.high));
                format!(
                    "Which option gives the {way} {name} depends on the assumptions: with {} at {lo}, {}; at {hi}, {}.",
                    in_sentence(&c.label),
                    at(0),
                    at(1)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::evidence::comparison;

    fn robustness(figures: Vec<Vec<[f64; 2]>>) -> Robustness {
        Robustness {
            figure: "mhhs_delivered_by_needed_by".into(),
            higher_is_better: true,
            sample: EVIDENCE_SAMPLE,
            checks: figures
                .into_iter()
                .zip(["DSP throughput", "CSP in-flight"])
                .map(|(figures, label)| Check {
                    field: if label.starts_with("DSP") {
                        "routes.dsp_per_s"
                    } else {
                        "routes.csp_in_flight"
                    }
                    .into(),
                    label: label.into(),
                    low: if label.starts_with("DSP") {
                        1500.0
                    } else {
                        0.5
                    },
                    high: if label.starts_with("DSP") {
                        6000.0
                    } else {
                        2.0
                    },
                    factor: !label.starts_with("DSP"),
                    unit: String::new(),
                    figures,
                })
                .collect(),
            ranked_from: 0,
        }
    }

    #[test]
    fn the_sentence_says_whether_the_better_option_stays_better() {
        let labels = ["SR 4.2 schedulable", "SR 4.2 on demand at midnight"];
        let stays = robustness(vec![
            vec![[0.3, 0.5], [0.2, 0.4]],
            vec![[0.3, 0.5], [0.25, 0.45]],
        ]);
        assert_eq!(
            stays.sentence(&labels, 7.0),
            "SR 4.2 schedulable keeps MHHS data by 07:00 higher than the other option across the plausible range of DSP throughput (1,500 to 6,000) and CSP in-flight (×0.5 to ×2 today's)."
        );
        let turns = robustness(vec![
            vec![[0.3, 0.5], [0.2, 0.6]],
            vec![[0.3, 0.5], [0.25, 0.45]],
        ]);
        assert_eq!(
            turns.sentence(&labels, 7.0),
            "Which option gives the higher MHHS data by 07:00 depends on the assumptions: with DSP throughput at 1,500, SR 4.2 schedulable does better; at 6,000, SR 4.2 on demand at midnight does better."
        );
        let same = robustness(vec![
            vec![[0.3, 0.5], [0.3, 0.5]],
            vec![[0.3, 0.5], [0.3, 0.5]],
        ]);
        assert!(
            same.sentence(&labels, 7.0)
                .starts_with("The options give the same")
        );
    }

    #[test]
    fn every_comparison_is_checked_at_both_ends_of_each_range() {
        // GB at the evidence's 1-in-2,000 sample, as the page runs it.
        let gb = Scenario::default();
        let c = comparison("sr-4-2").unwrap();
        // The tornado that ranks the assumptions, in two parts as two workers would run it.
        let parts: Vec<TaskResult> = ranking_tasks(c.figure, &gb, 2)
            .iter()
            .map(Task::run)
            .collect();
        let (ranking, _) =
            crate::model::sizing::tasks::assemble_tornado(c.figure, EVIDENCE_SAMPLE, &parts)
                .unwrap();
        assert!(
            ranking.bars.len() >= 40,
            "every ranged assumption but the capacities"
        );
        assert!(ranking.bars.iter().all(|b| !b.field.starts_with("report")));
        let levers = levers(c, &gb, &ranking);
        assert_eq!(levers.len(), CAPACITY_LEVERS.len() + RANKED, "{levers:?}");
        assert_eq!(&levers[..3], CAPACITY_LEVERS);
        let set = set_by_options(c, &gb);
        assert!(!set.is_empty(), "the options set something");
        for l in &levers[3..] {
            assert!(
                !set.iter().any(|p| p.starts_with(l.as_str())),
                "{l} is set by an option"
            );
            let bar = ranking.bars.iter().position(|b| &b.field == l).unwrap();
            assert!(
                bar < RANKED + set.len() + 3,
                "{l} is among the widest swings"
            );
        }
        let tasks = tasks(c, &gb, &levers);
        assert_eq!(tasks.len(), c.choices.len() * levers.len());
        let results: Vec<TaskResult> = tasks.iter().map(Task::run).collect();
        let r = assemble(c, &gb, &levers, ranking.bars.len(), &results).unwrap();
        assert_eq!(r.checks.len(), levers.len());
        assert!(r.checks.iter().all(|k| k.figures.len() == 2));
        assert!(r.problems(2).is_empty());
        // More DSP throughput delivers more, whichever the option.
        let dsp = &r.checks[0];
        assert!(dsp.figures.iter().all(|f| f[1] > f[0]), "{:?}", dsp.figures);
        assert!(!r.sentence(&["a", "b"], 7.0).is_empty());
        for c in crate::consultation::evidence::COMPARISONS {
            assert!(KeyFigure::named(c.figure).is_some(), "{}", c.id);
            assert!(
                crate::model::preview::shows(c.figure),
                "{}: a preview must show {}",
                c.id,
                c.figure
            );
        }
    }
}
