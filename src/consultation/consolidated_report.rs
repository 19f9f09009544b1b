//! The consolidated report: Markdown (printable as it reads), CSV of every answer, and JSON of
//! the tallies and coverage; each in a full version for the Working Group and a
//! publication-safe one, which leaves out every confidential respondent's text and organisation
//! and names anonymous respondents only by number.

use serde::Serialize;

use super::capacity::CapacityFinding;
use super::consolidate::{Consent, Consolidation, shows_question};
use super::export::answer_text;
use super::questions::{Consultation, Kind};
use crate::model::report::Headline;
use crate::present::format::{clock, csv_text, percent, thousands};
use crate::present::key_figures::{KEY_FIGURES, KeyFigure};

/// GB electricity smart meters the coverage is stated against (the DCC recommendation's ~30M).
pub const GB_METERS: u64 = 30_000_000;

/// Markdown-safe text on one line (a table cell or a list item).
fn md(text: &str) -> String {
    super::export::md(&text.replace(['\r', '\n'], " "))
}

/// A sentence on how much of GB the respondents represent.
pub fn coverage(con: &Consolidation) -> String {
    let total: u64 = con.meters().iter().sum();
    let with = con
        .respondents
        .iter()
        .filter(|r| super::portfolio::meters(&r.response).is_some())
        .count();
    format!(
        "{} of {} respondents gave a portfolio: {} meters, {} of the ~{} GB smart electricity meters (a meter read by both a supplier and its agent may be counted twice).",
        with,
        con.respondents.len(),
        thousands(total as f64),
        percent(total as f64 / GB_METERS as f64),
        thousands(GB_METERS as f64)
    )
}

