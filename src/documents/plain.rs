//! Text from a respondent made safe for a document or a spreadsheet cell. XML 1.0 cannot carry
//! most control characters (a file holding one will not open), so they are dropped; line ends
//! become `\n`; text longer than a spreadsheet cell holds is cut with a note. Markup and formula
//! prefixes (`<b>`, `=SUM(…)`) stay as the characters they are: the writers store text as text.

/// Characters a spreadsheet cell holds (Excel's limit is 32,767).
pub const MAX_CELL_CHARS: usize = 32_000;

/// The text without characters a document cannot hold, with `\n` line ends.
pub fn plain(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            c == '\n' || c == '\t' || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect()
}

/// [`plain`] text, cut to what one spreadsheet cell holds.
pub fn cell(text: &str) -> String {
    let text = plain(text);
    if text.chars().count() <= MAX_CELL_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS).collect();
    cut.push_str(" … [cut: the full text is in the response file]");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_everything_else_stays() {
        assert_eq!(
            plain("a\u{0}b\u{7}c\r\nd\re\tf\u{1b}[31m"),
            "abc\nd\ne\tf[31m"
        );
        assert_eq!(
            plain("=SUM(A1) <b>bold</b> & \"q\""),
            "=SUM(A1) <b>bold</b> & \"q\""
        );
        assert_eq!(plain("naïve – “quoted” 😀"), "naïve – “quoted” 😀");
    }

    #[test]
    fn a_cell_holds_at_most_its_limit() {
        let long = "x".repeat(MAX_CELL_CHARS + 10);
        let c = cell(&long);
        assert!(c.starts_with(&"x".repeat(MAX_CELL_CHARS)));
        assert!(c.ends_with("in the response file]"));
        assert!(c.chars().count() < MAX_CELL_CHARS + 100);
    }
}
