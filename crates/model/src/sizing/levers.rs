//! A lever: one number that moves one assumption of a scenario, so a sweep, a sizing search or a
//! tornado can treat every assumption alike.
//!
//! - a number field (`routes.dsp_per_s`, `routes.s1sp_per_s[1]`) is set to the number;
//! - a group of numbers (`routes.s1sp_per_s`, every cohort; `routes`, every capacity) is scaled
//!   by it (×1 is the scenario);
//! - a window (`schedules.supplier_window`) is shifted by it, in hours (0 is the scenario);
//! - one share of a split (`population.region_shares[0]`) is set to it and the other shares
//!   rescaled so the split still adds up to one.
//!
//! A lever only makes scenarios that validate: [`Lever::at`] refuses the rest with the problems.

use serde_json::{Number, Value};

use crate::fields::{to_value, walk};
use crate::scenario::{FieldError, Scenario};

/// Splits whose shares add up to one: moving one share rescales the others.
const SPLITS: &[&str] = &["population.region_shares", "population.cohort_shares"];

/// What a lever's number means.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeverKind {
    /// The field's own value (a whole number if `integer`).
    Number { integer: bool },
    /// A factor on every number of the group (`integer` when they are all whole numbers, which
    /// stay whole); a group may be an array (`routes.s1sp_per_s`) or a section made of numbers
    /// only (`routes`: every route's capacity at once).
    Scale { integer: bool },
    /// Hours added to both ends of a window.
    Shift,
    /// One share of a split; the others keep their proportions.
    Share { index: usize },
}

/// One number that moves one field (or group) of a scenario.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Lever {
    pub path: String,
    pub kind: LeverKind,
}

/// A number, or a group (array or object) made only of numbers.
fn all_numbers(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(all_numbers),
        Value::Object(map) => !map.is_empty() && map.values().all(all_numbers),
        _ => false,
    }
}

