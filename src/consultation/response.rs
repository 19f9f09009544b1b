//! A response: the answers, which sections the respondent has marked complete, and the model
//! evidence each technical answer was given with. The same versioned JSON is the autosaved draft,
//! the "download draft" file and the exported response; [`Response::from_json`] reads any of them
//! back, refusing a bad file with messages and never half-loading it.
//!
//! Schema (`mp162-response`, version 1), every field always present:
//! - `schema`, `version`, `consultation` (id), `consultation_version`;
//! - `started`, `updated` (ISO 8601 times), `finished` (ISO time or null);
//! - `answers`: question id → `{ value, values, rationale }` (a one-value answer in `value`,
//!   checkboxes in `values`, a position's reasons in `rationale`);
//! - `completed_sections`: section ids the respondent said are complete;
//! - `evidence`: question id → the comparison shown, its seed, the scenarios and the key figures
//!   of each option for GB and for the respondent's portfolio ([`super::evidence::Evidence`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::capacity::CapacityFinding;
use super::evidence::Evidence;
use super::questions::{Consultation, Kind, Question, Section};

pub const RESPONSE_SCHEMA: &str = "mp162-response";
pub const RESPONSE_VERSION: u32 = 1;
/// Largest response file read; a full response with evidence is well under 200 kB.
pub const MAX_FILE_BYTES: usize = 2_000_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub rationale: String,
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        self.value.trim().is_empty() && self.values.is_empty() && self.rationale.trim().is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub schema: String,
    pub version: u32,
    pub consultation: String,
    pub consultation_version: u32,
    pub started: String,
    pub updated: String,
    pub finished: Option<String>,
    pub answers: BTreeMap<String, Answer>,
    pub completed_sections: BTreeSet<String>,
    pub evidence: BTreeMap<String, Evidence>,
    /// The capacity the respondent's portfolio would need (absent until worked out, and from
    /// responses saved before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityFinding>,
}

/// Where a section stands, as the task list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    InProgress,
    Completed,
    /// Marked complete, but an answer is missing or wrong (e.g. after opening an older draft).
    Problem,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not yet started",
            Status::InProgress => "In progress",
            Status::Completed => "Completed",
            Status::Problem => "There is a problem",
        }
    }
}

/// A problem with one answer: the question and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerProblem {
    pub question: String,
    pub message: String,
}

/// Parses `HH:MM` (00:00 to 23:59) into hours.
pub fn parse_hour(text: &str) -> Option<f64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && text.trim().len() <= 5).then(|| h as f64 + m as f64 / 60.0)
}

/// Parses a whole number, allowing thousands separators and spaces ("1,200,000").
pub fn parse_count(text: &str) -> Option<u64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ' && *c != '_')
        .collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        None
    } else {
        t.parse().ok()
    }
}

/// What is wrong with an answer to `q`, if anything. An empty answer is only wrong if required.
pub fn check_answer(q: &Question, a: Option<&Answer>) -> Option<String> {
    let empty = Answer::default();
    let a = a.unwrap_or(&empty);
    let value = a.value.trim();
    let what = |s: &str| format!("{s} for “{}”", q.label);
    let too_long = |t: &str| t.chars().count() > q.max_length();
    if too_long(&a.value) || too_long(&a.rationale) {
        return Some(format!(
            "Your answer to “{}” must be {} characters or fewer",
            q.label,
            q.max_length()
        ));
    }
    let is_option = |v: &str| q.options.iter().any(|o| o.value == v);
    match q.kind {
        Kind::Multi => {
            if a.values.is_empty() {
                return q.required.then(|| what("Select at least one option"));
            }
            if let Some(bad) = a.values.iter().find(|v| !is_option(v)) {
                return Some(format!("“{bad}” is not an option for “{}”", q.label));
            }
            None
        }
        _ if value.is_empty() => {
            if !q.required {
                None
            } else if matches!(q.kind, Kind::Choice | Kind::Position) {
                Some(what("Select an answer"))
            } else {
                Some(what("Enter an answer"))
            }
        }
        Kind::Choice | Kind::Position => {
            (!is_option(value)).then(|| format!("“{value}” is not an option for “{}”", q.label))
        }
        Kind::Count => match parse_count(value) {
            None => Some(what("Enter a whole number, like 250000,")),
            Some(n) if q.max.is_some_and(|m| n > m) => Some(format!(
                "“{}” must be {} or fewer",
                q.label,
                q.max.unwrap_or(0)
            )),
            Some(_) => None,
        },
        Kind::Hour => parse_hour(value)
            .is_none()
            .then(|| what("Enter a time on the 24-hour clock, like 06:30,")),
        Kind::Email => {
            let ok = value.split_once('@').is_some_and(|(u, d)| {
                !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            }) && !value.contains(char::is_whitespace);
            (!ok).then(|| {
                what("Enter an email address in the correct format, like name@example.com,")
            })
        }
        Kind::Text | Kind::Textarea => None,
    }
}

