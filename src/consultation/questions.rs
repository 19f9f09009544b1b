//! The consultation's questions, as data. A consultation is a JSON file in `consultations/`,
//! compiled into the app; a later consultation (the Working Group expects one on security,
//! privacy and legal text) is a new file, not new code. [`Consultation::check`] is run by a test,
//! so a file that names an unknown evidence comparison or repeats an id never ships.

use serde::{Deserialize, Serialize};

/// The format version of consultation files this app reads.
pub const CONSULTATION_SCHEMA: &str = "mp162-consultation";
pub const CONSULTATION_VERSION: u32 = 1;

/// The section of the respondent's own details (contact, roles, publication choice).
pub const ABOUT_YOU: &str = "about-you";

/// The consultation this build asks.
pub const MP162_REFINEMENT_1: &str = include_str!("../../consultations/mp162-refinement-1.json");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    pub schema: String,
    pub version: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub publisher: String,
    /// How and when to send a response, and how SECAS treats it.
    pub submission: Submission,
    pub sections: Vec<Section>,
}

/// How to send a response, as data: a value not known is `None`, and the page and documents say
/// so (`unknown`) rather than invent one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The address responses go to.
    pub send_to: Option<String>,
    /// The closing date and time, as the consultation states it.
    pub closes: Option<String>,
    /// What to say where a value is not known.
    pub unknown: String,
    /// Where these facts come from.
    pub source: String,
    /// How SECAS treats a response under each option of the publication question.
    pub treatment: std::collections::BTreeMap<String, String>,
}

impl Submission {
    /// What to do with the Word response, in one or two sentences.
    pub fn instruction(&self) -> String {
        let to = self
            .send_to
            .as_deref()
            .map(|a| format!("email it to {a}"))
            .unwrap_or_else(|| "send it to SECAS".into());
        let by = self
            .closes
            .as_deref()
            .map(|t| format!(" by {t}"))
            .unwrap_or_default();
        let mut out = format!("Download the Word response and {to}{by}.");
        if self.send_to.is_none() || self.closes.is_none() {
            out.push(' ');
            out.push_str(&self.unknown);
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub questions: Vec<Question>,
}

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One line of text.
    Text,
    /// An email address.
    Email,
    /// Several paragraphs.
    Textarea,
    /// One of the options (radios).
    Choice,
    /// Any of the options (checkboxes).
    Multi,
    /// A whole number from 0 to `max`.
    Count,
    /// A time of day, `HH:MM`.
    Hour,
    /// A position (one of the options) and the reasons for it.
    Position,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    #[serde(default)]
    pub hint: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Unit of a count.
    #[serde(default)]
    pub unit: String,
    /// Largest count accepted.
    #[serde(default)]
    pub max: Option<u64>,
    /// Longest text accepted, in characters (default: 500 for a line, 10,000 for paragraphs).
    #[serde(default)]
    pub max_length: Option<usize>,
    /// The model comparison shown beside the question ([`super::evidence`]).
    #[serde(default)]
    pub evidence: Option<String>,
}

impl Question {
    pub fn max_length(&self) -> usize {
        self.max_length.unwrap_or(match self.kind {
            Kind::Text | Kind::Email => 500,
            _ => 10_000,
        })
    }

    /// The label of an option value (or the value itself if it is not one).
    pub fn option_label<'a>(&'a self, value: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.value == value)
            .map(|o| o.label.as_str())
            .unwrap_or(value)
    }
}

impl Consultation {
    /// The consultation compiled into this build.
    pub fn current() -> Consultation {
        // `check_the_shipped_consultation` proves this parses; a broken file fails the tests.
        serde_json::from_str(MP162_REFINEMENT_1)
            .expect("consultations/mp162-refinement-1.json is checked by a test")
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn question(&self, id: &str) -> Option<(&Section, &Question)> {
        self.sections
            .iter()
            .find_map(|s| s.questions.iter().find(|q| q.id == id).map(|q| (s, q)))
    }

    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    /// Every problem with the file: unknown format, repeated ids, choices without options,
    /// unknown evidence comparisons.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.schema != CONSULTATION_SCHEMA || self.version != CONSULTATION_VERSION {
            problems.push(format!(
                "format must be {CONSULTATION_SCHEMA} version {CONSULTATION_VERSION}"
            ));
        }
        let mut ids = std::collections::BTreeSet::new();
        for s in &self.sections {
            if !ids.insert(format!("section:{}", s.id)) {
                problems.push(format!("section id {} is repeated", s.id));
            }
            if s.questions.is_empty() {
                problems.push(format!("section {} has no questions", s.id));
            }
            for q in &s.questions {
                if !ids.insert(q.id.clone()) {
                    problems.push(format!("question id {} is repeated", q.id));
                }
                let needs_options = matches!(q.kind, Kind::Choice | Kind::Multi | Kind::Position);
                if needs_options && q.options.len() < 2 {
                    problems.push(format!("question {} needs at least two options", q.id));
                }
                if !needs_options && !q.options.is_empty() {
                    problems.push(format!("question {} is not a choice but has options", q.id));
                }
                if q.id == "publication" {
                    for o in &q.options {
                        if !self.submission.treatment.contains_key(&o.value) {
                            problems.push(format!(
                                "submission.treatment says nothing of publication option {}",
                                o.value
                            ));
                        }
                    }
                }
                if let Some(e) = &q.evidence {
                    if super::evidence::comparison(e).is_none() {
                        problems.push(format!("question {} names unknown evidence {e}", q.id));
                    }
                }
                if !q
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    problems.push(format!(
                        "question id {} may only use letters, digits, - and _",
                        q.id
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_the_shipped_consultation() {
        let c: Consultation =
            serde_json::from_str(MP162_REFINEMENT_1).expect("the questions file parses");
        assert_eq!(c.check(), Vec::<String>::new());
        for id in ["about-you", "portfolio", "technical", "nfr", "impact"] {
            assert!(c.section(id).is_some(), "section {id}");
        }
        for id in [
            "organisation",
            "roles",
            "publication",
            "srv_4_1_1",
            "sr_4_2",
            "smoothing",
            "mhhs_flag",
            "cache",
            "daily_vs_monthly",
            "level_playing_field",
        ] {
            assert!(c.question(id).is_some(), "question {id}");
        }
        let technical = c.section("technical").unwrap();
        assert!(
            technical
                .questions
                .iter()
                .filter(|q| q.kind == Kind::Position)
                .all(|q| q.evidence.is_some()),
            "every technical position has evidence"
        );
    }

    #[test]
    fn a_broken_file_is_reported() {
        let mut c = Consultation::current();
        c.sections[0].questions[1].options.clear();
        c.sections[1].questions[0].id = "organisation".into();
        c.sections[2].questions[0].evidence = Some("nope".into());
        let problems = c.check().join("\n");
        assert!(problems.contains("needs at least two options"));
        assert!(problems.contains("organisation is repeated"));
        assert!(problems.contains("unknown evidence nope"));
    }
}