/// Multiplies every number in `v` by `x`, whole numbers staying whole.
fn scale<E>(
    v: &mut Value,
    x: f64,
    number: &dyn Fn(f64, bool) -> Result<Value, E>,
) -> Result<(), E> {
    match v {
        Value::Number(n) => {
            let integer = n.is_u64();
            *v = number(n.as_f64().unwrap_or(0.0) * x, integer)?;
        }
        Value::Array(items) => {
            for item in items {
                scale(item, x, number)?;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                scale(item, x, number)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn problem(path: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: path.to_string(),
        message: message.into(),
    }
}

impl Lever {
    /// The lever for `path` in `base`, or why there is none.
    pub fn new(base: &Scenario, path: &str) -> Result<Lever, FieldError> {
        let path = crate::scenario::current_path(path).into_owned();
        let mut v = to_value(base);
        let node = walk(&mut v, &path).ok_or_else(|| {
            problem(
                &path,
                "is not a field of the scenario (see `mp162 show <preset>` for the fields)",
            )
        })?;
        let kind = match &*node {
            Value::Number(n) => {
                let split = path
                    .rsplit_once('[')
                    .filter(|(parent, _)| SPLITS.contains(parent))
                    .and_then(|(_, i)| i.trim_end_matches(']').parse().ok());
                match split {
                    Some(index) => LeverKind::Share { index },
                    None => LeverKind::Number {
                        integer: n.is_u64(),
                    },
                }
            }
            Value::Array(items) if items.iter().all(Value::is_number) && !items.is_empty() => {
                if SPLITS.contains(&path.as_str()) {
                    return Err(problem(
                        &path,
                        "is a split that adds up to one: name one share of it, e.g. \
                         population.region_shares[0]",
                    ));
                }
                LeverKind::Scale {
                    integer: items.iter().all(|x| x.is_u64()),
                }
            }
            Value::Object(map) if map.contains_key("start_h") => LeverKind::Shift,
            Value::Object(map) if map.values().all(all_numbers) => {
                LeverKind::Scale { integer: false }
            }
            Value::Object(_) => {
                return Err(problem(
                    &path,
                    "names a group of fields that are not all numbers; name one of them",
                ));
            }
            _ => {
                return Err(problem(
                    &path,
                    "is not a number, so it cannot be swept or sized (set it in the scenario)",
                ));
            }
        };
        if path == "seed" || path == "version" {
            return Err(problem(
                &path,
                "is not an assumption (use --seeds to vary the seed)",
            ));
        }
        Ok(Lever { path, kind })
    }

    /// The lever's value in `base`: the field's value, ×1 for a group, 0 h for a window.
    pub fn value_in(&self, base: &Scenario) -> f64 {
        match self.kind {
            LeverKind::Scale { .. } => 1.0,
            LeverKind::Shift => 0.0,
            _ => {
                let mut v = to_value(base);
                walk(&mut v, &self.path)
                    .and_then(|x| x.as_f64())
                    .unwrap_or(0.0)
            }
        }
    }

    /// Whether the lever only takes whole numbers (as itself; a scaled group rounds each value).
    pub fn integer(&self) -> bool {
        matches!(self.kind, LeverKind::Number { integer: true })
    }

    /// `x` as the lever can take it (whole numbers rounded).
    pub fn normalise(&self, x: f64) -> f64 {
        if self.integer() { x.round() } else { x }
    }

    /// Whether values are positive numbers that move by factors (a search steps geometrically).
    pub fn multiplicative(&self, x: f64) -> bool {
        matches!(
            self.kind,
            LeverKind::Number { .. } | LeverKind::Scale { .. }
        ) && x > 0.0
    }

    /// The unit of the lever's number, for labels.
    pub fn unit(&self) -> &'static str {
        match self.kind {
            LeverKind::Scale { .. } => "× today's values",
            LeverKind::Shift => "hours later",
            LeverKind::Share { .. } => "share",
            LeverKind::Number { .. } => {
                crate::sources::provenance(crate::fields::provenance_path(&self.path))
                    .map_or("", |p| p.unit)
            }
        }
    }

    /// `base` with the lever at `x`, if that scenario validates; else every problem.
    pub fn at(&self, base: &Scenario, x: f64) -> Result<Scenario, Vec<FieldError>> {
        let bad = |m: String| vec![problem(&self.path, m)];
        if !x.is_finite() {
            return Err(bad(format!("cannot take {x}")));
        }
        let mut v = to_value(base);
        let node = walk(&mut v, &self.path).ok_or_else(|| bad("is not a field".into()))?;
        let number = |y: f64, integer: bool| -> Result<Value, Vec<FieldError>> {
            if integer {
                if y < 0.0 || y.round() > u64::MAX as f64 {
                    return Err(bad(format!(
                        "cannot take {y}: it must be a whole number 0 or more"
                    )));
                }
                Ok(Value::Number(Number::from(y.round() as u64)))
            } else {
                Number::from_f64(y)
                    .map(Value::Number)
                    .ok_or_else(|| bad(format!("cannot take {y}")))
            }
        };
        match self.kind {
            LeverKind::Number { integer } => *node = number(x, integer)?,
            LeverKind::Scale { .. } => scale(node, x, &number)?,
            LeverKind::Shift => {
                if let Value::Object(map) = node {
                    for end in ["start_h", "end_h"] {
                        if let Some(h) = map.get_mut(end) {
                            let y = h.as_f64().unwrap_or(0.0) + x;
                            *h = number(y, false)?;
                        }
                    }
                }
            }
            LeverKind::Share { index } => {
                let parent_path = self.path.rsplit_once('[').map_or("", |(p, _)| p);
                let parent =
                    walk(&mut v, parent_path).ok_or_else(|| bad("is not a field".into()))?;
                if let Value::Array(items) = parent {
                    let shares: Vec<f64> =
                        items.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect();
                    let others: f64 = shares
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != index)
                        .map(|(_, s)| s)
                        .sum();
                    let n_others = (shares.len() - 1).max(1) as f64;
                    for (i, item) in items.iter_mut().enumerate() {
                        let y = if i == index {
                            x
                        } else if others > 0.0 {
                            shares[i] * (1.0 - x) / others
                        } else {
                            (1.0 - x) / n_others
                        };
                        *item = number(y, false)?;
                    }
                }
            }
        }
        let s: Scenario =
            serde_json::from_value(v).map_err(|e| bad(format!("cannot take {x}: {e}")))?;
        let problems = s.validate();
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(problems)
        }
    }

    /// The smallest and largest values the lever can take from `base` and still make a scenario
    /// that validates (found by bisection on validation alone: no runs).
    pub fn valid_bounds(&self, base: &Scenario) -> (f64, f64) {
        let x0 = self.value_in(base);
        let ok = |x: f64| self.at(base, x).is_ok();
        let (down, up) = match self.kind {
            LeverKind::Shift => (-48.0, 48.0),
            LeverKind::Share { .. } => (0.0, 1.0),
            _ => (0.0, if x0 > 0.0 { x0 * 1e9 } else { 1e12 }),
        };
        let edge = |limit: f64| -> f64 {
            if ok(limit) {
                return limit;
            }
            // `inside` validates, `outside` does not.
            let (mut inside, mut outside) = (x0, limit);
            for _ in 0..80 {
                let mid = if inside > 0.0 && outside > 0.0 {
                    (inside * outside).sqrt()
                } else {
                    0.5 * (inside + outside)
                };
                if ok(mid) { inside = mid } else { outside = mid }
            }
            if self.integer() {
                // Round inward to a whole number that validates.
                let r = if outside > inside {
                    inside.floor()
                } else {
                    inside.ceil()
                };
                if ok(r) { r } else { inside.round() }
            } else {
                inside
            }
        };
        if !ok(x0) {
            return (x0, x0);
        }
        (edge(down), edge(up))
    }

    /// The scenario's value of the moved field at `x`, for a report (the scaled group's numbers,
    /// the shifted window, the rescaled split).
    pub fn shown_at(&self, base: &Scenario, x: f64) -> Value {
        let path = match self.kind {
            LeverKind::Share { .. } => self
                .path
                .rsplit_once('[')
                .map_or(self.path.as_str(), |(p, _)| p),
            _ => self.path.as_str(),
        };
        self.at(base, x)
            .ok()
            .and_then(|s| walk(&mut to_value(&s), path).cloned())
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_kind_of_lever_moves_its_field() {
        let s = Scenario::default();
        let dsp = Lever::new(&s, "routes.dsp_per_s").unwrap();
        assert_eq!(dsp.kind, LeverKind::Number { integer: false });
        assert_eq!(dsp.at(&s, 3000.0).unwrap().routes.dsp_per_s, 3000.0);

        let s1 = Lever::new(&s, "routes.s1sp_per_s").unwrap();
        assert_eq!(s1.value_in(&s), 1.0);
        assert_eq!(
            s1.at(&s, 2.0).unwrap().routes.s1sp_per_s,
            [200.0, 200.0, 300.0]
        );

        let slots = Lever::new(&s, "routes.csp_in_flight").unwrap();
        assert_eq!(slots.kind, LeverKind::Scale { integer: true });
        assert_eq!(
            slots.at(&s, 0.5).unwrap().routes.csp_in_flight,
            [3000, 4500, 4500]
        );

        let w = Lever::new(&s, "schedules.supplier_window").unwrap();
        let moved = w.at(&s, 1.0).unwrap().schedules.supplier_window;
        assert_eq!((moved.start_h, moved.end_h), (1.5, 7.5));

        let north = Lever::new(&s, "population.region_shares[0]").unwrap();
        assert_eq!(north.kind, LeverKind::Share { index: 0 });
        let split = north.at(&s, 0.4).unwrap().population.region_shares;
        assert!((split[0] - 0.4).abs() < 1e-12 && (split[1] - 0.3).abs() < 1e-12);
        assert_eq!(north.shown_at(&s, 0.4), json!([0.4, 0.3, 0.3]));

        let routes = Lever::new(&s, "routes").unwrap();
        let doubled = routes.at(&s, 2.0).unwrap().routes;
        assert_eq!(
            (doubled.dsp_per_s, doubled.csp_in_flight[0]),
            (5000.0, 12000)
        );

        let attempts = Lever::new(&s, "devices.max_attempts").unwrap();
        assert!(attempts.integer());
        assert_eq!(attempts.at(&s, 6.4).unwrap().devices.max_attempts, 6);
    }

    #[test]
    fn bounds_are_the_valid_range() {
        let s = Scenario::default();
        let (lo, hi) = Lever::new(&s, "routes.dsp_per_s").unwrap().valid_bounds(&s);
        assert!(
            (lo - 0.01).abs() < 1e-6 && (hi - 1e6).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = Lever::new(&s, "devices.max_attempts")
            .unwrap()
            .valid_bounds(&s);
        assert_eq!((lo, hi), (1.0, 20.0));
        let (lo, hi) = Lever::new(&s, "schedules.supplier_window")
            .unwrap()
            .valid_bounds(&s);
        assert!(
            (lo + 0.5).abs() < 1e-9 && (hi - 17.5).abs() < 1e-9,
            "{lo} {hi}"
        );
        // A scaled median stops where it would pass its 95th percentile (North: 10 s against 25 s).
        let (_, hi) = Lever::new(&s, "devices.smets2_median_s")
            .unwrap()
            .valid_bounds(&s);
        assert!((hi - 2.5).abs() < 1e-6, "{hi}");
    }

    #[test]
    fn bad_levers_say_what_to_name_instead() {
        let s = Scenario::default();
        for (path, says) in [
            ("routes.dsp", "not a field"),
            ("cache.enabled", "not a number"),
            ("population.region_shares", "name one share"),
            ("policy", "not all numbers"),
            ("seed", "--seeds"),
        ] {
            let e = Lever::new(&s, path).unwrap_err();
            assert_eq!(e.field, path);
            assert!(e.message.contains(says), "{path}: {}", e.message);
        }
        let dsp = Lever::new(&s, "routes.dsp_per_s").unwrap();
        assert_eq!(dsp.at(&s, -1.0).unwrap_err()[0].field, "routes.dsp_per_s");
    }
}
