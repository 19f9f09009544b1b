//! What a chart shows, as plain data: its finding (title), a text description, the series, and the
//! same numbers as a table, as CSV and as a one-line readout of a chosen point. Drawing it
//! ([`super::draw`]) and the page around it ([`super::view`]) both read from this, so the picture,
//! the table, the downloads and the screen-reader text cannot disagree.

use crate::present::format::{clock, csv_text, number};

/// The x axis: hours of the day (line charts) or named categories (bar charts).
#[derive(Clone, Debug, PartialEq)]
pub enum Axis {
    /// Point positions in hours from 00:00 on D.
    Hours(Vec<f64>),
    /// Bar groups, left to right.
    Categories(Vec<String>),
    /// Points at values of an assumption (a capacity), ascending; `x_desc` names its unit.
    Values(Vec<f64>),
}

/// How a table row summarises the points within one hour of a line chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hourly {
    /// The mean of the hour (rates, backlogs).
    Mean,
    /// The value at the end of the hour (running totals, shares delivered so far).
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// Index into the palette of [`super::draw`].
    pub colour: usize,
    /// One value per x position; NaN where there is nothing to show.
    pub values: Vec<f64>,
}

/// A vertical line with a label (the needed-by time, a TRT deadline).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub at_h: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Used in element ids and file names: `load`, `backlog`, ...
    pub id: &'static str,
    /// The finding, stated as a sentence.
    pub title: String,
    /// The text alternative: what is drawn and what it shows.
    pub description: String,
    pub x: Axis,
    pub x_desc: String,
    pub y_desc: String,
    /// Values are shares (0..1) shown as percentages.
    pub percent: bool,
    pub series: Vec<Series>,
    /// Shaded spans of the x axis (working hours), in hours.
    pub shade: Vec<(f64, f64)>,
    pub markers: Vec<Marker>,
    /// Legend in the lower right (where the lines leave room), not the upper right.
    pub legend_lower: bool,
    pub hourly: Hourly,
    /// Unit of the values in the table and readout ("requests/s", "requests", ...).
    pub unit: &'static str,
}