/// The combined load's capacity finding as every export says it: the coverage it rests on, the
/// finding, and its tornado as rows (assumption, range, the figure at the low end, at the high end).
pub struct CapacitySection {
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
    pub header: [&'static str; 4],
    pub rows: Vec<[String; 4]>,
}

pub fn capacity_section(con: &Consolidation, f: Option<&CapacityFinding>) -> CapacitySection {
    let mut paragraphs = vec![format!(
        "The load: every respondent's portfolio, schedule window and agents' share as one GB-scale scenario, with the earliest needed-by time any respondent gave, so the capacity meets each respondent's. {}",
        coverage(con)
    )];
    let mut rows = Vec::new();
    match f {
        None => paragraphs.push("Not worked out when this report was made: the Consolidate page works it out once responses with portfolios are loaded; export again when it shows.".into()),
        Some(f) => {
            paragraphs.push(f.sentence("the respondents’ combined"));
            paragraphs.extend(f.tornado_sentence());
            if let Some(t) = &f.tornado {
                let key = KeyFigure::named(&t.figure);
                let show = |v: f64| key.map_or(format!("{v}"), |k| k.show_value(v));
                rows = t
                    .bars
                    .iter()
                    .map(|b| {
                        [
                            b.label.clone(),
                            super::capacity::range_text(b),
                            show(b.at_low),
                            show(b.at_high),
                        ]
                    })
                    .collect();
            }
        }
    }
    CapacitySection {
        heading: "The capacity the respondents' combined load would need",
        paragraphs,
        header: [
            "Assumption",
            "Plausible range",
            "At the low end",
            "At the high end",
        ],
        rows,
    }
}

pub fn markdown(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    combined: Option<(&Headline, &Headline, f64)>,
    capacity: Option<&CapacityFinding>,
) -> String {
    let mut out = format!("# Consolidated responses: {}\n\n", md(&c.title));
    out.push_str(if publication {
        "Publication-safe version: confidential responses' text and names are left out; anonymous respondents are numbered. Tallies count every response.\n\n"
    } else {
        "Full version for the Working Group: includes confidential responses, marked as such. Do not publish.\n\n"
    });
    out.push_str(&format!(
        "- Responses: {}\n- Files skipped: {}\n- {}\n",
        con.respondents.len(),
        con.skipped.len(),
        md(&coverage(con))
    ));
    out.push_str(&format!(
        "- MHHS requests a day the respondents expect: {}\n",
        thousands(con.expected_requests_per_day() as f64)
    ));
    out.push_str("\n## Respondents\n\n");
    for r in &con.respondents {
        match (publication, r.consent) {
            (true, Consent::Confidential) => {}
            (_, Consent::Confidential) => {
                out.push_str(&format!("- {} (confidential)\n", md(&r.name)))
            }
            _ => out.push_str(&format!("- {}\n", md(&r.name))),
        }
    }
    let confidential = con
        .respondents
        .iter()
        .filter(|r| r.consent == Consent::Confidential)
        .count();
    if publication && confidential > 0 {
        out.push_str(&format!(
            "- and {confidential} confidential respondent(s), not named\n"
        ));
    }
    if let Some((respondents, gb, needed)) = combined {
        out.push_str("\n## The respondents' combined load on the DCC\n\n| Key figure | Respondents combined | DCC recommendation (GB) |\n|---|---|---|\n");
        for k in KEY_FIGURES {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md(&k.label(needed)),
                k.show(respondents),
                k.show(gb)
            ));
        }
    }
    if combined.is_some() || capacity.is_some() {
        let cap = capacity_section(con, capacity);
        out.push_str(&format!("\n## {}\n\n", cap.heading));
        for p in &cap.paragraphs {
            out.push_str(&format!("{}\n\n", md(p)));
        }
        if !cap.rows.is_empty() {
            out.push_str(&format!(
                "| {} |\n|---|---|---|---|\n",
                cap.header.join(" | ")
            ));
            for r in &cap.rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|x| md(x)).collect::<Vec<_>>().join(" | ")
                ));
            }
        }
    }
    for s in &c.sections {
        if s.id == "about-you" {
            continue;
        }
        out.push_str(&format!("\n## {}\n", md(&s.title)));
        for q in &s.questions {
            out.push_str(&format!("\n### {}\n\n", md(&q.label)));
            if matches!(q.kind, Kind::Choice | Kind::Position | Kind::Multi) {
                out.push_str("| Answer | All | Suppliers (own data) | Independent MDR agents | Others |\n|---|---|---|---|---|\n");
                for t in con.tallies(c, &q.id) {
                    let others = t
                        .by_role
                        .iter()
                        .filter(|(k, _)| *k != "supplier-own-data" && *k != "independent-mdr")
                        .map(|(_, v)| v)
                        .sum::<usize>();
                    out.push_str(&format!(
                        "| {} | {} | {} | {} | {} |\n",
                        md(&t.label),
                        t.all,
                        t.by_role.get("supplier-own-data").copied().unwrap_or(0),
                        t.by_role.get("independent-mdr").copied().unwrap_or(0),
                        others
                    ));
                }
                out.push_str(&format!(
                    "| Not answered | {} | | | |\n",
                    con.unanswered(&q.id)
                ));
            }
            match q.kind {
                Kind::Count => {
                    let values: Vec<u64> = con
                        .respondents
                        .iter()
                        .filter_map(|r| super::response::parse_count(r.response.value(&q.id)))
                        .collect();
                    out.push_str(&format!(
                        "Total across the {} respondents who answered: {}\n",
                        values.len(),
                        thousands(values.iter().sum::<u64>() as f64)
                    ));
                }
                Kind::Hour => {
                    let values: Vec<f64> = con
                        .respondents
                        .iter()
                        .filter_map(|r| super::response::parse_hour(r.response.value(&q.id)))
                        .collect();
                    if let (Some(lo), Some(hi)) = (
                        values.iter().copied().reduce(f64::min),
                        values.iter().copied().reduce(f64::max),
                    ) {
                        out.push_str(&format!(
                            "Earliest {}, latest {} ({} answered)\n",
                            clock(lo),
                            clock(hi),
                            values.len()
                        ));
                    }
                }
                _ => {}
            }
            let reasons = con.rationales(c, &q.id, publication);
            if !reasons.is_empty() {
                out.push('\n');
                for r in reasons {
                    let mark = if r.consent == Consent::Confidential {
                        " (confidential)"
                    } else {
                        ""
                    };
                    let position = if r.position.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", md(&r.position))
                    };
                    out.push_str(&format!(
                        "- {}{mark}{position}: {}\n",
                        md(&r.respondent),
                        md(&r.text)
                    ));
                }
            }
        }
    }
    if !con.skipped.is_empty() && !publication {
        out.push_str("\n## Files skipped\n\n");
        for s in &con.skipped {
            out.push_str(&format!("- {}: {}\n", md(&s.file), md(&s.reason)));
        }
    }
    out
}

