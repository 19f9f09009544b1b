//! Shared links: the explorer's scenario in the address, as a preset plus the fields changed from
//! it (`#/explore?preset=dcc-recommendation&cache.enabled=true&population.export_share=0.1`).
//! Readable, short, and stable across app versions as long as the field paths are.
//!
//! Reading a link never trusts it: each field is checked on its own; what cannot be used is
//! reported by name and left at the default, and the rest still applies.

use serde_json::Value;

use crate::model::presets::{PRESETS, preset};
use crate::model::{Scenario, fields};

/// Longest link the explorer reads; real ones are a few hundred characters.
pub const MAX_LINK: usize = 4000;

/// The hash of a link to this scenario, started from the named preset.
pub fn encode(preset_name: &str, defaults: &Scenario, s: &Scenario) -> String {
    let mut out = format!("#/explore?preset={}", escape(preset_name));
    for (path, v) in fields::differences(defaults, s) {
        let text = match v {
            Value::String(t) => t,
            // 1800.0 reads better as 1800, and means the same to every number field.
            Value::Number(n)
                if n.as_f64()
                    .is_some_and(|x| x.fract() == 0.0 && x.abs() < 1e15) =>
            {
                format!("{}", n.as_f64().unwrap_or(0.0) as i64)
            }
            other => other.to_string(),
        };
        out.push_str(&format!("&{}={}", escape(&path), escape(&text)));
    }
    out
}

/// What a link asks for: the preset, the scenario (always valid), and the problems met.
#[derive(Debug, PartialEq)]
pub struct Link {
    pub preset: String,
    pub scenario: Scenario,
    pub problems: Vec<String>,
}

/// Reads the scenario a link's hash describes. `None` when the hash carries no settings.
pub fn decode(hash: &str) -> Option<Link> {
    let query = hash.split_once('?')?.1;
    let default_preset = PRESETS[1].name.to_string();
    let fallback = |problem: String| Link {
        preset: default_preset.clone(),
        scenario: preset(&default_preset).unwrap_or_default(),
        problems: vec![problem],
    };
    if query.len() > MAX_LINK {
        return Some(fallback(format!(
            "The link is longer than {MAX_LINK} characters, so it was not read; the defaults are shown."
        )));
    }
    let mut problems = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match (unescape(k), unescape(v)) {
            (Some(k), Some(v)) => pairs.push((k, v)),
            _ => problems.push(format!(
                "“{}” is not properly encoded and was ignored.",
                shorten(part)
            )),
        }
    }
    let mut name = default_preset.clone();
    if let Some((_, p)) = pairs.iter().find(|(k, _)| k == "preset") {
        if preset(p).is_some() {
            name = p.clone();
        } else {
            problems.push(format!(
                "The starting point “{}” does not exist; the DCC recommendation is used.",
                shorten(p)
            ));
        }
    }
    let base = preset(&name).unwrap_or_default();
    let fields: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "preset").collect();
    // All together first: a window moved later changes both ends, and either alone may not fit.
    let together = fields.iter().try_fold(base.clone(), |s, (path, text)| {
        parse(&s, path, text).and_then(|v| fields::set(&s, path, v).map_err(|e| e.message))
    });
    if let Ok(s) = together {
        if s.validate().is_empty() {
            return Some(Link {
                preset: name,
                scenario: s,
                problems,
            });
        }
    }
    let mut s = base.clone();
    for (path, text) in fields {
        match apply(&s, path, text) {
            Ok(next) => s = next,
            Err(why) => problems.push(format!("“{}” {why}; its default is kept.", shorten(path))),
        }
    }
    Some(Link {
        preset: name,
        scenario: s,
        problems,
    })
}