impl Response {
    pub fn new(c: &Consultation, now: &str) -> Response {
        Response {
            schema: RESPONSE_SCHEMA.into(),
            version: RESPONSE_VERSION,
            consultation: c.id.clone(),
            consultation_version: c.version,
            started: now.into(),
            updated: now.into(),
            finished: None,
            answers: BTreeMap::new(),
            completed_sections: BTreeSet::new(),
            evidence: BTreeMap::new(),
            capacity: None,
        }
    }

    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.get(id)
    }

    /// The one-value answer to a question ("" if none).
    pub fn value(&self, id: &str) -> &str {
        self.answers.get(id).map(|a| a.value.as_str()).unwrap_or("")
    }

    /// Problems with a section's answers, in question order (plus cross-question checks).
    pub fn section_problems(&self, s: &Section) -> Vec<AnswerProblem> {
        let mut out: Vec<AnswerProblem> = s
            .questions
            .iter()
            .filter_map(|q| {
                check_answer(q, self.answers.get(&q.id)).map(|m| AnswerProblem {
                    question: q.id.clone(),
                    message: m,
                })
            })
            .collect();
        if s.id == "portfolio" {
            if let (Some(a), Some(b)) = (
                parse_hour(self.value("schedule_start")),
                parse_hour(self.value("schedule_end")),
            ) {
                if b <= a && !out.iter().any(|p| p.question == "schedule_end") {
                    out.push(AnswerProblem { question: "schedule_end".into(), message: "The end of your schedule window must be after its start (use 23:59 at the latest)".into() });
                }
            }
            let counts: Vec<u64> = [
                "smets2_north",
                "smets2_central",
                "smets2_south",
                "smets1_ioc",
                "smets1_moc",
                "smets1_foc",
            ]
            .iter()
            .filter_map(|q| parse_count(self.value(q)))
            .collect();
            let total: u64 = counts.iter().sum();
            if let Some(export) = parse_count(self.value("export_meters")) {
                if counts.len() == 6
                    && export > total
                    && !out.iter().any(|p| p.question == "export_meters")
                {
                    out.push(AnswerProblem {
                        question: "export_meters".into(),
                        message: format!(
                            "Meters with export cannot be more than your {total} meters in all"
                        ),
                    });
                }
            }
        }
        out
    }

    pub fn status(&self, s: &Section) -> Status {
        let started = s
            .questions
            .iter()
            .any(|q| self.answers.get(&q.id).is_some_and(|a| !a.is_empty()));
        match (self.completed_sections.contains(&s.id), started) {
            (true, _) if self.section_problems(s).is_empty() => Status::Completed,
            (true, _) => Status::Problem,
            (false, true) => Status::InProgress,
            (false, false) => Status::NotStarted,
        }
    }

    /// Whether every section is complete, so the response can be checked and finished.
    pub fn ready_to_check(&self, c: &Consultation) -> bool {
        c.sections
            .iter()
            .all(|s| self.status(s) == Status::Completed)
    }

    /// Reads a draft or response file. Refuses, with every problem found, anything that is not a
    /// response to this consultation in this format, or whose answers do not fit its questions.
    pub fn from_json(text: &str, c: &Consultation) -> Result<Response, Vec<String>> {
        if text.len() > MAX_FILE_BYTES {
            return Err(vec![format!(
                "The file is {} kB; a response is at most {} kB. Choose the response file the app saved.",
                text.len() / 1000,
                MAX_FILE_BYTES / 1000
            )]);
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| {
            vec![
                "The file is not a response: it is not JSON. Choose the .json file the app saved."
                    .to_string(),
            ]
        })?;
        let schema = value.get("schema").and_then(|v| v.as_str()).unwrap_or("");
        if schema != RESPONSE_SCHEMA {
            return Err(vec![format!(
                "The file is not an MP162 response (its format is “{}”). Choose the .json file the app saved.",
                short(schema)
            )]);
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != RESPONSE_VERSION as u64 {
            return Err(vec![format!(
                "The file is response format version {version}; this app reads version {RESPONSE_VERSION}."
            )]);
        }
        let r: Response = serde_json::from_value(value).map_err(|e| {
            vec![format!(
                "The file does not fit the response format: {}",
                short(&e.to_string())
            )]
        })?;
        let mut problems = Vec::new();
        if r.consultation != c.id {
            problems.push(format!(
                "The file answers another consultation (“{}”), not “{}”.",
                short(&r.consultation),
                c.title
            ));
        }
        for (id, a) in &r.answers {
            match c.question(id) {
                None => problems.push(format!(
                    "The file answers a question this consultation does not ask (“{}”).",
                    short(id)
                )),
                Some((_, q)) => {
                    // Empty is fine in a draft; a wrong value is not.
                    if let Some(m) = check_answer(
                        &Question {
                            required: false,
                            ..q.clone()
                        },
                        Some(a),
                    ) {
                        problems.push(m);
                    }
                }
            }
        }
        for s in &r.completed_sections {
            if c.section(s).is_none() {
                problems.push(format!(
                    "The file marks a section this consultation does not have as complete (“{}”).",
                    short(s)
                ));
            }
        }
        for (id, e) in &r.evidence {
            if c.question(id).and_then(|(_, q)| q.evidence.as_ref()) != Some(&e.comparison) {
                problems.push(format!(
                    "The file holds evidence for “{}” that does not belong to that question.",
                    short(id)
                ));
            }
            problems.extend(
                e.problems()
                    .into_iter()
                    .map(|p| format!("Evidence for “{}”: {p}", short(id))),
            );
        }
        if let Some(f) = &r.capacity {
            problems.extend(
                f.problems()
                    .into_iter()
                    .map(|p| format!("The portfolio’s capacity finding: {p}.")),
            );
        }
        for t in [&r.started, &r.updated]
            .into_iter()
            .chain(r.finished.as_ref())
        {
            if t.chars().count() > 40 {
                problems.push("The file's dates are not dates.".into());
            }
        }
        if problems.is_empty() {
            Ok(r)
        } else {
            Err(problems)
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Untrusted text cut short for a message.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A complete, valid response to the shipped consultation.
    pub fn complete() -> (Consultation, Response) {
        let c = Consultation::current();
        let mut r = Response::new(&c, "2026-11-28T10:00:00Z");
        let set = |r: &mut Response, id: &str, v: &str| {
            r.answers.insert(
                id.into(),
                Answer {
                    value: v.into(),
                    ..Default::default()
                },
            );
        };
        set(
            &mut r,
            "organisation",
            "Example Energy, \"North\" <b>Ltd</b>",
        );
        r.answers.insert(
            "roles".into(),
            Answer {
                values: vec!["supplier-own-data".into()],
                ..Default::default()
            },
        );
        set(&mut r, "contact_name", "A. Person");
        set(&mut r, "contact_email", "a.person@example.com");
        set(&mut r, "publication", "publish");
        for (q, v) in [
            ("smets2_north", "100000"),
            ("smets2_central", "150,000"),
            ("smets2_south", "150000"),
            ("smets1_ioc", "20000"),
            ("smets1_moc", "30000"),
            ("smets1_foc", "50000"),
            ("export_meters", "40000"),
        ] {
            set(&mut r, q, v);
        }
        set(&mut r, "schedule_start", "00:30");
        set(&mut r, "schedule_end", "05:00");
        set(&mut r, "needed_by", "07:00");
        for (_, q) in c.questions() {
            if matches!(q.kind, Kind::Position | Kind::Choice) && !r.answers.contains_key(&q.id) {
                r.answers.insert(
                    q.id.clone(),
                    Answer {
                        value: q.options[0].value.clone(),
                        rationale: format!(
                            "Because of {}, = and \"quotes\"\nand a second line",
                            q.id
                        ),
                        ..Default::default()
                    },
                );
            }
        }
        set(&mut r, "mhhs_requests_per_day", "500000");
        set(&mut r, "mhhs_start", "00:30");
        for s in &c.sections {
            r.completed_sections.insert(s.id.clone());
        }
        (c, r)
    }

    /// Writes `tests/e2e/fixtures/response.json`: a complete response with the model's evidence for
    /// every technical question, which the end-to-end tests and the consolidation bench copy.
    /// Run `cargo test --lib write_response_fixture -- --ignored` after changing the format.
    #[test]
    #[ignore]
    fn write_response_fixture() {
        let (c, mut r) = complete();
        let gb = crate::model::presets::preset("dcc-recommendation").unwrap();
        let p = crate::consultation::portfolio::scenario(&r, &gb);
        for (_, q) in c.questions() {
            if let Some(e) = &q.evidence {
                let (e, _) = crate::consultation::evidence::gather(
                    crate::consultation::evidence::comparison(e).unwrap(),
                    &gb,
                    p.as_ref(),
                );
                r.evidence.insert(q.id.clone(), e);
            }
        }
        assert_eq!(Response::from_json(&r.to_json(), &c).unwrap(), r);
        std::fs::create_dir_all("tests/e2e/fixtures").unwrap();
        std::fs::write("tests/e2e/fixtures/response.json", r.to_json()).unwrap();
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let c = Consultation::current();
        let q = |id: &str| c.question(id).unwrap().1.clone();
        let a = |v: &str| Answer {
            value: v.into(),
            ..Default::default()
        };
        assert!(
            check_answer(&q("organisation"), None)
                .unwrap()
                .contains("Enter an answer")
        );
        assert!(
            check_answer(&q("contact_email"), Some(&a("not an email")))
                .unwrap()
                .contains("correct format")
        );
        assert_eq!(check_answer(&q("contact_email"), Some(&a("x@y.org"))), None);
        assert!(
            check_answer(&q("smets1_ioc"), Some(&a("lots")))
                .unwrap()
                .contains("whole number")
        );
        assert_eq!(check_answer(&q("smets1_ioc"), Some(&a("1,200,000"))), None);
        assert!(
            check_answer(&q("smets1_ioc"), Some(&a("99999999999")))
                .unwrap()
                .contains("or fewer")
        );
        assert!(
            check_answer(&q("needed_by"), Some(&a("25:00")))
                .unwrap()
                .contains("24-hour clock")
        );
        assert!(
            check_answer(&q("sr_4_2"), Some(&a("maybe")))
                .unwrap()
                .contains("not an option")
        );
        assert!(
            check_answer(&q("roles"), None)
                .unwrap()
                .contains("Select at least one")
        );
        assert_eq!(check_answer(&q("growth"), None), None, "optional");
        let long = "x".repeat(10_001);
        assert!(
            check_answer(&q("growth"), Some(&a(&long)))
                .unwrap()
                .contains("10000 characters or fewer")
        );
        assert_eq!(parse_hour("06:30"), Some(6.5));
        assert_eq!(parse_hour("6:30"), Some(6.5));
        assert_eq!(parse_hour("24:00"), None);
    }

    #[test]
    fn statuses_follow_answers_and_completion() {
        let (c, mut r) = complete();
        assert!(r.ready_to_check(&c));
        let portfolio = c.section("portfolio").unwrap();
        assert_eq!(r.status(portfolio), Status::Completed);
        r.answers.insert(
            "schedule_end".into(),
            Answer {
                value: "00:15".into(),
                ..Default::default()
            },
        );
        assert_eq!(r.status(portfolio), Status::Problem);
        assert!(
            r.section_problems(portfolio)
                .iter()
                .any(|p| p.question == "schedule_end")
        );
        r.completed_sections.remove("portfolio");
        assert_eq!(r.status(portfolio), Status::InProgress);
        let fresh = Response::new(&c, "t");
        assert_eq!(fresh.status(portfolio), Status::NotStarted);
        assert!(!r.ready_to_check(&c));
    }

    #[test]
    fn a_response_round_trips_through_its_file() {
        let (c, mut r) = complete();
        let mut gb = crate::model::Scenario::default();
        gb.population.meters = 200_000;
        let (e, _) = crate::consultation::evidence::gather(
            crate::consultation::evidence::comparison("cache").unwrap(),
            &gb,
            Some(&gb),
        );
        r.evidence.insert("cache".into(), e);
        let text = r.to_json();
        assert_eq!(Response::from_json(&text, &c).unwrap(), r);
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let (c, r) = complete();
        let cases: Vec<(String, &str)> = vec![
            ("not json at all".into(), "not JSON"),
            (
                "{\"schema\": \"something-else\"}".into(),
                "not an MP162 response",
            ),
            (
                r.to_json().replace("\"version\": 1", "\"version\": 9"),
                "version 9",
            ),
            (
                r.to_json().replace(
                    "\"consultation\": \"mp162-refinement-1\"",
                    "\"consultation\": \"mp999\"",
                ),
                "another consultation",
            ),
            (
                r.to_json()
                    .replace("\"organisation\"", "\"favourite_colour\""),
                "does not ask",
            ),
            (
                r.to_json()
                    .replace("\"value\": \"publish\"", "\"value\": \"<script>\""),
                "not an option",
            ),
            (
                r.to_json()
                    .replacen("\"answers\"", "\"extra\": 1, \"answers\"", 1),
                "does not fit",
            ),
            (
                format!("{{\"pad\": \"{}\"}}", "x".repeat(MAX_FILE_BYTES)),
                "at most",
            ),
            ("[1, 2, 3]".into(), "not an MP162 response"),
        ];
        for (text, says) in cases {
            let e = Response::from_json(&text, &c).unwrap_err().join("\n");
            assert!(e.contains(says), "expected {says:?} in {e}");
        }
    }
}
