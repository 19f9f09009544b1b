//! The answers as a spreadsheet (.xlsx) for the administrator: an Answers sheet with one row per
//! respondent and one column per question (a position's rationale in the column beside it), and a
//! Tallies sheet (each option of each choice question, overall and by role), and a Capacity sheet
//! (what the respondents' combined load would need, and its tornado). Publication-safe and
//! full versions follow the same rules as the Word collation ([`super::collation`]). Every cell is
//! written as text: a rationale that starts with `=` is never a formula.

use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::collation::{answer_and_reasons, consent_label, role_columns, roles_text};
use super::plain::cell;
use super::response_form::ABOUT_YOU;
use crate::consultation::capacity::CapacityFinding;
use crate::consultation::consolidate::{Consolidation, shows_question};
use crate::consultation::consolidated_report::capacity_section;
use crate::consultation::questions::{Consultation, Kind};

fn text(ws: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, cell(value)).map(|_| ())
}

fn sheet(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    capacity: Option<&CapacityFinding>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: answers", c.title))
            .set_author("MP162 consultation explorer"),
    );
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();

    // Answers: one row per respondent.
    let answers = book.add_worksheet();
    answers.set_name("Answers")?;
    let mut columns: Vec<(String, &crate::consultation::questions::Question, bool)> = Vec::new();
    for (s, q) in c.questions() {
        if !shows_question(s, q, publication) {
            continue;
        }
        // The roles have a column of their own, beside the respondent.
        if q.id == crate::consultation::consolidate::ROLES_QUESTION {
            continue;
        }
        columns.push((q.label.clone(), q, false));
        if matches!(q.kind, Kind::Position | Kind::Choice) && s.id != ABOUT_YOU {
            columns.push((format!("{}: rationale", q.label), q, true));
        }
    }
    let fixed = ["Respondent", "Publication", "Roles"];
    for (i, h) in fixed.iter().enumerate() {
        answers.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (i, (h, _, _)) in columns.iter().enumerate() {
        answers.write_string_with_format(0, (fixed.len() + i) as u16, cell(h), &bold)?;
    }
    for (row, r) in con.shown(publication).enumerate() {
        let row = row as u32 + 1;
        text(answers, row, 0, &r.name)?;
        text(answers, row, 1, consent_label(r.consent))?;
        text(answers, row, 2, &roles_text(r, c))?;
        for (i, (_, q, reasons)) in columns.iter().enumerate() {
            let (answer, why) = answer_and_reasons(r, q);
            let value = if *reasons { why } else { answer };
            answers.write_string_with_format(row, (fixed.len() + i) as u16, cell(&value), &wrap)?;
        }
    }
    answers.set_column_width(0, 28)?;
    for i in 1..(fixed.len() + columns.len()) as u16 {
        answers.set_column_width(i, 30)?;
    }
    answers.set_freeze_panes(1, 1)?;

    // Tallies: every response counted, whatever its publication choice.
    let tallies = book.add_worksheet();
    tallies.set_name("Tallies")?;
    let roles = role_columns(c);
    let mut header = vec![
        "Question".to_string(),
        "Answer".to_string(),
        "All".to_string(),
    ];
    header.extend(roles.iter().map(|(_, l)| l.clone()));
    for (i, h) in header.iter().enumerate() {
        tallies.write_string_with_format(0, i as u16, h, &bold)?;
    }
    let mut row = 1u32;
    for (_, q) in c.questions() {
        if !matches!(q.kind, Kind::Choice | Kind::Position | Kind::Multi) {
            continue;
        }
        for t in con.tallies(c, &q.id) {
            text(tallies, row, 0, &q.label)?;
            text(tallies, row, 1, &t.label)?;
            tallies.write_number(row, 2, t.all as f64)?;
            for (j, (id, _)) in roles.iter().enumerate() {
                tallies.write_number(
                    row,
                    3 + j as u16,
                    t.by_role.get(id).copied().unwrap_or(0) as f64,
                )?;
            }
            row += 1;
        }
        text(tallies, row, 0, &q.label)?;
        text(tallies, row, 1, "Not answered")?;
        tallies.write_number(row, 2, con.unanswered(&q.id) as f64)?;
        row += 1;
    }
    tallies.set_column_width(0, 50)?;
    tallies.set_column_width(1, 40)?;
    tallies.set_freeze_panes(1, 0)?;

    // Capacity: what the combined load would need of the DCC, and what would move it.
    let cap = capacity_section(con, capacity);
    let sheet = book.add_worksheet();
    sheet.set_name("Capacity")?;
    sheet.write_string_with_format(0, 0, cap.heading, &bold)?;
    let mut row = 1u32;
    for p in &cap.paragraphs {
        sheet.write_string_with_format(row, 0, cell(p), &wrap)?;
        row += 1;
    }
    if !cap.rows.is_empty() {
        row += 1;
        for (i, h) in cap.header.iter().enumerate() {
            sheet.write_string_with_format(row, i as u16, *h, &bold)?;
        }
        for r in &cap.rows {
            row += 1;
            for (i, v) in r.iter().enumerate() {
                text(sheet, row, i as u16, v)?;
            }
        }
    }
    sheet.set_column_width(0, 100)?;
    for i in 1..4 {
        sheet.set_column_width(i, 24)?;
    }
    book.save_to_buffer()
}

/// The .xlsx file of the answers (full, or publication-safe).
pub fn answers_xlsx(
    con: &Consolidation,
    c: &Consultation,
    publication: bool,
    capacity: Option<&CapacityFinding>,
) -> Result<Vec<u8>, String> {
    sheet(con, c, publication, capacity)
        .map_err(|e| format!("the spreadsheet could not be written ({e})"))
}
