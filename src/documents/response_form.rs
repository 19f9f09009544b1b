//! The respondent's response as a Word document, in the usual SEC response-form layout: the
//! respondent's details and publication choice, what happens next, then a table per question
//! (question, position, rationale), and an annex with the model evidence each answer carries.

use super::word::Doc;
use crate::consultation::evidence::{comparison, differences_in_words};
use crate::consultation::export::answer_text;
use crate::consultation::export::{CAPACITY_HEADING, CAPACITY_SECTION};
use crate::consultation::questions::{Consultation, Kind};
use crate::consultation::response::Response;
use crate::present::format::{clock, iso_time};
use crate::present::key_figures::KEY_FIGURES;

/// The respondent's own details are the form's first table, not questions.
pub use crate::consultation::questions::ABOUT_YOU;

/// The file name the download suggests.
pub fn file_name(stem: &str) -> String {
    format!("{stem}.docx")
}

/// Whether the respondent asked for the whole response to stay confidential.
pub fn confidential(r: &Response) -> bool {
    r.value("publication") == "confidential"
}

pub fn response_docx(r: &Response, c: &Consultation) -> Result<Vec<u8>, String> {
    let org = r.value("organisation");
    let who = if org.trim().is_empty() {
        "(organisation not given)"
    } else {
        org
    };
    let mut doc = Doc::new(&format!("Response to {}", c.title))
        .para(&format!("From {who}. {}.", c.publisher));
    if confidential(r) {
        doc = doc.strong("CONFIDENTIAL: the respondent asks that this response is not published.");
    }
    // The respondent's details, as the form's first table.
    let about = c.section(ABOUT_YOU);
    let mut details: Vec<(&str, String)> = about
        .map(|s| {
            s.questions
                .iter()
                .map(|q| (q.label.as_str(), answer_text(q, r.answer(&q.id))))
                .collect()
        })
        .unwrap_or_default();
    details.push((
        "Finished",
        r.finished
            .as_deref()
            .map(iso_time)
            .unwrap_or_else(|| "Not yet: this is a draft".into()),
    ));
    doc = doc.h1("Respondent details").form(&details);
    doc = what_happens_next(doc, r, c);
    let mut number = 0;
    for s in c.sections.iter().filter(|s| s.id != ABOUT_YOU) {
        doc = doc.h1(&s.title);
        for q in &s.questions {
            number += 1;
            let a = r.answer(&q.id);
            let answer = answer_text(q, a);
            let rationale = a.map(|a| a.rationale.trim()).filter(|t| !t.is_empty());
            let mut rows = vec![("Question", q.label.clone())];
            match q.kind {
                Kind::Position | Kind::Choice => {
                    rows.push(("Position", answer));
                    rows.push((
                        "Rationale",
                        rationale.unwrap_or("No rationale given").to_string(),
                    ));
                }
                _ => rows.push(("Answer", answer)),
            }
            if r.evidence.contains_key(&q.id) {
                rows.push((
                    "Evidence",
                    format!("Model evidence in the annex, A{number}."),
                ));
            }
            doc = doc.h2(&format!("Question {number}")).form(&rows);
        }
        if s.id == CAPACITY_SECTION {
            doc = doc
                .h2(CAPACITY_HEADING)
                .para(&crate::consultation::portfolio::capacity_text(r));
        }
    }
    annex(doc, r, c).bytes()
}

/// Where to send the response and how it will be treated, from the consultation file.
fn what_happens_next(doc: Doc, r: &Response, c: &Consultation) -> Doc {
    let s = &c.submission;
    let treatment = s
        .treatment
        .get(r.value("publication"))
        .cloned()
        .unwrap_or_else(|| "You have not said whether SECAS may publish your response: SECAS will treat it as confidential until you do.".into());
    doc.h1("What happens next")
        .para(
            &s.instruction()
                .replace("Download the Word response and ", "Send this document: "),
        )
        .para(&treatment)
        .para(&format!("Source: {}.", s.source))
}

/// The model evidence behind each answer that carries some.
fn annex(mut doc: Doc, r: &Response, c: &Consultation) -> Doc {
    if r.evidence.is_empty() {
        return doc;
    }
    doc = doc.h1("Annex: the model evidence behind the answers").para(
        "Each technical answer was given beside the traffic model's comparison of its options. The figures are those the respondent saw: a preview of a sample of meters scaled to GB, for the GB scenario and, where given, the respondent's own portfolio.",
    );
    let numbers: Vec<&str> = c
        .sections
        .iter()
        .filter(|s| s.id != ABOUT_YOU)
        .flat_map(|s| s.questions.iter().map(|q| q.id.as_str()))
        .collect();
    for (i, id) in numbers.iter().enumerate() {
        let (Some(e), Some((_, q))) = (r.evidence.get(*id), c.question(id)) else {
            continue;
        };
        let title = comparison(&e.comparison).map(|c| c.title).unwrap_or("");
        let needed = e.gb_scenario.report.needed_by_h;
        doc = doc.h2(&format!("A{}: {}", i + 1, q.label)).para(&format!(
            "{title}. Traffic model version {}, seed {}, 1 in {} meters simulated and scaled to GB; MHHS data needed by {}.{}",
            e.model_version(),
            e.seed,
            (1.0 / e.sample).round(),
            clock(needed),
            e.version_note().map(|n| format!(" {n}")).unwrap_or_default()
        ));
        let mut header = vec!["Key figure".to_string()];
        for o in &e.options {
            header.push(format!("{} (GB)", o.option));
            if o.portfolio.is_some() {
                header.push(format!("{} (respondent's portfolio)", o.option));
            }
        }
        let rows: Vec<Vec<String>> = KEY_FIGURES
            .iter()
            .map(|k| {
                let mut row = vec![k.label(needed)];
                for o in &e.options {
                    row.push(k.show(&o.gb));
                    if let Some(p) = &o.portfolio {
                        row.push(k.show(p));
                    }
                }
                row
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        doc = doc
            .para(&format!(
                "What the options change (GB): {}",
                differences_in_words(e)
            ))
            .table(&header, &rows);
        if let Some(robust) = &e.robustness {
            let labels: Vec<&str> = e.options.iter().map(|o| o.option.as_str()).collect();
            doc = doc.para(&format!(
                "Across the plausible ranges: {}",
                robust.sentence(&labels, needed)
            ));
        }
    }
    doc
}
