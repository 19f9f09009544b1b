//! Consolidation, for the code administrator: many response files become tallies of positions by
//! respondent role, the rationales (each respondent's publication consent honoured), and the
//! respondents' combined portfolios as one scenario for the traffic model.
//!
//! Consent: "publish" shows the organisation; "anonymous" shows "Respondent N"; "confidential"
//! text is shown to the administrator, marked, and never written into a publication-safe export.

use std::collections::BTreeMap;

use super::portfolio;
use super::questions::{ABOUT_YOU, Consultation, Kind, Question, Section};
use super::response::{Response, parse_count, parse_hour};
use crate::model::Scenario;
use crate::model::scenario::Window;

/// The roles tallies are split by, as in the "About you" question.
pub const ROLES_QUESTION: &str = "roles";

/// The roles tallies are split by: (role id, label), as the "About you" question offers them.
pub fn role_columns(c: &Consultation) -> Vec<(String, String)> {
    c.question(ROLES_QUESTION)
        .map(|(_, q)| {
            q.options
                .iter()
                .map(|o| (o.value.clone(), o.label.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a version's tables may show a question: contact details are for SECAS, never for a
/// published table, so a publication-safe version keeps only the roles from "About you".
pub fn shows_question(s: &Section, q: &Question, publication: bool) -> bool {
    !(publication && s.id == ABOUT_YOU && q.id != ROLES_QUESTION)
}

/// A respondent as the consolidation shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Respondent {
    pub file: String,
    /// The name to show: the organisation, or "Respondent N" for an anonymous one.
    pub name: String,
    pub consent: Consent,
    pub roles: Vec<String>,
    pub response: Response,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    Publish,
    Anonymous,
    Confidential,
}

impl Consent {
    fn from_answer(v: &str) -> Consent {
        match v {
            "publish" => Consent::Publish,
            "anonymous" => Consent::Anonymous,
            // Unanswered consent is treated as the most protective choice.
            _ => Consent::Confidential,
        }
    }
}

/// A file that was not loaded, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Consolidation {
    pub respondents: Vec<Respondent>,
    pub skipped: Vec<Skipped>,
}

/// Counts of one option: overall and by role.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
    pub option: String,
    pub label: String,
    pub all: usize,
    pub by_role: BTreeMap<String, usize>,
}

/// One respondent's reasons on one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Rationale {
    pub respondent: String,
    pub consent: Consent,
    pub position: String,
    pub text: String,
}

/// One file read and checked on its own: its response, or why it is skipped.
pub fn read(name: String, text: &str, c: &Consultation) -> Result<(String, Response), Skipped> {
    match Response::from_json(text, c) {
        Ok(r) => Ok((name, r)),
        Err(problems) => Err(Skipped {
            file: name,
            reason: problems.join(" "),
        }),
    }
}

impl Consolidation {
    /// Reads every file; each is checked on its own. Bad files and older copies of the same
    /// response are skipped with the reason; the rest load.
    pub fn load(files: Vec<(String, String)>, c: &Consultation) -> Consolidation {
        Consolidation::of_read(
            files
                .into_iter()
                .map(|(name, text)| read(name, &text, c))
                .collect(),
        )
    }

    /// As [`Consolidation::load`], from files already [`read`] (a page reads each as it
    /// arrives, so no one task reads them all).
    pub fn of_read(files: Vec<Result<(String, Response), Skipped>>) -> Consolidation {
        let mut out = Consolidation::default();
        let mut good: Vec<(String, Response)> = Vec::new();
        for file in files {
            match file {
                Ok(named) => good.push(named),
                Err(skipped) => out.skipped.push(skipped),
            }
        }
        // The same response twice (same organisation and start time): keep the latest update.
        let key = |r: &Response| {
            (
                r.value("organisation").trim().to_lowercase(),
                r.started.clone(),
            )
        };
        let mut kept: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, (_, r)) in good.iter().enumerate() {
            match kept.get(&key(r)) {
                Some(&j) if good[j].1.updated >= r.updated => {}
                _ => {
                    kept.insert(key(r), i);
                }
            }
        }
        let mut anonymous = 0;
        for (i, (name, r)) in good.into_iter().enumerate() {
            let k = key(&r);
            let winner = kept.get(&k).copied();
            if winner != Some(i) {
                out.skipped.push(Skipped { file: name, reason: "Duplicate: another file holds the same response (same organisation and start time), updated later or equally; that one is used.".into() });
                continue;
            }
            let consent = Consent::from_answer(r.value("publication"));
            let org = r.value("organisation").trim().to_string();
            let display = match consent {
                Consent::Anonymous => {
                    anonymous += 1;
                    format!("Respondent {anonymous} (anonymous)")
                }
                _ if org.is_empty() => "Unnamed organisation".into(),
                _ => org,
            };
            let roles = r
                .answer(ROLES_QUESTION)
                .map(|a| a.values.clone())
                .unwrap_or_default();
            out.respondents.push(Respondent {
                file: name,
                name: display,
                consent,
                roles,
                response: r,
            });
        }
        out
    }

    /// The respondents a version shows: a publication-safe one leaves out confidential respondents.
    pub fn shown(&self, publication: bool) -> impl Iterator<Item = &Respondent> {
        self.respondents
            .iter()
            .filter(move |r| !(publication && r.consent == Consent::Confidential))
    }

    /// Tallies of a choice question's options, overall and by role (a respondent with two roles
    /// counts once overall and once in each role).
    pub fn tallies(&self, c: &Consultation, question: &str) -> Vec<Tally> {
        let Some((_, q)) = c.question(question) else {
            return Vec::new();
        };
        let roles: Vec<String> = role_columns(c).into_iter().map(|(id, _)| id).collect();
        q.options
            .iter()
            .map(|o| {
                let chose: Vec<&Respondent> = self
                    .respondents
                    .iter()
                    .filter(|r| {
                        r.response.answer(&q.id).is_some_and(|a| {
                            if q.kind == Kind::Multi {
                                a.values.contains(&o.value)
                            } else {
                                a.value == o.value
                            }
                        })
                    })
                    .collect();
                Tally {
                    option: o.value.clone(),
                    label: o.label.clone(),
                    all: chose.len(),
                    by_role: roles
                        .iter()
                        .map(|role| {
                            (
                                role.clone(),
                                chose.iter().filter(|r| r.roles.contains(role)).count(),
                            )
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Respondents who did not answer a question.
    pub fn unanswered(&self, question: &str) -> usize {
        self.respondents
            .iter()
            .filter(|r| r.response.answer(question).is_none_or(|a| a.is_empty()))
            .count()
    }

    /// Reasons and free-text answers given on a question; `publication` leaves confidential ones out.
    pub fn rationales(
        &self,
        c: &Consultation,
        question: &str,
        publication: bool,
    ) -> Vec<Rationale> {
        let Some((_, q)) = c.question(question) else {
            return Vec::new();
        };
        self.shown(publication)
            .filter_map(|r| {
                let a = r.response.answer(question)?;
                let text = match q.kind {
                    Kind::Text | Kind::Textarea => a.value.trim().to_string(),
                    _ => a.rationale.trim().to_string(),
                };
                (!text.is_empty()).then(|| Rationale {
                    respondent: r.name.clone(),
                    consent: r.consent,
                    position: if matches!(q.kind, Kind::Choice | Kind::Position) {
                        q.option_label(&a.value).to_string()
                    } else {
                        String::new()
                    },
                    text,
                })
            })
            .collect()
    }

    /// Meters by route summed over the respondents who gave a portfolio.
    pub fn meters(&self) -> [u64; 6] {
        let mut sum = [0u64; 6];
        for r in &self.respondents {
            if let Some(m) = portfolio::meters(&r.response) {
                for i in 0..6 {
                    sum[i] += m[i];
                }
            }
        }
        sum
    }

    /// MHHS requests a day the respondents expect, summed.
    pub fn expected_requests_per_day(&self) -> u64 {
        self.respondents
            .iter()
            .filter_map(|r| parse_count(r.response.value("mhhs_requests_per_day")))
            .sum()
    }

    /// The respondents' portfolios and schedules as one scenario on the GB DCC: their meters by
    /// route, export, agents' share, the widest of their windows and the earliest needed-by time.
    /// `None` until some respondent gave a portfolio.
    pub fn combined_scenario(&self, base: &Scenario) -> Option<Scenario> {
        let m = self.meters();
        let total: u64 = m.iter().sum();
        if total == 0 {
            return None;
        }
        let mut s = base.clone();
        s.name = "Respondents combined".into();
        s.population.meters = total.min(crate::model::scenario::MAX_METERS);
        portfolio::shape_population(&mut s, m);
        let export: u64 = self
            .respondents
            .iter()
            .filter_map(|r| parse_count(r.response.value("export_meters")))
            .sum();
        s.population.export_share = (export as f64 / total as f64).min(1.0);
        let agent_meters: u64 = self
            .respondents
            .iter()
            .filter(|r| {
                r.roles.iter().any(|x| x == "independent-mdr")
                    && !r.roles.iter().any(|x| x == "supplier-own-data")
            })
            .filter_map(|r| portfolio::meters(&r.response).map(|m| m.iter().sum::<u64>()))
            .sum();
        s.users.agent_share = agent_meters as f64 / total as f64;
        let windows = |agents: bool| -> Option<Window> {
            let spans: Vec<(f64, f64)> = self
                .respondents
                .iter()
                .filter(|r| r.roles.iter().any(|x| x == "independent-mdr") == agents)
                .filter_map(|r| {
                    Some((
                        parse_hour(r.response.value("schedule_start"))?,
                        parse_hour(r.response.value("schedule_end"))?,
                    ))
                })
                .filter(|(a, b)| b > a)
                .collect();
            let start = spans.iter().map(|w| w.0).fold(f64::INFINITY, f64::min);
            let end = spans.iter().map(|w| w.1).fold(f64::NEG_INFINITY, f64::max);
            (!spans.is_empty()).then(|| Window::new(start, end))
        };
        if let Some(w) = windows(false) {
            s.schedules.supplier_window = w;
        }
        if let Some(w) = windows(true) {
            s.schedules.agent_window = w;
        }
        if let Some(h) = self
            .respondents
            .iter()
            .filter_map(|r| parse_hour(r.response.value("needed_by")))
            .reduce(f64::min)
        {
            s.report.needed_by_h = h;
        }
        let reused: Vec<bool> = self
            .respondents
            .iter()
            .filter_map(|r| match r.response.value("data_reused") {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            })
            .collect();
        if !reused.is_empty() {
            s.users.agent_passes_data_on =
                reused.iter().filter(|x| **x).count() as f64 / reused.len() as f64;
        }
        s.validate().is_empty().then_some(s)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::consultation::response::Answer;
    use crate::consultation::response::tests::complete;

    /// `n` responses from different organisations, with consent cycling publish / anonymous / confidential.
    pub fn many(n: usize) -> (Consultation, Vec<(String, String)>) {
        let (c, base) = complete();
        let consents = ["publish", "anonymous", "confidential"];
        let files = (0..n)
            .map(|i| {
                let mut r = base.clone();
                r.started = format!("2026-11-{:02}T10:00:00Z", 1 + i % 28);
                let set = |r: &mut Response, q: &str, v: String| {
                    r.answers.insert(
                        q.into(),
                        Answer {
                            value: v,
                            ..Default::default()
                        },
                    );
                };
                set(&mut r, "organisation", format!("Org {i}"));
                set(&mut r, "publication", consents[i % 3].into());
                set(
                    &mut r,
                    "sr_4_2",
                    ["agree", "disagree", "neutral"][i % 3].into(),
                );
                r.answers.get_mut("sr_4_2").unwrap().rationale =
                    format!("SECRET-{i} reasons of org {i}");
                if i % 2 == 1 {
                    r.answers.insert(
                        "roles".into(),
                        Answer {
                            values: vec!["independent-mdr".into()],
                            ..Default::default()
                        },
                    );
                }
                (format!("r{i}.json"), r.to_json())
            })
            .collect();
        (c, files)
    }

    #[test]
    fn loads_good_files_and_skips_bad_and_duplicate_ones() {
        let (c, mut files) = many(6);
        files.push(("junk.json".into(), "not json".into()));
        files.push(("copy-of-r0.json".into(), files[0].1.clone()));
        let mut newer: Response = serde_json::from_str(&files[1].1).unwrap();
        newer.updated = "2026-12-01T00:00:00Z".into();
        files.push(("r1-newer.json".into(), newer.to_json()));
        let con = Consolidation::load(files, &c);
        assert_eq!(con.respondents.len(), 6);
        let skipped: Vec<&str> = con.skipped.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(skipped, vec!["junk.json", "r1.json", "copy-of-r0.json"]);
        assert!(con.skipped[0].reason.contains("not JSON"));
        assert!(con.skipped[1].reason.starts_with("Duplicate"));
        assert!(
            con.respondents.iter().any(|r| r.file == "r1-newer.json"),
            "the later copy is used"
        );
    }

    #[test]
    fn tallies_split_by_role_and_consent_shapes_names_and_text() {
        let (c, files) = many(6);
        let con = Consolidation::load(files, &c);
        let t = con.tallies(&c, "sr_4_2");
        assert_eq!(t.iter().map(|x| x.all).collect::<Vec<_>>(), vec![2, 2, 2]);
        assert_eq!(
            t[0].by_role["supplier-own-data"] + t[0].by_role["independent-mdr"],
            2
        );
        assert_eq!(con.unanswered("sr_4_2"), 0);
        assert_eq!(con.respondents[1].name, "Respondent 1 (anonymous)");
        let all = con.rationales(&c, "sr_4_2", false);
        let public = con.rationales(&c, "sr_4_2", true);
        assert_eq!(all.len(), 6);
        assert_eq!(
            public.len(),
            4,
            "confidential reasons are left out of publication"
        );
        assert!(public.iter().all(|r| r.consent != Consent::Confidential));
        assert!(
            !public.iter().any(|r| r.respondent.contains("Org 1")),
            "anonymous respondents are not named"
        );
    }

    #[test]
    fn portfolios_combine_into_one_valid_scenario() {
        let (c, files) = many(4);
        let con = Consolidation::load(files, &c);
        let s = con.combined_scenario(&Scenario::default()).unwrap();
        assert_eq!(s.population.meters, 4 * 500_000);
        assert!((s.population.smets2_share - 0.8).abs() < 1e-9);
        assert!(
            (s.users.agent_share - 0.5).abs() < 1e-9,
            "two of four are independent agents"
        );
        assert_eq!(s.report.needed_by_h, 7.0);
        assert_eq!(con.expected_requests_per_day(), 4 * 500_000);
        assert!(
            Consolidation::default()
                .combined_scenario(&Scenario::default())
                .is_none()
        );
    }
}
