//! Sizing work in pieces a browser's Web Workers can each do alone: one policy's sizing search,
//! one policy's line of a frontier, one share of a tornado, or one preview run. A piece is a
//! plain, serialisable [`Task`]; its [`TaskResult`] goes back to the page, which only puts the
//! pieces together. The search and planning code then lives in the workers, not in the page's
//! download, and the page's thread never runs the model for them.

use serde::{Deserialize, Serialize};

use super::search::{Search, SearchSpec};
use super::sweep::Sweep;
use super::targets::Target;
use super::tornado::{Bar, Bars, Tornado};
use super::{Job, mean_of, under_policy};
use crate::report::Report;
use crate::scenario::Scenario;

/// A target as a task carries it (a figure name, `>=` or `<=`, a value).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TargetSpec {
    pub figure: String,
    pub at_least: bool,
    pub value: f64,
}

impl TargetSpec {
    fn target(&self) -> Result<Target, String> {
        Target::parse(&format!(
            "{}{}{}",
            self.figure,
            if self.at_least { ">=" } else { "<=" },
            self.value
        ))
    }
}

/// One piece of sizing work.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Task {
    /// The least value of `field` that meets `target` under DCC policy `policy`.
    Size {
        base: Scenario,
        policy: usize,
        field: String,
        target: TargetSpec,
        sample: f64,
    },
    /// `figure` at each of `values` of `field`, under DCC policy `policy` (or `base`'s own).
    Line {
        base: Scenario,
        policy: Option<usize>,
        field: String,
        values: Vec<f64>,
        figure: String,
        sample: f64,
    },
    /// One run of `base` at `sample` (with the minute-by-minute series when `series`): a
    /// preview the page would otherwise run on its own thread (evidence, replications).
    Run {
        base: Scenario,
        sample: f64,
        series: bool,
    },
    /// Arms `part`, `part + parts`, ... of the tornado of `base` (and the base figure, in part 0),
    /// with the fields under `held` held as `base` has them.
    TornadoPart {
        base: Scenario,
        figure: String,
        sample: f64,
        part: usize,
        parts: usize,
        #[serde(default)]
        held: Vec<String>,
    },
}

/// What a piece of work found.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum TaskResult {
    Sized {
        policy: usize,
        /// The answer, or why there is none.
        answer: Result<f64, String>,
        /// The least and greatest values the field may take.
        bounds: (f64, f64),
        runs: usize,
        /// The scenario at the answer (under the policy), for a full-scale check.
        at_answer: Option<Scenario>,
    },
    Line {
        policy: Option<usize>,
        /// The values run (whole-number fields rounded) and the figure at each.
        values: Vec<f64>,
        figures: Vec<f64>,
    },
    TornadoPart {
        /// The figure as the scenario has every assumption (part 0 only).
        base: Option<f64>,
        /// (arm index, bar) for each arm of this part.
        bars: Vec<(usize, Bar)>,
        runs: usize,
    },
    /// The report of a [`Task::Run`].
    Ran(Box<Report>),
    Failed(String),
}

impl TaskResult {
    /// The report a [`Task::Run`] made; `None` for anything else (a failure included).
    pub fn into_report(self) -> Option<Report> {
        match self {
            TaskResult::Ran(report) => Some(*report),
            _ => None,
        }
    }
}

impl Task {
    /// The run of a [`Task::Run`], made here without the sizing code the other tasks need: the
    /// page's own fallback where workers cannot start. `None` for any other task.
    pub fn run_preview(&self) -> Option<Report> {
        let Task::Run {
            base,
            sample,
            series,
        } = self
        else {
            return None;
        };
        Some(crate::simulation::run(
            base,
            crate::simulation::RunOptions {
                sample: *sample,
                series: *series,
                threads: 1,
            },
        ))
    }

    /// Does the work here (a worker, a test or the command line), one run after another.
    pub fn run(&self) -> TaskResult {
        match self.try_run() {
            Ok(r) => r,
            Err(e) => TaskResult::Failed(e),
        }
    }