impl Figure {
    /// Number of x positions (points or categories).
    pub fn len(&self) -> usize {
        match &self.x {
            Axis::Hours(h) => h.len(),
            Axis::Categories(c) => c.len(),
            Axis::Values(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The x position's name: a time of day or a category.
    pub fn x_label(&self, i: usize) -> String {
        match &self.x {
            // Points sit mid-span: name the span ("01:00–01:15").
            Axis::Hours(h) => {
                let half = h.first().copied().unwrap_or(0.0);
                h.get(i)
                    .map(|x| format!("{}–{}", clock(x - half), clock(x + half)))
                    .unwrap_or_default()
            }
            Axis::Categories(c) => c.get(i).cloned().unwrap_or_default(),
            Axis::Values(v) => v.get(i).map(|x| number(*x)).unwrap_or_default(),
        }
    }

    /// A value as the table, readout and CSV-free text show it.
    pub fn value_text(&self, v: f64) -> String {
        if v.is_nan() {
            "–".into()
        } else if self.percent {
            format!("{:.1}%", v * 100.0)
        } else {
            number(v)
        }
    }

    /// Smallest value drawn, or 0 if none is below it (bars may go below zero: a tornado).
    pub fn y_min(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::min)
    }

    /// Largest value drawn (for the y range).
    pub fn y_max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }

    /// One line saying every series' value at x position `i`: what hover and the keyboard show.
    pub fn readout(&self, i: usize) -> String {
        let values: Vec<String> = self
            .series
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s.label,
                    self.value_text(s.values.get(i).copied().unwrap_or(f64::NAN))
                )
            })
            .collect();
        let unit = if self.percent {
            String::new()
        } else {
            format!(" ({})", self.unit)
        };
        format!("{}{unit}: {}", self.x_label(i), values.join("; "))
    }

    /// The "show as table" view: a header and rows of text. Line charts give one row per hour.
    pub fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec![match &self.x {
            Axis::Hours(_) => "Hour from 00:00 on D".to_string(),
            Axis::Categories(_) | Axis::Values(_) => self.x_desc.clone(),
        }];
        header.extend(self.series.iter().map(|s| s.label.clone()));
        let rows = match &self.x {
            Axis::Categories(_) | Axis::Values(_) => (0..self.len())
                .map(|i| {
                    let mut row = vec![self.x_label(i)];
                    row.extend(self.series.iter().map(|s| self.value_text(s.values[i])));
                    row
                })
                .collect(),
            Axis::Hours(h) => {
                let hours = h.last().map(|x| x.ceil() as usize).unwrap_or(0);
                (0..hours)
                    .map(|hour| {
                        let idx: Vec<usize> = (0..h.len())
                            .filter(|&i| h[i] >= hour as f64 && h[i] < hour as f64 + 1.0)
                            .collect();
                        let mut row = vec![clock(hour as f64)];
                        for s in &self.series {
                            let vals: Vec<f64> = idx
                                .iter()
                                .map(|&i| s.values[i])
                                .filter(|v| v.is_finite())
                                .collect();
                            let v = match (self.hourly, vals.last()) {
                                (_, None) => f64::NAN,
                                (Hourly::Last, Some(v)) => *v,
                                (Hourly::Mean, Some(_)) => {
                                    vals.iter().sum::<f64>() / vals.len() as f64
                                }
                            };
                            row.push(self.value_text(v));
                        }
                        row
                    })
                    .collect()
            }
        };
        (header, rows)
    }

    /// Every point as CSV, with machine-friendly column names and plain numbers.
    pub fn csv(&self) -> String {
        let column = |label: &str| {
            let mut c: String = label
                .to_lowercase()
                .chars()
                .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
                .collect();
            while c.contains("__") {
                c = c.replace("__", "_");
            }
            c.trim_matches('_').to_string()
        };
        let mut out = match &self.x {
            Axis::Hours(_) => "hour_from_00_00_on_D".to_string(),
            Axis::Categories(_) | Axis::Values(_) => column(&self.x_desc),
        };
        for s in &self.series {
            out.push(',');
            out.push_str(&column(&s.label));
        }
        out.push('\n');
        for i in 0..self.len() {
            match &self.x {
                Axis::Hours(h) => out.push_str(&format!("{:.3}", h[i])),
                Axis::Categories(c) => out.push_str(&csv_text(&c[i])),
                Axis::Values(v) => out.push_str(&v[i].to_string()),
            }
            for s in &self.series {
                let v = s.values[i];
                if v.is_finite() {
                    out.push_str(&format!(
                        ",{}",
                        if self.percent {
                            format!("{v:.4}")
                        } else {
                            format!("{v:.2}")
                        }
                    ));
                } else {
                    out.push(',');
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub fn lines() -> Figure {
        Figure {
            id: "t",
            title: "T".into(),
            description: "D".into(),
            x: Axis::Hours((0..8).map(|i| i as f64 * 0.25 + 0.125).collect()),
            x_desc: "hours".into(),
            y_desc: "y".into(),
            percent: false,
            series: vec![Series {
                label: "CSP North".into(),
                colour: 0,
                values: (0..8).map(|i| i as f64).collect(),
            }],
            shade: vec![],
            markers: vec![],
            legend_lower: false,
            hourly: Hourly::Mean,
            unit: "requests/s",
        }
    }

    #[test]
    fn table_rows_summarise_each_hour() {
        let mut f = lines();
        let (header, rows) = f.table();
        assert_eq!(header, vec!["Hour from 00:00 on D", "CSP North"]);
        assert_eq!(
            rows,
            vec![
                vec!["00:00".to_string(), "1.5".into()],
                vec!["01:00".into(), "5.5".into()]
            ]
        );
        f.hourly = Hourly::Last;
        assert_eq!(f.table().1[1][1], "7");
    }

    #[test]
    fn csv_and_readout_carry_every_point() {
        let f = lines();
        let csv = f.csv();
        assert_eq!(csv.lines().count(), 9);
        assert!(csv.starts_with("hour_from_00_00_on_D,csp_north\n0.125,0.00\n"));
        assert_eq!(f.readout(4), "01:00–01:15 (requests/s): CSP North 4");
    }
}
