//! The Word and Excel files, opened as the zip archives they are and read back: every question,
//! answer and rationale is in place, the document has a title and real headings, publication-safe
//! versions carry no confidential text, contact details or anonymous respondents' names, and
//! hostile text (markup, formula prefixes, control characters, very long text) comes out as text.

use std::io::{Cursor, Read};

use mp162_explorer::consultation::consolidate::Consolidation;
use mp162_explorer::consultation::export::answer_text;
use mp162_explorer::consultation::questions::{Consultation, Kind};
use mp162_explorer::consultation::response::Response;
use mp162_explorer::documents::{answers_sheet, collation, response_form};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

const FIXTURE: &str = include_str!("e2e/fixtures/response.json");

fn response() -> (Consultation, Response) {
    let c = Consultation::current();
    let r = Response::from_json(FIXTURE, &c).expect("the fixture is a complete response");
    (c, r)
}

/// A file inside the archive, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("the file is a zip archive");
    let mut f = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the archive"));
    let mut text = String::new();
    f.read_to_string(&mut text).unwrap();
    text
}

/// The text of an XML part as a reader sees it (entities decoded), every text node in order, and
/// the names of the elements met.
fn xml_text(xml: &str) -> (String, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    let (mut text, mut names) = (String::new(), Vec::new());
    loop {
        match reader.read_event().expect("the part is well-formed XML") {
            Event::Text(t) => text.push_str(&t.xml10_content().unwrap()),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Event::Start(e) | Event::Empty(e) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                if e.name().as_ref() == b"w:br" || e.name().as_ref() == b"w:p" {
                    text.push('\n');
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (text, names)
}

/// The document's words with line breaks as spaces (a rationale's two lines are one string here).
fn words(docx: &[u8]) -> String {
    xml_text(&part(docx, "word/document.xml"))
        .0
        .replace('\n', " ")
}

fn one_line(s: &str) -> String {
    s.replace('\n', " ")
}

#[test]
fn the_word_response_has_every_question_answer_and_rationale_with_a_title_and_headings() {
    let (c, r) = response();
    let docx = response_form::response_docx(&r, &c).unwrap();
    let text = words(&docx);
    for (s, q) in c.questions() {
        if s.id != response_form::ABOUT_YOU {
            assert!(
                text.contains(&q.label),
                "question {} is in the document",
                q.id
            );
        }
        let answer = answer_text(q, r.answer(&q.id));
        assert!(
            text.contains(&one_line(&answer)),
            "answer to {}: {answer}",
            q.id
        );
        if let Some(a) = r.answer(&q.id).filter(|a| !a.rationale.is_empty()) {
            assert!(
                text.contains(&one_line(&a.rationale)),
                "rationale of {}",
                q.id
            );
        }
    }
    // The evidence annex: each question with evidence, its seed and its figures.
    assert!(text.contains("Annex: the model evidence behind the answers"));
    assert!(
        text.contains("What the options change (GB): With "),
        "the one-sentence difference"
    );
    assert!(text.contains("MHHS data delivered by 07:00") || text.contains("by 07:00"));
    // What happens next, from the consultation file; the closing date is not invented.
    assert!(text.contains("sec.change@gemserv.com"));
    assert!(text.contains("not in the sources this tool was built from"));
    assert!(text.contains("publishes your response, with your organisation's name"));
    // A title and real headings.
    let core = part(&docx, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Response to MP162 Refinement Consultation"),
        "{core}"
    );
    let document = part(&docx, "word/document.xml");
    for style in ["Title", "Heading1", "Heading2"] {
        assert!(
            document.contains(&format!("<w:pStyle w:val=\"{style}\" />"))
                || document.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
            "{style} used"
        );
    }
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:outlineLvl"));
    // The organisation's markup is text.
    assert!(text.contains("Example Energy, \"North\" <b>Ltd</b>"));
    assert!(!document.contains("<b>"));
}

#[test]
fn a_confidential_response_says_so_at_the_top() {
    let (c, mut r) = response();
    r.answers.get_mut("publication").unwrap().value = "confidential".into();
    let text = words(&response_form::response_docx(&r, &c).unwrap());
    let at = text.find("CONFIDENTIAL").expect("marked confidential");
    assert!(at < text.find("Respondent details").unwrap());
    assert!(text.contains("SECAS does not publish your response"));
}

#[test]
fn hostile_text_comes_out_as_plain_text_in_every_file() {
    let (c, mut r) = response();
    let hostile =
        "=HYPERLINK(\"http://x\")\u{0}\u{1b}<script>alert(1)</script>&amp; @SUM(A1) +1 -1";
    let long = "long ".repeat(3_900); // the longest answer the question takes
    r.answers.get_mut("sr_4_2").unwrap().rationale = hostile.into();
    r.answers
        .get_mut("other_impacts")
        .map(|a| a.value = long.clone())
        .unwrap_or_else(|| {
            r.answers.insert(
                "other_impacts".into(),
                mp162_explorer::consultation::response::Answer {
                    value: long.clone(),
                    ..Default::default()
                },
            );
        });
    let expected = "=HYPERLINK(\"http://x\")<script>alert(1)</script>&amp; @SUM(A1) +1 -1";
    let docx = response_form::response_docx(&r, &c).unwrap();
    let text = words(&docx);
    assert!(
        text.contains(expected),
        "the hostile rationale, less its control characters"
    );
    assert!(text.contains(long.trim_end()));
    assert!(!part(&docx, "word/document.xml").contains("<script>"));

    let con = Consolidation::load(vec![("hostile.json".into(), r.to_json())], &c);
    assert_eq!(con.respondents.len(), 1, "{:?}", con.skipped);
    let xlsx = answers_sheet::answers_xlsx(&con, &c, false, None).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "no cell is a formula"
    );
    let strings = xml_text(&part(&xlsx, "xl/sharedStrings.xml")).0;
    assert!(strings.contains(expected));
    let collation = collation::collation_docx(&con, &c, false, None).unwrap();
    assert!(words(&collation).contains(expected));
}

/// Responses numbered as the e2e fixtures make them: consent cycling publish, anonymous,
/// confidential; each with secret reasons and its own contact.
fn many(n: usize) -> (Consultation, Consolidation) {
    let (c, template) = response();
    let files = (0..n)
        .map(|i| {
            let mut r = template.clone();
            r.started = format!("2026-11-{:02}T10:00:00Z", 1 + i);
            let set =
                |r: &mut Response, q: &str, v: &str| r.answers.get_mut(q).unwrap().value = v.into();
            set(&mut r, "organisation", &format!("Org {i} Energy"));
            set(
                &mut r,
                "contact_email",
                &format!("contact{i}@org{i}.example"),
            );
            set(&mut r, "contact_name", &format!("Contact Person {i}"));
            set(
                &mut r,
                "publication",
                ["publish", "anonymous", "confidential"][i % 3],
            );
            set(&mut r, "sr_4_2", ["agree", "disagree", "neutral"][i % 3]);
            r.answers.get_mut("sr_4_2").unwrap().rationale =
                format!("SECRET-{i}-REASON in confidence");
            (format!("response-{i}.json"), r.to_json())
        })
        .collect();
    let con = Consolidation::load(files, &c);
    assert_eq!(con.respondents.len(), n);
    (c, con)
}

#[test]
fn the_word_collation_lists_respondents_then_a_table_per_question() {
    let (c, con) = many(6);
    let docx = collation::collation_docx(&con, &c, false, None).unwrap();
    let text = words(&docx);
    assert!(part(&docx, "docProps/core.xml").contains("consultation responses</dc:title>"));
    for i in 0..6 {
        if i % 3 == 1 {
            assert!(
                !text.contains(&format!("Org {i} Energy")),
                "anonymous {i} is numbered"
            );
        } else {
            assert!(text.contains(&format!("Org {i} Energy")));
        }
        assert!(
            text.contains(&format!("SECRET-{i}-REASON")),
            "the full version has every reason"
        );
        assert!(text.contains(&format!("contact{i}@org{i}.example")));
    }
    assert!(text.contains("(confidential)"));
    assert!(text.contains("Do not publish"));
    for (s, q) in c.questions() {
        if s.id != response_form::ABOUT_YOU {
            assert!(text.contains(&q.label), "question {}", q.id);
        }
        if matches!(q.kind, Kind::Position) && s.id != response_form::ABOUT_YOU {
            let a = con.respondents[0].response.answer(&q.id).unwrap();
            assert!(
                text.contains(&one_line(&a.rationale)),
                "rationale of {}",
                q.id
            );
        }
    }
    // Tallies by role: 6 responses, SR 4.2 agree twice.
    assert!(text.contains("Tally by role"));
}

#[test]
fn publication_safe_versions_never_carry_confidential_text_contacts_or_anonymous_names() {
    let (c, con) = many(9);
    let docx = collation::collation_docx(&con, &c, true, None).unwrap();
    let xlsx = answers_sheet::answers_xlsx(&con, &c, true, None).unwrap();
    let texts = [
        ("collation", words(&docx)),
        ("sheet", xml_text(&part(&xlsx, "xl/sharedStrings.xml")).0),
    ];
    for (what, text) in &texts {
        for i in 0..9 {
            assert!(
                !text.contains(&format!("contact{i}@")),
                "{what} has a contact address"
            );
            assert!(
                !text.contains(&format!("Contact Person {i}")),
                "{what} has a contact name"
            );
            match i % 3 {
                1 => assert!(
                    !text.contains(&format!("Org {i} Energy")),
                    "{what} names anonymous {i}"
                ),
                2 => {
                    assert!(
                        !text.contains(&format!("SECRET-{i}-REASON")),
                        "{what} leaks confidential {i}"
                    );
                    assert!(
                        !text.contains(&format!("Org {i} Energy")),
                        "{what} names confidential {i}"
                    );
                }
                _ => assert!(
                    text.contains(&format!("SECRET-{i}-REASON")),
                    "{what} has published reasons {i}"
                ),
            }
        }
    }
    assert!(
        texts[0]
            .1
            .contains("And 3 confidential respondents, not named here.")
    );
}

#[test]
fn the_spreadsheet_has_a_row_per_respondent_a_column_per_question_and_a_tallies_sheet() {
    let (c, con) = many(6);
    let xlsx = answers_sheet::answers_xlsx(&con, &c, false, None).unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Answers\"") && workbook.contains("name=\"Tallies\""));
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert_eq!(
        sheet.matches("<row ").count(),
        7,
        "a header and a row per respondent"
    );
    let strings = xml_text(&part(&xlsx, "xl/sharedStrings.xml")).0;
    for (_, q) in c.questions() {
        assert!(strings.contains(&q.label), "a column for {}", q.id);
    }
    let header_cells = sheet.split("</row>").next().unwrap().matches("<c ").count();
    assert_eq!(
        header_cells,
        3 + c.questions().filter(|(_, q)| q.id != "roles").count()
            + c.questions()
                .filter(
                    |(s, q)| s.id != "about-you" && matches!(q.kind, Kind::Position | Kind::Choice)
                )
                .count(),
        "one column per question (roles once), a rationale column beside each position"
    );
    let tallies = part(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(tallies.matches("<row ").count() > 20);
    assert!(part(&xlsx, "docProps/core.xml").contains("answers</dc:title>"));
}

/// Writes one of each file to `target/documents/` to open by hand or turn into PDF
/// (`cargo test --test documents write_samples -- --ignored`; scripts/bench.sh does, then converts
/// the Word response with LibreOffice).
#[test]
#[ignore]
fn write_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents");
    std::fs::create_dir_all(&dir).unwrap();
    let (c, r) = response();
    std::fs::write(
        dir.join("response.docx"),
        response_form::response_docx(&r, &c).unwrap(),
    )
    .unwrap();
    let (c, con) = many(6);
    for (name, publication) in [("full", false), ("publication-safe", true)] {
        std::fs::write(
            dir.join(format!("collation-{name}.docx")),
            collation::collation_docx(&con, &c, publication, None).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("answers-{name}.xlsx")),
            answers_sheet::answers_xlsx(&con, &c, publication, None).unwrap(),
        )
        .unwrap();
    }
    println!("wrote {}", dir.display());
}

#[test]
fn the_combined_loads_capacity_is_in_the_collation_and_the_spreadsheet() {
    let (c, con) = many(3);
    let gb = mp162_explorer::model::presets::preset("dcc-recommendation").unwrap();
    let load = con.combined_scenario(&gb).unwrap();
    let found = mp162_explorer::consultation::capacity::CapacityFinding::new(&load, &Ok(1.5));
    let said = "every route capacity would need to be ×1.50 the DCC recommendation's";
    let docx = collation::collation_docx(&con, &c, true, Some(&found)).unwrap();
    let text = words(&docx);
    assert!(text.contains("The capacity the respondents' combined load would need"));
    assert!(text.contains(said), "{text}");
    let xlsx = answers_sheet::answers_xlsx(&con, &c, true, Some(&found)).unwrap();
    let strings = xml_text(&part(&xlsx, "xl/sharedStrings.xml")).0;
    assert!(strings.contains(said) && strings.contains("3 of 3 respondents gave a portfolio"));
    // Without a finding the documents say it was not worked out, rather than leave it out.
    let text = words(&collation::collation_docx(&con, &c, true, None).unwrap());
    assert!(text.contains("Not worked out when this report was made"));
}