    fn try_run(&self) -> Result<TaskResult, String> {
        let (Task::Size { base, sample, .. }
        | Task::Line { base, sample, .. }
        | Task::Run { base, sample, .. }
        | Task::TornadoPart { base, sample, .. }) = self;
        if let Some(p) = base.validate().first() {
            return Err(format!(
                "the scenario cannot run: {}: {}",
                p.field, p.message
            ));
        }
        if !(*sample > 0.0 && *sample <= 1.0) {
            return Err(format!(
                "the sample must be above 0 and at most 1 (got {sample})"
            ));
        }
        match self {
            Task::Size {
                base,
                policy,
                field,
                target,
                sample,
            } => {
                let spec = SearchSpec {
                    targets: vec![target.target()?],
                    seeds: 1,
                    sample: *sample,
                    confirm: false,
                    width: 1,
                };
                let under = under_policy(base, *policy);
                let mut search = Search::new(&under, field, spec)?;
                let bounds = search.bounds();
                while search.outcome().is_none() {
                    let headlines: Vec<_> = search.jobs().iter().map(Job::run).collect();
                    search.record(&headlines);
                }
                let answer = match search.outcome() {
                    Some(Ok(a)) => Ok(a.value),
                    Some(Err(e)) => Err(e.clone()),
                    None => Err("the search did not finish".into()),
                };
                let at_answer = answer.as_ref().ok().and_then(|&x| {
                    super::levers::Lever::new(&under, field)
                        .ok()?
                        .at(&under, x)
                        .ok()
                });
                Ok(TaskResult::Sized {
                    policy: *policy,
                    answer,
                    bounds,
                    runs: search.runs_made(),
                    at_answer,
                })
            }
            Task::Line {
                base,
                policy,
                field,
                values,
                figure,
                sample,
            } => {
                let s = policy.map_or_else(|| base.clone(), |p| under_policy(base, p));
                let plan = Sweep::plan(&s, field, values, 1, *sample).map_err(|e| {
                    e.first()
                        .map_or(String::new(), |p| format!("{}: {}", p.field, p.message))
                })?;
                let headlines: Vec<_> = plan.jobs.iter().map(Job::run).collect();
                let figures = plan
                    .rows(&s, &headlines)
                    .iter()
                    .map(|r| mean_of(&r.figures, figure))
                    .collect();
                Ok(TaskResult::Line {
                    policy: *policy,
                    values: plan.values.clone(),
                    figures,
                })
            }
            Task::Run { .. } => Ok(TaskResult::Ran(Box::new(
                self.run_preview().expect("a preview run"),
            ))),
            Task::TornadoPart {
                base,
                figure,
                sample,
                part,
                parts,
                held,
            } => {
                let plan = Tornado::plan_holding(base, *sample, 1, held);
                let parts = (*parts).max(1);
                // Job 0 is the base (every part runs it: it keeps the parts alike); arm i's runs
                // are jobs 1 + 2i and 2 + 2i.
                let mine: Vec<usize> = (0..plan.arms.len())
                    .filter(|i| i % parts == *part)
                    .collect();
                let mut jobs = vec![plan.jobs[0].clone()];
                for &i in &mine {
                    jobs.push(plan.jobs[1 + 2 * i].clone());
                    jobs.push(plan.jobs[2 + 2 * i].clone());
                }
                let subset = Tornado {
                    arms: mine.iter().map(|&i| plan.arms[i].clone()).collect(),
                    jobs: Vec::new(),
                    ..plan.clone()
                };
                let headlines: Vec<_> = jobs.iter().map(Job::run).collect();
                let bars = subset.bars(figure, &headlines);
                let index = |b: &Bar| {
                    mine.iter()
                        .copied()
                        .find(|&i| plan.arms[i].lever.path == b.lever)
                        .unwrap_or(0)
                };
                Ok(TaskResult::TornadoPart {
                    base: (*part == 0).then_some(bars.base),
                    bars: bars.bars.iter().map(|b| (index(b), b.clone())).collect(),
                    runs: jobs.len(),
                })
            }
        }
    }
}

/// Splits a tornado of `base` into `parts` tasks.
pub fn tornado_tasks(base: &Scenario, figure: &str, sample: f64, parts: usize) -> Vec<Task> {
    tornado_tasks_holding(base, figure, sample, parts, &[])
}

/// As [`tornado_tasks`], holding the fields under each of `held` (see [`Tornado::plan_holding`]).
pub fn tornado_tasks_holding(
    base: &Scenario,
    figure: &str,
    sample: f64,
    parts: usize,
    held: &[&str],
) -> Vec<Task> {
    (0..parts.max(1))
        .map(|part| Task::TornadoPart {
            base: base.clone(),
            figure: figure.to_string(),
            sample,
            part,
            parts: parts.max(1),
            held: held.iter().map(|h| h.to_string()).collect(),
        })
        .collect()
}

