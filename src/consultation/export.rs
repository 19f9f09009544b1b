//! A response as the documents a person reads or a spreadsheet takes: Markdown (with the
//! evidence figures) and CSV (one row per question). JSON is the response itself
//! ([`super::response::Response::to_json`]); the printable page is the app's check-answers page.

use super::evidence::comparison;
use super::questions::{Consultation, Kind, Question};
use super::response::{Answer, Response};
use crate::present::format::clock;
use crate::present::key_figures::KEY_FIGURES;

/// An answer in words: option labels for choices, "Not provided" when empty.
pub fn answer_text(q: &Question, a: Option<&Answer>) -> String {
    let Some(a) = a.filter(|a| !a.is_empty()) else {
        return "Not provided".into();
    };
    match q.kind {
        Kind::Multi => a
            .values
            .iter()
            .map(|v| q.option_label(v).to_string())
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Choice | Kind::Position if !a.value.is_empty() => {
            q.option_label(&a.value).to_string()
        }
        _ if a.value.trim().is_empty() => "Not provided".into(),
        Kind::Count => super::response::parse_count(&a.value)
            .map(|n| crate::present::format::thousands(n as f64))
            .unwrap_or_else(|| a.value.clone()),
        _ => a.value.clone(),
    }
}

/// Text from a respondent made safe to place in Markdown: no HTML, no headings or lists started
/// by their text, line breaks kept.
pub(crate) fn md(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect();
    escaped
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("  \n")
}

pub fn markdown(r: &Response, c: &Consultation) -> String {
    let org = r.value("organisation");
    let mut out = format!("# Response to {}\n\n", md(&c.title));
    out.push_str(&format!(
        "- Organisation: {}\n",
        if org.is_empty() {
            "Not provided".into()
        } else {
            md(org)
        }
    ));
    let when = |t: &str| md(&crate::present::format::iso_time(t));
    out.push_str(&format!(
        "- Started: {}\n- Last changed: {}\n",
        when(&r.started),
        when(&r.updated)
    ));
    out.push_str(&format!(
        "- Finished: {}\n",
        r.finished
            .as_deref()
            .map(when)
            .unwrap_or_else(|| "not yet (draft)".into())
    ));
    out.push_str(&format!("- Format: {} version {}\n", r.schema, r.version));
    for s in &c.sections {
        out.push_str(&format!("\n## {}\n", md(&s.title)));
        for q in &s.questions {
            let a = r.answer(&q.id);
            out.push_str(&format!(
                "\n### {}\n\n{}\n",
                md(&q.label),
                md(&answer_text(q, a))
            ));
            if let Some(reason) = a.map(|a| a.rationale.trim()).filter(|t| !t.is_empty()) {
                out.push_str(&format!("\nRationale: {}\n", md(reason)));
            }
            if let Some(e) = r.evidence.get(&q.id) {
                let title = comparison(&e.comparison).map(|c| c.title).unwrap_or("");
                out.push_str(&format!(
                    "\nEvidence seen: {} (traffic model version {}, seed {}, 1 in {} meters simulated, scaled to GB).{}\n\n",
                    md(title),
                    e.model_version(),
                    e.seed,
                    (1.0 / e.sample).round(),
                    e.version_note().map(|n| format!(" {n}")).unwrap_or_default()
                ));
                let needed = e.gb_scenario.report.needed_by_h;
                out.push_str(&format!(
                    "What the options change (GB): {}\n\n",
                    md(&super::evidence::differences_in_words(e))
                ));
                out.push_str("| Key figure |");
                for o in &e.options {
                    out.push_str(&format!(" {} (GB) |", md(&o.option)));
                    if o.portfolio.is_some() {
                        out.push_str(&format!(" {} (your portfolio) |", md(&o.option)));
                    }
                }
                out.push_str("\n|---|");
                for o in &e.options {
                    out.push_str(if o.portfolio.is_some() {
                        "---|---|"
                    } else {
                        "---|"
                    });
                }
                out.push('\n');
                for k in KEY_FIGURES {
                    out.push_str(&format!("| {} |", md(&k.label(needed))));
                    for o in &e.options {
                        out.push_str(&format!(" {} |", k.show(&o.gb)));
                        if let Some(p) = &o.portfolio {
                            out.push_str(&format!(" {} |", k.show(p)));
                        }
                    }
                    out.push('\n');
                }
                out.push_str(&format!(
                    "\nNeeded-by time in the GB scenario: {}.\n",
                    clock(needed)
                ));
                if let Some(robust) = &e.robustness {
                    let labels: Vec<&str> = e.options.iter().map(|o| o.option.as_str()).collect();
                    out.push_str(&format!(
                        "\nAcross the plausible ranges: {}\n",
                        md(&robust.sentence(&labels, needed))
                    ));
                }
            }
        }
        if s.id == CAPACITY_SECTION {
            out.push_str(&format!(
                "\n### {CAPACITY_HEADING}\n\n{}\n",
                md(&super::portfolio::capacity_text(r))
            ));
        }
    }
    out
}

/// The section the portfolio's capacity finding goes with, and what it is called there.
pub const CAPACITY_SECTION: &str = "nfr";
pub const CAPACITY_HEADING: &str = "The capacity your portfolio would need";

/// One row per question: section, question id, question, answer, rationale; then the portfolio's
/// capacity finding after the non-functional requirements' questions.
pub fn csv(r: &Response, c: &Consultation) -> String {
    let field = crate::present::format::csv_text;
    let mut out = String::from("organisation,section,question_id,question,answer,rationale\n");
    let org = r.value("organisation");
    for (s, q) in c.questions() {
        let a = r.answer(&q.id);
        let rationale = a.map(|a| a.rationale.as_str()).unwrap_or("");
        out.push_str(
            &[
                field(org),
                field(&s.title),
                field(&q.id),
                field(&q.label),
                field(&answer_text(q, a)),
                field(rationale),
            ]
            .join(","),
        );
        out.push('\n');
        if s.id == CAPACITY_SECTION && s.questions.last().is_some_and(|l| l.id == q.id) {
            out.push_str(
                &[
                    field(org),
                    field(&s.title),
                    field("capacity_needed"),
                    field(CAPACITY_HEADING),
                    field(&super::portfolio::capacity_text(r)),
                    field(""),
                ]
                .join(","),
            );
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::response::tests::complete;

    #[test]
    fn markdown_has_a_title_every_question_and_no_html_from_the_respondent() {
        let (c, r) = complete();
        let text = markdown(&r, &c);
        assert!(text.starts_with("# Response to MP162 Refinement Consultation"));
        for (_, q) in c.questions() {
            assert!(text.contains(&md(&q.label)), "{}", q.id);
        }
        assert!(
            text.contains("&lt;b&gt;Ltd&lt;/b&gt;"),
            "respondent HTML is escaped"
        );
        assert!(!text.contains("<b>"));
        assert!(
            text.contains("Not provided"),
            "skipped optional answers say so"
        );
    }

    #[test]
    fn csv_has_one_row_per_question_and_is_spreadsheet_safe() {
        let (c, r) = complete();
        let text = csv(&r, &c);
        let n = c.questions().count();
        // Rationales hold line breaks inside quotes, so count records by their question ids.
        for (_, q) in c.questions() {
            assert!(text.contains(&format!(",{},", q.id)), "{}", q.id);
        }
        assert!(text.starts_with("organisation,section,question_id"));
        assert!(text.contains("\"Example Energy, \"\"North\"\" <b>Ltd</b>\""));
        assert!(n > 20);
    }
}
