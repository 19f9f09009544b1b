//! Numbers and times as the pages show them: `1,234,567`, `4.5`, `06:30`, `06:15 on D+1`, `+41%`.

/// A time in hours from 00:00 on D, as a clock time (with "on D+1" past midnight).
pub fn clock(h: f64) -> String {
    let day = if h >= 24.0 { " on D+1" } else { "" };
    let m = ((h % 24.0) * 60.0).round() as u32;
    format!("{:02}:{:02}{day}", (m / 60) % 24, m % 60)
}

/// A whole number with thousands separators.
pub fn thousands(x: f64) -> String {
    let n = x.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A measured quantity: whole numbers with separators from 10 up, one decimal below, two below 1
/// (so 0.03 is not "0").
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x.abs() >= 10.0 {
        thousands(x)
    } else {
        let s = if x.abs() < 1.0 {
            format!("{x:.2}")
        } else {
            format!("{x:.1}")
        };
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        if s == "-0" { "0".into() } else { s }
    }
}

/// A label inside a sentence: "Validation reads" → "validation reads"; "DSP throughput" and
/// "SMETS2 share" are kept as they are.
pub fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if b.is_lowercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// An ISO 8601 time (`2026-11-28T20:56:12.676Z`) as people read it: `28 November 2026 at 20:56 UTC`.
/// Anything else is returned as it is.
pub fn iso_time(t: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parsed = (|| {
        let (y, m, d) = (
            t.get(0..4)?.parse::<u32>().ok()?,
            t.get(5..7)?.parse::<usize>().ok()?,
            t.get(8..10)?.parse::<u32>().ok()?,
        );
        let hm = t.get(11..16)?;
        (t.get(4..5)? == "-" && t.get(10..11)? == "T" && (1..=12).contains(&m))
            .then(|| format!("{d} {} {y} at {hm} UTC", MONTHS[m - 1]))
    })();
    parsed.unwrap_or_else(|| t.to_string())
}

/// A share (0..1) as a percentage with one decimal.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Seconds as the most readable unit: `850 ms`, `12.5 s`, `4.2 min`, `3.1 h`.
pub fn duration(s: f64) -> String {
    if !s.is_finite() {
        "–".into()
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 120.0 {
        format!("{} s", number(s))
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// A CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
/// is prefixed with `'` so a spreadsheet never runs it as a formula.
pub fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A search's reason for no answer, in a few words for a chart (the command line says it in full).
pub fn short_reason(why: &str) -> String {
    if why.contains("does not move") {
        "the figure does not move with this capacity, so something else decides it".into()
    } else if why.contains("no value meets") {
        "no value meets the target, up to the most this capacity may be; something else limits it"
            .into()
    } else if why.contains("is met at every value") {
        "the target is met whatever this capacity".into()
    } else {
        why.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-999.0), "-999");
        assert_eq!(clock(6.5), "06:30");
        assert_eq!(clock(30.25), "06:15 on D+1");
        assert_eq!(number(4.0), "4");
        assert_eq!(number(4.25), "4.2");
        assert_eq!(number(12345.0), "12,345");
        assert_eq!(number(0.03), "0.03");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(0.001), "0");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(0.0), "0");
        assert_eq!(in_sentence("Validation reads"), "validation reads");
        assert_eq!(in_sentence("DSP throughput"), "DSP throughput");
        assert_eq!(percent(0.123), "12.3%");
        assert_eq!(
            iso_time("2026-11-28T20:56:12.676Z"),
            "28 November 2026 at 20:56 UTC"
        );
        assert_eq!(iso_time("yesterday"), "yesterday");
        assert_eq!(duration(0.2), "200 ms");
        assert_eq!(duration(30.0), "30 s");
        assert_eq!(duration(600.0), "10.0 min");
        assert_eq!(duration(36000.0), "10.0 h");
    }

    #[test]
    fn csv_text_is_safe_in_a_spreadsheet() {
        assert_eq!(csv_text("plain"), "plain");
        assert_eq!(csv_text("a, b"), "\"a, b\"");
        assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