/// The tornado of `figure` put together from its parts' results (in any order), widest swing
/// first, with the runs made; a part that failed fails the whole.
pub fn assemble_tornado(
    figure: &str,
    sample: f64,
    results: &[TaskResult],
) -> Result<(Bars, usize), String> {
    let mut bars = Bars {
        figure: figure.to_string(),
        base: f64::NAN,
        sample,
        seeds: 1,
        bars: Vec::new(),
        skipped: Vec::new(),
    };
    let mut runs_made = 0;
    for r in results {
        match r {
            TaskResult::TornadoPart {
                base,
                bars: part,
                runs,
            } => {
                if let Some(b) = base {
                    bars.base = *b;
                }
                bars.bars.extend(part.iter().map(|(_, b)| b.clone()));
                runs_made += runs;
            }
            TaskResult::Failed(e) => return Err(e.clone()),
            _ => return Err("a tornado part came back as something else".into()),
        }
    }
    bars.bars
        .sort_by(|a, b| b.swing.total_cmp(&a.swing).then(a.lever.cmp(&b.lever)));
    Ok((bars, runs_made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_task_gives_the_run_s_report_and_survives_the_trip_to_the_page() {
        let mut base = Scenario::default();
        base.population.meters = 50_000;
        let task = Task::Run {
            base: base.clone(),
            sample: 0.5,
            series: true,
        };
        // As the page sends it and the worker sends the result back: JSON both ways.
        let task: Task = serde_json::from_str(&serde_json::to_string(&task).unwrap()).unwrap();
        let result = task.run();
        let back: TaskResult =
            serde_json::from_str(&serde_json::to_string(&result).unwrap()).unwrap();
        let here = crate::simulation::run(
            &base,
            crate::simulation::RunOptions {
                sample: 0.5,
                series: true,
                ..Default::default()
            },
        );
        let report = back.into_report().expect("a run's report");
        assert_eq!(report.headline(), here.headline());
        assert_eq!(report.series, here.series);
        // A bad sample is a message, not a panic.
        let bad = Task::Run {
            base,
            sample: 0.0,
            series: false,
        };
        assert!(matches!(bad.run(), TaskResult::Failed(m) if m.contains("sample")));
    }

    #[test]
    fn a_tornado_in_parts_is_the_tornado_in_one() {
        let mut base = Scenario::default();
        base.population.meters = 100_000;
        let figure = "mhhs_delivered_by_needed_by";
        let whole = {
            let plan = Tornado::plan(&base, 0.05, 1);
            let hs: Vec<_> = plan.jobs.iter().map(Job::run).collect();
            plan.bars(figure, &hs)
        };
        let results: Vec<_> = tornado_tasks(&base, figure, 0.05, 3)
            .iter()
            .map(Task::run)
            .collect();
        let (parts, runs) = assemble_tornado(figure, 0.05, &results).unwrap();
        assert_eq!(parts.base, whole.base);
        assert_eq!(
            runs,
            3 + 2 * whole.bars.len(),
            "each part runs the base once"
        );
        assert_eq!(parts.bars, whole.bars, "the same bars in the same order");
        assert!(assemble_tornado(figure, 0.05, &[TaskResult::Failed("no".into())]).is_err());
    }

    #[test]
    fn a_size_task_answers_or_says_why_not() {
        // A three-hundredth of GB: its meters and every capacity.
        let mut base = Scenario::default();
        base.population.meters = 100_000;
        let base = super::super::levers::Lever::new(&base, "routes")
            .unwrap()
            .at(&base, 1.0 / 300.0)
            .unwrap();
        let task = Task::Size {
            base: base.clone(),
            policy: 0,
            field: "routes".into(),
            target: TargetSpec {
                figure: "mhhs_delivered_by_needed_by".into(),
                at_least: true,
                value: 0.6,
            },
            sample: 0.05,
        };
        match task.run() {
            TaskResult::Sized { answer: Ok(x), .. } => assert!(x > 1.0, "{x}"),
            other => panic!("{other:?}"),
        }
        let task = Task::Size {
            base,
            policy: 0,
            field: "routes.nope".into(),
            target: TargetSpec {
                figure: "mhhs_delivered_by_needed_by".into(),
                at_least: true,
                value: 0.6,
            },
            sample: 0.05,
        };
        match task.run() {
            TaskResult::Failed(e) => assert!(e.contains("routes.nope"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}
