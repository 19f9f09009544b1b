//! Scenario fields by path: read and change one assumption named like `population.export_share`,
//! `population.region_shares[1]` or `schedules.supplier_window.start_h`, and list what differs
//! between two scenarios.
//!
//! The explorer's controls, shared links and a respondent's portfolio all speak in these paths, the
//! same ones [`Scenario::validate`] names in its problems and [`super::sources`] keys its table by.

use serde_json::Value;

use super::scenario::{FieldError, Scenario};

/// One step of a path: an object key or an array index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        out.push(Step::Key(key));
        let mut rest = rest;
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index = rest.get(1..close)?.parse().ok()?;
            out.push(Step::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    Some(out)
}

/// Finds a field by its path (an old name from [`super::scenario::RENAMED_FIELDS`] finds the
/// field under its new name, so links made before a rename still work).
pub(crate) fn walk<'v>(v: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let path = super::scenario::current_path(path);
    let mut at = v;
    for step in steps(&path)? {
        at = match step {
            Step::Key(k) => at.as_object_mut()?.get_mut(k)?,
            Step::Index(i) => at.as_array_mut()?.get_mut(i)?,
        };
    }
    Some(at)
}

pub(crate) fn to_value(s: &Scenario) -> Value {
    // A scenario is plain data (numbers, text, flags): serialising it cannot fail.
    serde_json::to_value(s).unwrap_or(Value::Null)
}

/// The value of one leaf field (a number, flag or text), or `None` if the path names no such field.
pub fn get(s: &Scenario, path: &str) -> Option<Value> {
    let mut v = to_value(s);
    walk(&mut v, path)
        .filter(|x| !x.is_object() && !x.is_array())
        .cloned()
}

/// A copy of `s` with one leaf field changed. The new value must have the field's type (a number
/// for a number, a whole number for a count, a flag for a flag); the result is not validated.
pub fn set(s: &Scenario, path: &str, value: Value) -> Result<Scenario, FieldError> {
    let problem = |message: String| FieldError {
        field: path.to_string(),
        message,
    };
    let mut v = to_value(s);
    let slot =
        walk(&mut v, path).ok_or_else(|| problem("is not a field of the scenario".into()))?;
    if slot.is_object() || slot.is_array() {
        return Err(problem("names a group of fields; name one of them".into()));
    }
    let same_kind = matches!(
        (&*slot, &value),
        (Value::Number(_), Value::Number(_))
            | (Value::Bool(_), Value::Bool(_))
            | (Value::String(_), Value::String(_))
    );
    if !same_kind {
        return Err(problem(format!("expects {}, not {value}", kind(slot))));
    }
    *slot = value;
    serde_json::from_value(v).map_err(|e| problem(format!("cannot take that value: {e}")))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Number(n) if n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::Bool(_) => "true or false",
        Value::String(_) => "text",
        _ => "a value",
    }
}

/// Every leaf field as (path, value), groups in alphabetical order.
pub fn leaves(s: &Scenario) -> Vec<(String, Value)> {
    fn go(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    go(&p, x, out);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    go(&format!("{prefix}[{i}]"), x, out);
                }
            }
            leaf => out.push((prefix.to_string(), leaf.clone())),
        }
    }
    let mut out = Vec::new();
    go("", &to_value(s), &mut out);
    out
}

/// The fields where `s` differs from `base`, as (path, value in `s`).
pub fn differences(base: &Scenario, s: &Scenario) -> Vec<(String, Value)> {
    // The common case (nothing changed) without turning both into JSON trees.
    if base == s {
        return Vec::new();
    }
    let before = leaves(base);
    leaves(s)
        .into_iter()
        .zip(before)
        .filter(|(now, was)| now.1 != was.1)
        .map(|(now, _)| now)
        .collect()
}

/// The path of the provenance row a leaf belongs to: `population.region_shares[1]` belongs to
/// `population.region_shares`, `schedules.supplier_window.start_h` to `schedules.supplier_window`.
pub fn provenance_path(path: &str) -> &str {
    let path = path.split('[').next().unwrap_or(path);
    path.strip_suffix(".start_h")
        .or_else(|| path.strip_suffix(".end_h"))
        .unwrap_or(path)
}

/// Whether a validation problem (about `problem_field`) concerns the leaf at `path`: the same
/// field, or a group the leaf belongs to (a window, an array of shares).
pub fn concerns(problem_field: &str, path: &str) -> bool {
    path == problem_field
        || path
            .strip_prefix(problem_field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_changes_leaves_by_path() {
        let s = Scenario::default();
        assert_eq!(get(&s, "population.export_share"), Some(json!(0.015)));
        // A link made before a field was renamed still finds it.
        assert_eq!(get(&s, "devices.smets2_failure"), Some(json!(0.02)));
        let t = set(&s, "devices.smets1_failure", json!(0.1)).unwrap();
        assert_eq!(t.devices.smets1_attempt_failure, 0.1);
        assert_eq!(get(&s, "population.cohort_shares[2]"), Some(json!(0.46)));
        assert_eq!(get(&s, "schedules.supplier_window.end_h"), Some(json!(6.5)));
        assert_eq!(get(&s, "population"), None, "a group is not a leaf");
        let t = set(&s, "population.cohort_shares[0]", json!(0.3)).unwrap();
        assert_eq!(t.population.cohort_shares[0], 0.3);
        let t = set(&t, "cache.enabled", json!(true)).unwrap();
        assert!(t.cache.enabled);
        assert_eq!(
            differences(&s, &t),
            vec![
                ("cache.enabled".into(), json!(true)),
                ("population.cohort_shares[0]".into(), json!(0.3))
            ]
        );
    }

    #[test]
    fn bad_paths_and_values_name_the_field() {
        let s = Scenario::default();
        for (path, v) in [
            ("population.smets3", json!(1)),
            ("population.cohort_shares[7]", json!(0.1)),
            ("population[0]", json!(1)),
            ("x..y", json!(1)),
            ("population.cohort_shares[a]", json!(1)),
            ("cache.enabled", json!(1)),
            ("devices.max_attempts", json!(2.5)),
            ("devices.max_attempts", json!(-1)),
            ("population", json!(1)),
        ] {
            let e = set(&s, path, v).unwrap_err();
            assert_eq!(e.field, path);
            assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn every_leaf_has_a_provenance_row() {
        for (path, _) in leaves(&Scenario::default()) {
            assert!(
                super::super::sources::provenance(provenance_path(&path)).is_some(),
                "{path}"
            );
        }
    }

    #[test]
    fn problems_concern_their_field_and_its_parts() {
        assert!(concerns(
            "population.region_shares",
            "population.region_shares[1]"
        ));
        assert!(concerns(
            "schedules.supplier_window",
            "schedules.supplier_window.start_h"
        ));
        assert!(concerns("cache.lifetime_h", "cache.lifetime_h"));
        assert!(!concerns("cache.lifetime", "cache.lifetime_h"));
    }
}
