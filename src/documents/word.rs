//! A Word document built the accessible way: a document title in its properties, real heading
//! styles (Title, Heading 1–3, so a screen reader and the navigation pane see the structure),
//! tables with a header row, and respondents' text as plain text with its line breaks kept.

use docx_rs::{
    BreakType, Docx, LineSpacing, Paragraph, Run, RunFonts, Style, StyleType, Table, TableCell,
    TableRow, WidthType,
};

use super::plain::plain;

/// A Word document being written, top to bottom.
pub struct Doc {
    docx: Docx,
    title: String,
}

/// Sizes in half-points (Word's unit for font sizes).
const BODY: usize = 22;

fn heading(id: &str, name: &str, size: usize, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .size(size)
        .bold()
        .outline_lvl(level)
        .line_spacing(LineSpacing::new().before(240).after(80))
}

/// The width of an A4 page's text in twentieths of a point (Word's default margins).
const TEXT_WIDTH: usize = 9026;

/// Text as runs, with a line break wherever the text had one.
fn runs(text: &str, bold: bool) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, line) in plain(text).split('\n').enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
        if bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    p
}

/// XML-escaped text for a document property.
fn escape(text: &str) -> String {
    plain(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Doc {
    /// A document whose title (shown as its first line and stored as its title property) is `title`.
    pub fn new(title: &str) -> Doc {
        let docx = Docx::new()
            .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
            .default_size(BODY)
            .add_style(
                Style::new("Title", StyleType::Paragraph)
                    .name("Title")
                    .based_on("Normal")
                    .next("Normal")
                    .q_format(true)
                    .size(40)
                    .bold(),
            )
            .add_style(heading("Heading1", "heading 1", 32, 0))
            .add_style(heading("Heading2", "heading 2", 26, 1))
            .add_style(heading("Heading3", "heading 3", 24, 2));
        let docx = docx.add_paragraph(runs(title, false).style("Title"));
        Doc {
            docx,
            title: title.to_string(),
        }
    }

    fn styled(mut self, style: &str, text: &str) -> Doc {
        self.docx = self.docx.add_paragraph(runs(text, false).style(style));
        self
    }

    pub fn h1(self, text: &str) -> Doc {
        self.styled("Heading1", text)
    }

    pub fn h2(self, text: &str) -> Doc {
        self.styled("Heading2", text)
    }

    pub fn h3(self, text: &str) -> Doc {
        self.styled("Heading3", text)
    }

    /// A paragraph of plain text (its line breaks kept).
    pub fn para(mut self, text: &str) -> Doc {
        self.docx = self.docx.add_paragraph(runs(text, false));
        self
    }

    /// A paragraph in bold, for a warning such as "Confidential".
    pub fn strong(mut self, text: &str) -> Doc {
        self.docx = self.docx.add_paragraph(runs(text, true));
        self
    }

    /// A table across the page: a bold header row, then the rows (each as many cells as the header).
    pub fn table(mut self, header: &[&str], rows: &[Vec<String>]) -> Doc {
        let cell = |text: &str, bold: bool| TableCell::new().add_paragraph(runs(text, bold));
        let mut all =
            vec![TableRow::new(header.iter().map(|h| cell(h, true)).collect()).cant_split()];
        all.extend(
            rows.iter()
                .map(|r| TableRow::new(r.iter().map(|t| cell(t, false)).collect())),
        );
        let grid = vec![TEXT_WIDTH / header.len().max(1); header.len()];
        self.docx = self
            .docx
            .add_table(
                Table::new(all)
                    .set_grid(grid)
                    .width(TEXT_WIDTH, WidthType::Dxa),
            )
            .add_paragraph(Paragraph::new());
        self
    }

    /// A two-column table of labels and values (a form's rows), labels in bold.
    pub fn form(mut self, rows: &[(&str, String)]) -> Doc {
        let all = rows
            .iter()
            .map(|(k, v)| {
                TableRow::new(vec![
                    TableCell::new()
                        .add_paragraph(runs(k, true))
                        .width(TEXT_WIDTH * 3 / 10, WidthType::Dxa),
                    TableCell::new()
                        .add_paragraph(runs(v, false))
                        .width(TEXT_WIDTH * 7 / 10, WidthType::Dxa),
                ])
                .cant_split()
            })
            .collect();
        let grid = vec![TEXT_WIDTH * 3 / 10, TEXT_WIDTH * 7 / 10];
        self.docx = self
            .docx
            .add_table(
                Table::new(all)
                    .set_grid(grid)
                    .width(TEXT_WIDTH, WidthType::Dxa),
            )
            .add_paragraph(Paragraph::new());
        self
    }

    /// The finished .docx file.
    pub fn bytes(self) -> Result<Vec<u8>, String> {
        let mut xml = self.docx.build();
        // docx-rs has no setter for the title property: write it (and the language) into
        // docProps/core.xml, where Word and screen readers look for them.
        let core = String::from_utf8_lossy(&xml.doc_props.core).into_owned();
        let core = core
            .replace(
                "<dc:creator>unknown</dc:creator>",
                "<dc:creator>MP162 consultation explorer</dc:creator>",
            )
            .replace(
                "</cp:coreProperties>",
                &format!(
                    "<dc:title>{}</dc:title><dc:language>en-GB</dc:language></cp:coreProperties>",
                    escape(&self.title)
                ),
            );
        xml.doc_props.core = core.into_bytes();
        let mut out = std::io::Cursor::new(Vec::new());
        xml.pack(&mut out)
            .map_err(|e| format!("the Word file could not be written ({e})"))?;
        Ok(out.into_inner())
    }
}
