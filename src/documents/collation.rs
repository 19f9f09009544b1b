//! The administrator's collation of the responses as a Word document, in the layout SEC
//! consultations publish: the respondent list (organisation, roles, confidentiality), then for
//! each question the tally by role and a table of each respondent's position and rationale.
//!
//! The publication-safe version leaves out confidential respondents altogether (they are counted,
//! not named), names anonymous ones only by number and carries no contact details; the full
//! version, for the Working Group, marks confidential text as such.

use super::word::Doc;
use crate::consultation::capacity::CapacityFinding;
use crate::consultation::consolidate::{Consent, Consolidation, Respondent};
use crate::consultation::consolidated_report::{capacity_section, coverage};
use crate::consultation::export::answer_text;
use crate::consultation::questions::{Consultation, Kind, Question};
use crate::present::format::thousands;

use super::response_form::ABOUT_YOU;

pub use crate::consultation::consolidate::role_columns;

pub fn consent_label(consent: Consent) -> &'static str {
    match consent {
        Consent::Publish => "Publish",
        Consent::Anonymous => "Anonymous",
        Consent::Confidential => "Confidential",
    }
}

/// A respondent's roles in words.
pub fn roles_text(r: &Respondent, c: &Consultation) -> String {
    let roles = role_columns(c);
    r.roles
        .iter()
        .map(|id| {
            roles
                .iter()
                .find(|(v, _)| v == id)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| id.clone())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A respondent's answer to a question and their reasons, as one version may show them.
pub fn answer_and_reasons(r: &Respondent, q: &Question) -> (String, String) {
    let a = r.response.answer(&q.id);
    let reasons = a
        .map(|a| a.rationale.trim().to_string())
        .unwrap_or_default();
    (answer_text(q, a), reasons)
}

pub fn collation_docx(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    capacity: Option<&CapacityFinding>,
) -> Result<Vec<u8>, String> {
    let mut doc = Doc::new(&format!("{}: consultation responses", c.title)).para(&format!(
        "{}. {} responses.",
        c.publisher,
        con.respondents.len()
    ));
    doc = if publication {
        doc.para("Publication-safe version: confidential responses are counted in the tallies but not shown; anonymous respondents are numbered; no contact details.")
    } else {
        doc.strong("Full version for the Working Group: it includes confidential responses, marked as such, and contact details. Do not publish.")
    };
    doc = doc.para(&coverage(con)).para(&format!(
        "MHHS requests a day the respondents expect: {}.",
        thousands(con.expected_requests_per_day() as f64)
    ));

    // The respondent list.
    let mut header = vec!["Respondent", "Roles", "Confidential"];
    if !publication {
        header.extend(["Contact", "File"]);
    }
    let rows: Vec<Vec<String>> = con
        .shown(publication)
        .map(|r| {
            let mut row = vec![
                r.name.clone(),
                roles_text(r, c),
                match r.consent {
                    Consent::Confidential => "Yes".into(),
                    Consent::Anonymous => "No (anonymous)".into(),
                    Consent::Publish => "No".into(),
                },
            ];
            if !publication {
                row.push(format!(
                    "{} <{}>",
                    r.response.value("contact_name"),
                    r.response.value("contact_email")
                ));
                row.push(r.file.clone());
            }
            row
        })
        .collect();
    doc = doc.h1("Respondents").table(&header, &rows);
    let hidden = con.respondents.len() - con.shown(publication).count();
    if hidden > 0 {
        doc = doc.para(&format!(
            "And {hidden} confidential respondent{}, not named here.",
            if hidden == 1 { "" } else { "s" }
        ));
    }

    // What the respondents' combined load would need of the DCC, and how sure that is.
    let cap = capacity_section(con, capacity);
    doc = doc.h1(cap.heading);
    for p in &cap.paragraphs {
        doc = doc.para(p);
    }
    if !cap.rows.is_empty() {
        let rows: Vec<Vec<String>> = cap.rows.iter().map(|r| r.to_vec()).collect();
        doc = doc.table(&cap.header, &rows);
    }

    let roles = role_columns(c);
    let mut number = 0;
    for s in c.sections.iter().filter(|s| s.id != ABOUT_YOU) {
        doc = doc.h1(&s.title);
        for q in &s.questions {
            number += 1;
            doc = doc.h2(&format!("Question {number}: {}", q.label));
            if matches!(q.kind, Kind::Choice | Kind::Position | Kind::Multi) {
                let mut header = vec!["Answer".to_string(), "All".to_string()];
                header.extend(roles.iter().map(|(_, l)| l.clone()));
                let mut rows: Vec<Vec<String>> =
                    con.tallies(c, &q.id)
                        .into_iter()
                        .map(|t| {
                            let mut row = vec![t.label.clone(), t.all.to_string()];
                            row.extend(roles.iter().map(|(id, _)| {
                                t.by_role.get(id).copied().unwrap_or(0).to_string()
                            }));
                            row
                        })
                        .collect();
                let mut none = vec![
                    "Not answered".to_string(),
                    con.unanswered(&q.id).to_string(),
                ];
                none.extend(roles.iter().map(|_| String::new()));
                rows.push(none);
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                doc = doc
                    .h3("Tally by role (every response counted)")
                    .table(&header, &rows);
            }
            let positions = matches!(q.kind, Kind::Choice | Kind::Position);
            let rows: Vec<Vec<String>> = con
                .shown(publication)
                .filter_map(|r| {
                    let (answer, reasons) = answer_and_reasons(r, q);
                    let answered = r.response.answer(&q.id).is_some_and(|a| !a.is_empty());
                    answered.then(|| {
                        let name = match r.consent {
                            Consent::Confidential => format!("{} (confidential)", r.name),
                            _ => r.name.clone(),
                        };
                        if positions {
                            vec![name, answer, reasons]
                        } else {
                            vec![name, answer]
                        }
                    })
                })
                .collect();
            if rows.is_empty() {
                doc = doc.para("No response shown here answered this question.");
            } else if positions {
                doc = doc
                    .h3("Responses")
                    .table(&["Respondent", "Position", "Rationale"], &rows);
            } else {
                doc = doc
                    .h3("Responses")
                    .table(&["Respondent", "Response"], &rows);
            }
        }
    }
    if !publication && !con.skipped.is_empty() {
        let rows: Vec<Vec<String>> = con
            .skipped
            .iter()
            .map(|s| vec![s.file.clone(), s.reason.clone()])
            .collect();
        doc = doc.h1("Files skipped").table(&["File", "Why"], &rows);
    }
    doc.bytes()
}
