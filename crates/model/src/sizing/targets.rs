//! Targets such as `mhhs_delivered_by_needed_by>=0.95`: a key figure, a comparison and a value.
//!
//! Any key figure of [`crate::preview::PREVIEW_AGREEMENT`] can be a target; shares may be
//! written as percentages (`95%`).

use crate::preview::{PREVIEW_AGREEMENT, agreement};

/// How a figure must compare with the target value.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Op {
    AtLeast,
    AtMost,
    Above,
    Below,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::AtMost => "<=",
            Op::Above => ">",
            Op::Below => "<",
        }
    }
    /// True when a higher figure is better (the target asks for at least or above a value).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Op::AtLeast | Op::Above)
    }
}

/// One target on one key figure.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Target {
    pub figure: &'static str,
    pub op: Op,
    pub value: f64,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.figure, self.op.symbol(), self.value)
    }
}

/// The names of the key figures a target may use.
pub fn figure_names() -> Vec<&'static str> {
    PREVIEW_AGREEMENT.iter().map(|a| a.figure).collect()
}

impl Target {
    /// Reads `FIGURE>=VALUE` (or `<=`, `>`, `<`); the message says what is wrong.
    pub fn parse(text: &str) -> Result<Target, String> {
        let text = text.trim();
        let example = "write it as FIGURE>=VALUE, e.g. 'mhhs_delivered_by_needed_by>=0.95'";
        let (at, op, len) = [
            (">=", Op::AtLeast),
            ("<=", Op::AtMost),
            (">", Op::Above),
            ("<", Op::Below),
        ]
        .iter()
        .find_map(|(sym, op)| text.find(sym).map(|i| (i, *op, sym.len())))
        .ok_or_else(|| format!("target '{text}' has no comparison: {example}"))?;
        let name = text[..at].trim();
        let value_text = text[at + len..].trim();
        let figure = agreement(name).map(|a| a.figure).ok_or_else(|| {
            format!(
                "target '{text}': '{name}' is not a key figure; the figures are {}",
                figure_names().join(", ")
            )
        })?;
        let (number, scale) = match value_text.strip_suffix('%') {
            Some(n) => (n.trim(), 100.0),
            None => (value_text, 1.0),
        };
        let value = number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| v / scale)
            .ok_or_else(|| format!("target '{text}': '{value_text}' is not a number; {example}"))?;
        Ok(Target { figure, op, value })
    }

    /// Whether `figure` (this target's figure) meets the target.
    pub fn met(&self, figure: f64) -> bool {
        match self.op {
            Op::AtLeast => figure >= self.value,
            Op::AtMost => figure <= self.value,
            Op::Above => figure > self.value,
            Op::Below => figure < self.value,
        }
    }

    /// How far `figure` is on the good side of the target (negative when short of it).
    pub fn slack(&self, figure: f64) -> f64 {
        if self.op.higher_is_better() {
            figure - self.value
        } else {
            self.value - figure
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_targets_and_percentages() {
        let t = Target::parse("mhhs_delivered_by_needed_by>=95%").unwrap();
        assert_eq!(t.figure, "mhhs_delivered_by_needed_by");
        assert_eq!(t.op, Op::AtLeast);
        assert!((t.value - 0.95).abs() < 1e-12);
        assert!(t.met(0.95) && !t.met(0.949));
        let t = Target::parse(" mhhs_requests_in_working_hours <= 0 ").unwrap();
        assert_eq!(t.op, Op::AtMost);
        assert!(t.met(0.0) && !t.met(1.0));
        assert_eq!(t.slack(3.0), -3.0);
        assert_eq!(t.to_string(), "mhhs_requests_in_working_hours<=0");
    }

    #[test]
    fn malformed_targets_say_what_is_wrong() {
        for (text, says) in [
            ("mhhs_delivered_by_needed_by=0.95", "no comparison"),
            ("delivered>=0.95", "'delivered' is not a key figure"),
            (
                "mhhs_delivered_by_needed_by>=lots",
                "'lots' is not a number",
            ),
            ("mhhs_delivered_by_needed_by>=", "is not a number"),
        ] {
            let e = Target::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
