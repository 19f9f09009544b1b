//! The capacity a load would need, as a finding a file carries: the least factor on every route
//! capacity (the DSP's throughput, CSP and S1SP slots, S1SP rates) that delivers 90% of the load's
//! MHHS data by its own needed-by time, from a preview-scale sizing search, and, at that capacity,
//! the assumptions that move the share delivered most (a tornado), so a reader sees how sure the
//! answer is. Respond stores the portfolio's finding in the response file (with the load, seed
//! and sample, like the rest of the evidence); Consolidate puts the combined load's in every export.

use serde::{Deserialize, Serialize};

use crate::model::Scenario;
use crate::model::sizing::SEARCH_SAMPLE;
use crate::model::sizing::tasks::{TargetSpec, Task, tornado_tasks_holding};
use crate::model::sizing::tornado::{Bar, Bars};
use crate::present::format::{clock, in_sentence, number, percent, short_reason, thousands};
use crate::present::key_figures::KeyFigure;

/// The share of MHHS data the capacity must deliver by the needed-by time.
pub const DELIVERED_SHARE: f64 = 0.9;

/// The figure the capacity is sized for.
pub const FIGURE: &str = "mhhs_delivered_by_needed_by";

/// Meters a search simulates at least: a small load (a few respondents) runs at a larger share.
const METERS_SIMULATED: f64 = 15_000.0;

/// Assumptions a finding keeps from its tornado, widest swing first.
pub const TORNADO_KEPT: usize = 5;

/// The share of `s`'s meters a search runs at: GB's preview sample, or more for a small load.
pub fn sample_for(s: &Scenario) -> f64 {
    (METERS_SIMULATED / s.population.meters.max(1) as f64).clamp(SEARCH_SAMPLE, 1.0)
}

/// The sizing search for `s` (every route capacity together, as `s` has its DCC policy).
pub fn search_task(s: &Scenario) -> Task {
    Task::Size {
        base: s.clone(),
        policy: 0,
        field: "routes".into(),
        target: TargetSpec {
            figure: FIGURE.into(),
            at_least: true,
            value: DELIVERED_SHARE,
        },
        sample: sample_for(s),
    }
}

/// What a capacity tornado holds as the load has it: what the respondents' answers give (their
/// meters and their mix, export, agents, schedule windows and needed-by time) and the route
/// capacities, which are what was sized. The rest (device behaviour, failures, existing
/// traffic, DCC policy, TRTs …) are the assumptions in doubt.
pub const HELD: &[&str] = &[
    "population.meters",
    "population.smets2_share",
    "population.region_shares",
    "population.cohort_shares",
    "population.export_share",
    "users.agent_share",
    "users.agent_passes_data_on",
    "schedules.supplier_window",
    "schedules.agent_window",
    "report",
    "routes",
];

/// The tornado at the capacity found (`at_answer`: the load with every route capacity scaled).
pub fn tornado_parts(at_answer: &Scenario, parts: usize) -> Vec<Task> {
    tornado_tasks_holding(at_answer, FIGURE, sample_for(at_answer), parts, HELD)
}

/// A bar's plausible range in words: "1,500 to 6,000 requests/s", "1% to 5%".
pub fn range_text(b: &Bar) -> String {
    match b.unit.as_str() {
        "share" => format!("{} to {}", percent(b.low), percent(b.high)),
        "" => format!("{} to {}", number(b.low), number(b.high)),
        u => format!("{} to {} {u}", number(b.low), number(b.high)),
    }
}

/// What a search (and its tornado) found for a load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityFinding {
    /// The load searched: GB shaped like the portfolio, or the respondents' combined load.
    pub scenario: Scenario,
    pub seed: u64,
    pub sample: f64,
    pub delivered_share: f64,
    /// The factor on every route capacity; absent if no capacity delivers the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// Why no capacity does; absent if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_answer: Option<String>,
    /// At the capacity found, the assumptions that move the share delivered most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tornado: Option<Bars>,
}

impl CapacityFinding {
    /// The finding from a search's answer on `s`.
    pub fn new(s: &Scenario, answer: &Result<f64, String>) -> CapacityFinding {
        CapacityFinding {
            scenario: s.clone(),
            seed: s.seed,
            sample: sample_for(s),
            delivered_share: DELIVERED_SHARE,
            factor: answer.as_ref().ok().copied(),
            no_answer: answer.as_ref().err().cloned(),
            tornado: None,
        }
    }

    /// Keeps the tornado's widest `TORNADO_KEPT` bars.
    pub fn with_tornado(mut self, mut bars: Bars) -> CapacityFinding {
        bars.bars.truncate(TORNADO_KEPT);
        self.tornado = Some(bars);
        self
    }

    /// Whether this finding is of load `s` (a changed answer makes it stale).
    pub fn is_of(&self, s: &Scenario) -> bool {
        self.scenario == *s && self.sample == sample_for(s)
    }

    /// The finding in words ("To deliver 90% of your portfolio's MHHS data by 07:00, …").
    pub fn sentence(&self, whose: &str) -> String {
        let s = &self.scenario;
        let needed = clock(s.report.needed_by_h);
        let share = format!("{:.0}%", self.delivered_share * 100.0);
        match (self.factor, &self.no_answer) {
            (Some(x), _) => format!(
                "To deliver {share} of {whose} MHHS data by {needed}, every route capacity would need to be ×{x:.2} the DCC recommendation's: the DSP at {} requests/s, CSP in-flight slots {}, S1SP rates {} per second. A preview-scale search (1 in {} meters, seed {}); full-scale runs have moved such answers by up to 16%.",
                number(s.routes.dsp_per_s * x),
                s.routes
                    .csp_in_flight
                    .iter()
                    .map(|c| thousands(*c as f64 * x))
                    .collect::<Vec<_>>()
                    .join(" / "),
                s.routes
                    .s1sp_per_s
                    .iter()
                    .map(|c| number(c * x))
                    .collect::<Vec<_>>()
                    .join(" / "),
                thousands(1.0 / self.sample),
                self.seed,
            ),
            (None, why) => format!(
                "No route capacity delivers {share} of {whose} MHHS data by {needed}: {}.",
                short_reason(why.as_deref().unwrap_or("no value meets the target"))
            ),
        }
    }