/// One row per respondent and question, then the combined load's capacity finding (a row for
/// "All respondents", question `combined_capacity_needed`).
pub fn csv(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    capacity: Option<&CapacityFinding>,
) -> String {
    let mut out =
        String::from("respondent,consent,roles,section,question_id,question,answer,rationale\n");
    for r in con.shown(publication) {
        let consent = match r.consent {
            Consent::Publish => "publish",
            Consent::Anonymous => "anonymous",
            Consent::Confidential => "confidential",
        };
        for (s, q) in c.questions() {
            if !shows_question(s, q, publication) {
                continue;
            }
            let a = r.response.answer(&q.id);
            let answer = if publication && r.consent == Consent::Anonymous && q.id == "organisation"
            {
                String::new()
            } else {
                answer_text(q, a)
            };
            let rationale = a.map(|a| a.rationale.as_str()).unwrap_or("");
            out.push_str(
                &[
                    csv_text(&r.name),
                    csv_text(consent),
                    csv_text(&r.roles.join("; ")),
                    csv_text(&s.title),
                    csv_text(&q.id),
                    csv_text(&q.label),
                    csv_text(&answer),
                    csv_text(rationale),
                ]
                .join(","),
            );
            out.push('\n');
        }
    }
    let cap = capacity_section(con, capacity);
    let mut finding = cap.paragraphs.join(" ");
    for r in &cap.rows {
        finding.push_str(&format!(" {}: {} gives {} to {}.", r[0], r[1], r[2], r[3]));
    }
    out.push_str(
        &[
            csv_text("All respondents (combined load)"),
            String::new(),
            String::new(),
            csv_text(cap.heading),
            csv_text("combined_capacity_needed"),
            csv_text(cap.heading),
            csv_text(&finding),
            String::new(),
        ]
        .join(","),
    );
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonTally {
    question: String,
    option: String,
    all: usize,
    by_role: std::collections::BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    version: u32,
    consultation: &'a str,
    publication_safe: bool,
    responses: usize,
    skipped: Vec<String>,
    respondents: Vec<String>,
    meters_by_route: [u64; 6],
    coverage_of_gb: f64,
    expected_mhhs_requests_per_day: u64,
    tallies: Vec<JsonTally>,
    combined: Option<&'a Headline>,
    combined_capacity: Option<&'a CapacityFinding>,
}

pub fn json(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    combined: Option<&Headline>,
    combined_capacity: Option<&CapacityFinding>,
) -> String {
    let report = JsonReport {
        schema: "mp162-consolidation",
        version: 1,
        consultation: &c.id,
        publication_safe: publication,
        responses: con.respondents.len(),
        skipped: if publication {
            Vec::new()
        } else {
            con.skipped
                .iter()
                .map(|s| format!("{}: {}", s.file, s.reason))
                .collect()
        },
        respondents: con
            .shown(publication)
            .map(|r| {
                if r.consent == Consent::Confidential {
                    format!("{} (confidential)", r.name)
                } else {
                    r.name.clone()
                }
            })
            .collect(),
        meters_by_route: con.meters(),
        coverage_of_gb: con.meters().iter().sum::<u64>() as f64 / GB_METERS as f64,
        expected_mhhs_requests_per_day: con.expected_requests_per_day(),
        tallies: c
            .questions()
            .filter(|(_, q)| matches!(q.kind, Kind::Choice | Kind::Position | Kind::Multi))
            .flat_map(|(_, q)| {
                con.tallies(c, &q.id).into_iter().map(move |t| JsonTally {
                    question: q.id.clone(),
                    option: t.option,
                    all: t.all,
                    by_role: t.by_role,
                })
            })
            .collect(),
        combined,
        combined_capacity,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::consolidate::tests::many;

    #[test]
    fn publication_safe_exports_never_hold_confidential_text_or_anonymous_names() {
        let (c, files) = many(9);
        let con = Consolidation::load(files, &c);
        let confidential: Vec<&str> = con
            .respondents
            .iter()
            .filter(|r| r.consent == Consent::Confidential)
            .map(|r| r.response.value("organisation"))
            .collect();
        let anonymous: Vec<&str> = con
            .respondents
            .iter()
            .filter(|r| r.consent == Consent::Anonymous)
            .map(|r| r.response.value("organisation"))
            .collect();
        assert_eq!((confidential.len(), anonymous.len()), (3, 3));
        for text in [
            markdown(&con, &c, true, None, None),
            csv(&con, &c, true, None),
            json(&con, &c, true, None, None),
        ] {
            for i in [2, 5, 8] {
                assert!(
                    !text.contains(&format!("SECRET-{i} ")),
                    "confidential reasons leaked"
                );
                assert!(
                    !text.contains(&format!("Org {i}\n"))
                        && !text.contains(&format!("Org {i},"))
                        && !text.contains(&format!("Org {i}\"")),
                    "confidential organisation leaked"
                );
            }
            for i in [1, 4, 7] {
                assert!(
                    !text.contains(&format!("Org {i},"))
                        && !text.contains(&format!("Org {i}\n"))
                        && !text.contains(&format!("\"Org {i}\"")),
                    "anonymous organisation leaked"
                );
            }
            assert!(
                !text.contains("a.person@example.com"),
                "contact details leaked"
            );
        }
        let full = markdown(&con, &c, false, None, None);
        assert!(
            full.contains("SECRET-2 ") && full.contains("(confidential)"),
            "the full version has everything, marked"
        );
        assert!(full.contains("| Agree: make SR 4.2 schedulable | 3 |"));
        let csv_full = csv(&con, &c, false, None);
        assert_eq!(csv_full.matches(",sr_4_2,").count(), 9);
    }
}
