//! Turning what a person typed into a control into a changed scenario, or a message naming the
//! control. Only a scenario that validates leaves here, so bad input never reaches the model.

use serde_json::{Number, Value};

use super::catalogue::{Control, Kind};
use crate::model::{Scenario, fields};

/// The control's value in `s`, as its input shows it (percentages for shares).
pub fn shown(c: &Control, s: &Scenario) -> String {
    show_value(c, fields::get(s, c.path))
}

/// A field's value as the control's input shows it.
pub fn show_value(c: &Control, v: Option<Value>) -> String {
    match v {
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::String(t)) => t,
        Some(Value::Number(n)) => {
            let x = n.as_f64().unwrap_or(0.0) * if c.percent { 100.0 } else { 1.0 };
            tidy(x)
        }
        _ => String::new(),
    }
}

/// A number without float noise: `8`, `37.5`, `0.25`.
pub fn tidy(x: f64) -> String {
    let s = format!("{:.6}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The unit the input is typed in.
pub fn unit(c: &Control) -> &'static str {
    if c.percent {
        "%"
    } else {
        crate::model::sources::provenance(fields::provenance_path(c.path))
            .map(|p| p.unit)
            .unwrap_or("")
    }
}

/// `s` with the control set to `text`, validated; or what is wrong, in words that name the control.
pub fn apply(c: &Control, s: &Scenario, text: &str) -> Result<Scenario, String> {
    let value = parse(c, text)?;
    let mut next =
        fields::set(s, c.path, value).map_err(|e| format!("{}: {}", c.label, e.message))?;
    if let Some(rest) = c.balance {
        // The last share takes up the rest, so the shares keep adding up to 100%.
        let stem = rest.split('[').next().unwrap_or(rest);
        let others: f64 = (0..2)
            .map(|i| {
                fields::get(&next, &format!("{stem}[{i}]"))
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0)
            })
            .sum();
        let left = ((1.0 - others) * 1e9).round() / 1e9;
        if left < 0.0 {
            return Err(format!(
                "{}: the shares before the last add up to more than 100%; lower one of them first",
                c.label
            ));
        }
        next = fields::set(&next, rest, number(left)?).map_err(|e| e.message)?;
    }
    let problems: Vec<_> = next
        .validate()
        .into_iter()
        .filter(|p| {
            fields::concerns(&p.field, c.path)
                || c.balance.is_some_and(|b| fields::concerns(&p.field, b))
        })
        .collect();
    match problems.first() {
        None if next.validate().is_empty() => Ok(next),
        None => Err(format!(
            "{}: this value conflicts with another assumption ({})",
            c.label,
            next.validate()[0].message
        )),
        Some(p) => Err(format!("{}: {}", c.label, p.message)),
    }
}

fn number(x: f64) -> Result<Value, String> {
    Number::from_f64(x)
        .map(Value::Number)
        .ok_or_else(|| "is not a finite number".to_string())
}

fn parse(c: &Control, text: &str) -> Result<Value, String> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', "");
    let unit = unit(c);
    let between = |lo: String, hi: String| {
        format!(
            "{}: enter a number from {lo} to {hi}{}",
            c.label,
            if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            }
        )
    };
    match c.kind {
        Kind::Flag => match t.as_str() {
            "true" | "on" | "yes" => Ok(Value::Bool(true)),
            "false" | "off" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("{}: choose on or off", c.label)),
        },
        Kind::Choice(options) => options
            .iter()
            .find(|o| o.0 == t)
            .map(|o| Value::String(o.0.into()))
            .ok_or_else(|| format!("{}: choose one of the options", c.label)),
        Kind::Whole { min, max } => {
            let err = || between(min.to_string(), max.to_string());
            if t.is_empty() {
                return Err(format!("{}: enter a whole number", c.label));
            }
            let n: u64 = t.parse().map_err(|_| {
                if t.parse::<f64>().is_ok_and(|x| x.fract() != 0.0) {
                    format!("{}: enter a whole number (no decimals)", c.label)
                } else {
                    err()
                }
            })?;
            if n < min || n > max {
                Err(err())
            } else {
                Ok(Value::Number(n.into()))
            }
        }
        Kind::Number { min, max, .. } => {
            if t.is_empty() {
                return Err(format!("{}: enter a number", c.label));
            }
            let x: f64 = t
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| between(tidy(min), tidy(max)))?;
            if x < min || x > max {
                return Err(between(tidy(min), tidy(max)));
            }
            number(if c.percent { x / 100.0 } else { x })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::controls::catalogue::control;

    #[test]
    fn shows_shares_as_percentages() {
        let s = Scenario::default();
        assert_eq!(
            shown(control("population.export_share").unwrap(), &s),
            "1.5"
        );
        assert_eq!(
            shown(control("population.region_shares[1]").unwrap(), &s),
            "37.5"
        );
        assert_eq!(shown(control("cache.enabled").unwrap(), &s), "false");
        assert_eq!(
            shown(control("policy.discipline").unwrap(), &s),
            "on_demand_first"
        );
        assert_eq!(unit(control("routes.dsp_per_s").unwrap()), "requests/s");
    }

    #[test]
    fn valid_text_changes_the_scenario() {
        let s = Scenario::default();
        let t = apply(control("population.export_share").unwrap(), &s, " 12.5 % ").unwrap();
        assert_eq!(t.population.export_share, 0.125);
        let t = apply(control("devices.max_attempts").unwrap(), &s, "3").unwrap();
        assert_eq!(t.devices.max_attempts, 3);
        let t = apply(control("cache.enabled").unwrap(), &s, "true").unwrap();
        assert!(t.cache.enabled);
        let t = apply(control("routes.csp_in_flight[1]").unwrap(), &s, "12,000").unwrap();
        assert_eq!(t.routes.csp_in_flight[1], 12_000);
    }

    #[test]
    fn the_last_share_takes_up_the_rest() {
        let s = Scenario::default();
        let t = apply(control("population.region_shares[0]").unwrap(), &s, "40").unwrap();
        assert_eq!(t.population.region_shares, [0.4, 0.375, 0.225]);
        assert!(t.validate().is_empty());
        let e = apply(control("population.region_shares[0]").unwrap(), &s, "70").unwrap_err();
        assert!(e.contains("more than 100%"), "{e}");
    }

    #[test]
    fn bad_text_is_refused_with_a_message_naming_the_control() {
        let s = Scenario::default();
        for (path, text, says) in [
            (
                "population.export_share",
                "abc",
                "enter a number from 0 to 100 %",
            ),
            ("population.export_share", "", "enter a number"),
            ("population.export_share", "150", "from 0 to 100"),
            ("population.export_share", "NaN", "enter a number"),
            ("population.export_share", "1e400", "enter a number"),
            ("devices.max_attempts", "2.5", "no decimals"),
            ("devices.max_attempts", "-1", "from 1 to 20"),
            ("population.meters", "99999999999", "from 1000 to 60000000"),
            ("cache.enabled", "maybe", "on or off"),
            ("policy.discipline", "<script>", "choose one"),
            (
                "schedules.supplier_window.start_h",
                "7",
                "must end after it starts",
            ),
            ("devices.smets2_p95_s[0]", "5", "at least the median"),
        ] {
            let c = control(path).unwrap();
            let e = apply(c, &s, text).unwrap_err();
            assert!(
                e.starts_with(c.label) && e.contains(says),
                "{path} {text:?}: {e}"
            );
        }
    }
}