    /// The tornado in a sentence: how far each of the top assumptions moves the share delivered
    /// at the capacity found, across its plausible range.
    pub fn tornado_sentence(&self) -> Option<String> {
        let t = self.tornado.as_ref()?;
        let key = KeyFigure::named(&t.figure)?;
        let needed = self.scenario.report.needed_by_h;
        let list = t
            .bars
            .iter()
            .map(|b| {
                format!(
                    "{} from {}: {} to {}",
                    in_sentence(&b.label),
                    range_text(b),
                    key.show_value(b.at_low),
                    key.show_value(b.at_high)
                )
            })
            .collect::<Vec<_>>();
        if list.is_empty() {
            return None;
        }
        Some(format!(
            "At that capacity {} is {}; the assumptions that move it most, each across its plausible range with the others as they are: {}.",
            key.short(needed),
            key.show_value(t.base),
            list.join("; ")
        ))
    }

    /// Problems with a finding read from a file.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .scenario
            .validate()
            .into_iter()
            .map(|e| format!("scenario field {} {}", e.field, e.message))
            .collect();
        if !(self.sample > 0.0 && self.sample <= 1.0) {
            out.push("has a sample share outside 0 to 1".into());
        }
        if !(self.delivered_share > 0.0 && self.delivered_share <= 1.0) {
            out.push("has a delivered share outside 0 to 1".into());
        }
        if self.factor.is_some_and(|x| !(x.is_finite() && x > 0.0)) {
            out.push("has a capacity factor that is not a positive number".into());
        }
        if self.factor.is_some() == self.no_answer.is_some() {
            out.push("must have either a capacity factor or a reason there is none".into());
        }
        if self
            .no_answer
            .as_ref()
            .is_some_and(|w| w.chars().count() > 500)
        {
            out.push("has too long a reason".into());
        }
        if let Some(t) = &self.tornado {
            if KeyFigure::named(&t.figure).is_none() || t.bars.len() > 50 {
                out.push("has a damaged tornado".into());
            }
            for b in &t.bars {
                if ![b.low, b.high, b.at_low, b.at_high, b.swing]
                    .iter()
                    .all(|x| x.is_finite())
                    || [&b.label, &b.field, &b.lever, &b.unit, &b.why]
                        .iter()
                        .any(|x| x.chars().count() > 500)
                {
                    out.push("has a damaged tornado bar".into());
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sizing::tasks::{TaskResult, assemble_tornado};

    #[test]
    fn the_sentence_gives_the_factor_and_each_capacity() {
        let s = Scenario::default();
        let said = CapacityFinding::new(&s, &Ok(2.0)).sentence("your portfolio's");
        assert!(said.starts_with("To deliver 90% of your portfolio's MHHS data by 07:00, every route capacity would need to be ×2.00 the DCC recommendation's: the DSP at 5,000 requests/s, CSP in-flight slots 12,000 / 18,000 / 18,000, S1SP rates 200 / 200 / 300 per second."), "{said}");
        let said = CapacityFinding::new(&s, &Err("routes: no value meets it".into()))
            .sentence("the respondents' combined");
        assert!(said.starts_with("No route capacity delivers 90% of the respondents' combined MHHS data by 07:00: no value meets the target"), "{said}");
    }

    #[test]
    fn a_small_load_is_sized_and_its_tornado_kept_and_checked() {
        // A three-hundredth of GB: its meters and every capacity, at half the DCC's capacity.
        let mut s = Scenario::default();
        s.population.meters = 100_000;
        let s = crate::model::sizing::levers::Lever::new(&s, "routes")
            .unwrap()
            .at(&s, 0.5 / 300.0)
            .unwrap();
        let TaskResult::Sized {
            answer, at_answer, ..
        } = search_task(&s).run()
        else {
            panic!("not sized")
        };
        let x = *answer.as_ref().expect("a capacity delivers 90%");
        assert!(x > 0.0, "{x}");
        let at = at_answer.expect("the scenario at the answer");
        let results: Vec<TaskResult> = tornado_parts(&at, 2).iter().map(Task::run).collect();
        let (bars, _) = assemble_tornado(FIGURE, sample_for(&at), &results).unwrap();
        assert!(bars.base >= DELIVERED_SHARE - 0.02, "{}", bars.base);
        for b in &bars.bars {
            assert!(
                !HELD.iter().any(|h| b.field.starts_with(h)),
                "{} is given by the load or sized, not in doubt",
                b.field
            );
        }
        let f = CapacityFinding::new(&s, &answer).with_tornado(bars);
        assert_eq!(f.tornado.as_ref().unwrap().bars.len(), TORNADO_KEPT);
        assert!(f.problems().is_empty(), "{:?}", f.problems());
        assert!(f.is_of(&s));
        let said = f.tornado_sentence().unwrap();
        assert!(
            said.starts_with("At that capacity MHHS data by 07:00 is"),
            "{said}"
        );
        // Through a file and back.
        let back: CapacityFinding =
            serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        let mut bad = f.clone();
        bad.factor = Some(f64::NAN);
        bad.no_answer = Some("x".into());
        assert_eq!(bad.problems().len(), 2, "{:?}", bad.problems());
    }
}
