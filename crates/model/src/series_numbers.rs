//! A report's minute-by-minute series as one list of numbers, for sending a report from a Web
//! Worker to the page without writing its series as text.
//!
//! A preview's report is about 700 KB of JSON, and all but 20 KB of it is its series: some 77,000
//! numbers (two days of minutes, for each route and kind). Reading them back from text was about
//! a quarter of Explore's preview update (its median went from 61–64 ms to 44–48 ms without it),
//! and a worker's message on Respond's technical section took 42–61 ms of the page's thread in a
//! trace. So a worker sends the report's JSON without the numbers ([`take`]) and the
//! numbers as one `Float32Array`, which the page copies back in place ([`put`]). The series are
//! `f32` already, so the report that arrives is the one sent, to the bit.

use serde::{Deserialize, Serialize};

use super::report::{Report, Series};

/// How many numbers each of the series' lists held, in the order [`take`] lists them, so that
/// [`put`] can hand each list its own and tell a damaged message from a whole one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lengths(pub Vec<u32>);

/// Every list of `series`, in one fixed order: each route's MHHS then existing dispatches, the
/// DSP's backlog, each route's waiting, each route's in flight, each user group's delivered share.
fn lists(series: &mut Series) -> Vec<&mut Vec<f32>> {
    let mut out = Vec::new();
    for r in &mut series.dispatched_per_s {
        out.push(&mut r.mhhs);
        out.push(&mut r.existing);
    }
    out.push(&mut series.backlog_dsp);
    out.extend(series.backlog_route.iter_mut());
    out.extend(series.in_flight_route.iter_mut());
    out.extend(series.delivered_share.iter_mut());
    out
}

/// Moves the numbers out of `report`'s series (which keeps its shape: route names, bin length,
/// empty lists), returning them and how many each list held. A report without series gives none.
pub fn take(report: &mut Report) -> (Vec<f32>, Lengths) {
    let Some(series) = report.series.as_mut() else {
        return (Vec::new(), Lengths::default());
    };
    let mut numbers = Vec::new();
    let mut lengths = Vec::new();
    for list in lists(series) {
        lengths.push(list.len() as u32);
        numbers.append(list);
    }
    (numbers, Lengths(lengths))
}

/// Puts back into `report` the numbers [`take`] moved out. An error (never a panic) when they do
/// not fit its series: another count of lists, or of numbers.
pub fn put(report: &mut Report, numbers: &[f32], lengths: &Lengths) -> Result<(), String> {
    let Some(series) = report.series.as_mut() else {
        return match numbers.is_empty() && lengths.0.is_empty() {
            true => Ok(()),
            false => Err("numbers came for a report without series".into()),
        };
    };
    let mut lists = lists(series);
    if lists.len() != lengths.0.len() {
        return Err(format!(
            "the series have {} lists, the numbers {}",
            lists.len(),
            lengths.0.len()
        ));
    }
    let total: u64 = lengths.0.iter().map(|&n| n as u64).sum();
    if total != numbers.len() as u64 {
        return Err(format!(
            "{} numbers came for series of {total}",
            numbers.len()
        ));
    }
    let mut rest = numbers;
    for (list, &n) in lists.iter_mut().zip(&lengths.0) {
        let (mine, after) = rest.split_at(n as usize);
        list.clear();
        list.extend_from_slice(mine);
        rest = after;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::preset;
    use crate::{RunOptions, run};

    fn preview(series: bool) -> Report {
        run(
            &preset("dcc-recommendation").unwrap(),
            RunOptions {
                sample: 0.0005,
                series,
                ..Default::default()
            },
        )
    }

    #[test]
    fn a_report_taken_apart_and_put_back_is_the_same_to_the_bit() {
        let whole = preview(true);
        let mut sent = whole.clone();
        let (numbers, lengths) = take(&mut sent);
        // Every number left the report: its JSON is the small part.
        let series = sent.series.as_ref().unwrap();
        assert!(series.backlog_dsp.is_empty() && series.dispatched_per_s[0].mhhs.is_empty());
        assert_eq!(
            series.dispatched_per_s.len(),
            6,
            "the series keep their shape"
        );
        assert!(numbers.len() > 50_000, "{} numbers", numbers.len());
        let json = serde_json::to_string(&(&sent, &lengths)).unwrap();
        assert!(json.len() < 40_000, "{} bytes of JSON", json.len());
        let (mut back, lengths): (Report, Lengths) = serde_json::from_str(&json).unwrap();
        put(&mut back, &numbers, &lengths).unwrap();
        assert_eq!(back, whole);
    }

    #[test]
    fn a_report_without_series_takes_and_puts_nothing() {
        let whole = preview(false);
        let mut sent = whole.clone();
        let (numbers, lengths) = take(&mut sent);
        assert!(numbers.is_empty() && lengths.0.is_empty());
        put(&mut sent, &numbers, &lengths).unwrap();
        assert_eq!(sent, whole);
        assert!(put(&mut sent, &[1.0], &Lengths(vec![1])).is_err());
    }

    #[test]
    fn numbers_that_do_not_fit_are_refused() {
        let mut sent = preview(true);
        let (numbers, lengths) = take(&mut sent);
        let short = &numbers[..numbers.len() - 1];
        assert!(
            put(&mut sent.clone(), short, &lengths)
                .unwrap_err()
                .contains("numbers came")
        );
        let mut fewer = lengths.clone();
        fewer.0.pop();
        assert!(
            put(&mut sent.clone(), &numbers, &fewer)
                .unwrap_err()
                .contains("lists")
        );
    }
}