/// One field from a link, kept only if the scenario stays valid in that field.
fn apply(s: &Scenario, path: &str, text: &str) -> Result<Scenario, String> {
    let value = parse(s, path, text)?;
    let next = fields::set(s, path, value).map_err(|e| e.message)?;
    match next
        .validate()
        .into_iter()
        .find(|p| fields::concerns(&p.field, path) || p.field.starts_with(path))
    {
        Some(p) => Err(p.message),
        None if next.validate().is_empty() => Ok(next),
        None => Err("conflicts with another assumption".into()),
    }
}

/// A link's text as a value of the field's own kind.
fn parse(s: &Scenario, path: &str, text: &str) -> Result<Value, String> {
    if path == "version" || path == "name" {
        return Err("cannot be set by a link".into());
    }
    match fields::get(s, path).ok_or("is not an assumption of this model")? {
        Value::String(_) => Ok(Value::String(text.to_string())),
        _ => serde_json::from_str::<Value>(text).map_err(|_| {
            format!(
                "has a value that is not a number or flag ({})",
                shorten(text)
            )
        }),
    }
}

/// At most 60 characters of untrusted text, for messages.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._-[]".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_the_scenario() {
        let base = preset("original-tom").unwrap();
        let mut s = base.clone();
        s.cache.enabled = true;
        s.population.region_shares = [0.4, 0.375, 0.225];
        s.policy.discipline = crate::model::station::Discipline::Fifo;
        s.seed = 7;
        let hash = encode("original-tom", &base, &s);
        assert!(hash.starts_with("#/explore?preset=original-tom&"), "{hash}");
        assert!(hash.contains("cache.enabled=true"));
        let link = decode(&hash).unwrap();
        assert_eq!(link.problems, Vec::<String>::new());
        assert_eq!(link.preset, "original-tom");
        assert_eq!(link.scenario, s);
        assert_eq!(decode("#/explore"), None);
    }

    #[test]
    fn a_link_made_before_a_field_was_renamed_still_applies() {
        let link =
            decode("#/explore?preset=dcc-recommendation&devices.smets2_failure=0.2").unwrap();
        assert_eq!(link.scenario.devices.smets2_attempt_failure, 0.2);
        assert!(link.problems.is_empty(), "{:?}", link.problems);
    }

    #[test]
    fn damaged_and_hostile_links_fall_back_field_by_field() {
        let link = decode("#/explore?preset=nope&population.export_share=2&cache.enabled=maybe&routes.dsp_per_s=900&x.y=1&%ZZ=1&name=%3Cscript%3E").unwrap();
        assert_eq!(link.preset, "dcc-recommendation");
        assert_eq!(
            link.scenario.routes.dsp_per_s, 900.0,
            "good fields still apply"
        );
        assert_eq!(link.scenario.population.export_share, 0.015);
        assert!(!link.scenario.cache.enabled);
        assert!(link.scenario.validate().is_empty());
        let all = link.problems.join("\n");
        for says in [
            "“nope” does not exist",
            "“population.export_share”",
            "“cache.enabled”",
            "“x.y” is not an assumption",
            "not properly encoded",
            "“name” cannot be set",
        ] {
            assert!(all.contains(says), "missing {says:?} in {all}");
        }
        let long = format!("#/explore?{}", "a=1&".repeat(2000));
        let link = decode(&long).unwrap();
        assert!(link.problems[0].contains("longer than"));
        assert_eq!(link.scenario, preset("dcc-recommendation").unwrap());
        // A window whose end moves before its start is refused, not half-applied.
        let link = decode("#/explore?schedules.supplier_window.end_h=0.25").unwrap();
        assert_eq!(link.scenario.schedules.supplier_window.end_h, 6.5);
        assert_eq!(link.problems.len(), 1);
        let link = decode(
            "#/explore?schedules.supplier_window.start_h=10&schedules.supplier_window.end_h=14",
        )
        .unwrap();
        assert_eq!(
            (
                link.scenario.schedules.supplier_window.start_h,
                link.problems.len()
            ),
            (10.0, 0),
            "both ends move together"
        );
    }
}
