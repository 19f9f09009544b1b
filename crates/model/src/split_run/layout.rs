//! Who runs which route in a split run: some routes beside the DSP, the rest shared out over one
//! or more route parts, each on a thread (natively) or a Web Worker (in the page) of its own.
//!
//! The DSP is about 30–35% of a GB day's work and cannot be split (it is one sequential server).
//! The routes share the rest: CSP North 11%, Central and South 16% each, the S1SP cohorts IOC 5%,
//! MOC 8%, FOC 13% (each stage timed on one thread natively). So a run gains from up to about
//! three parts, and can use up to six (one per route); the report is the same whatever the layout.

use serde::{Deserialize, Serialize};

use super::super::routes::ROUTES;

/// Each route's share of a GB day's work, in percent, in route order (CSP North, Central,
/// South, S1SP IOC, MOC, FOC): each stage timed on one thread natively on the
/// DCC-recommendation day (2.3, 3.4, 3.4, 1.2, 1.6 and 2.8 s of 21.4 s; the DSP 6.3 s). The
/// shares before, from the routes' device attempts (S1SP 4, 5 and 8), left out a cohort's handler
/// and cache.
const ROUTE_WORK: [u32; ROUTES.len()] = [11, 16, 16, 5, 8, 13];

/// The most threads or workers a run uses: the DSP's and one for each route.
pub const MOST_WORKERS: usize = 1 + ROUTES.len();

/// The routes beside the DSP, and the route parts (the first part writes the report).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub beside: Vec<usize>,
    pub parts: Vec<Vec<usize>>,
}

impl Layout {
    /// The layout for `workers` threads or Web Workers in all (2 to [`MOST_WORKERS`]; outside
    /// that, the nearest). Two: the DSP with CSP North and S1SP MOC beside it (about half the
    /// work each: on one thread natively the DSP takes 6.3 s of a GB day, the routes 2.3, 3.4,
    /// 3.4, 1.2, 1.6 and 2.8 s in route order, the trait table 0.4 s), the other four in one
    /// part. In headless Chromium the page's full run took 14.1-15.3 s so (median 14.4), against
    /// 14.7-16.1 s (median 15.6) with S1SP IOC in MOC's place, both workers now waiting about
    /// as long (0.8-1.2 s each) where the routes' worker had waited 0.9 s and the DSP's 1.3-1.9 s;
    /// all three S1SP cohorts beside the DSP make it the one waited for (16.7-17.5 s). More: the
    /// DSP alone, and the routes dealt out over the parts largest first, each to the part with
    /// least work so far.
    pub fn for_workers(workers: usize) -> Layout {
        let parts = workers.clamp(2, MOST_WORKERS) - 1;
        if parts == 1 {
            return Layout {
                beside: vec![0, 4],
                parts: vec![vec![1, 2, 3, 5]],
            };
        }
        let mut order: Vec<usize> = (0..ROUTES.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ROUTE_WORK[i]));
        let mut shared = vec![(0u32, Vec::new()); parts];
        for i in order {
            let lightest = (0..parts)
                .min_by_key(|&p| shared[p].0)
                .expect("at least two parts");
            shared[lightest].0 += ROUTE_WORK[i];
            shared[lightest].1.push(i);
        }
        Layout {
            beside: Vec::new(),
            parts: shared.into_iter().map(|(_, routes)| routes).collect(),
        }
    }

    /// The layout for a machine with `cores` cores: one more thread than cores, at least three
    /// (with three threads on two cores the operating system gives the cores to whichever can
    /// run, so no core waits while the balance of work moves between the DSP and the routes
    /// over the day).
    pub fn for_cores(cores: usize) -> Layout {
        Layout::for_workers((cores + 1).max(3))
    }

    /// Threads or workers the layout uses: the DSP's and one per part.
    pub fn workers(&self) -> usize {
        1 + self.parts.len()
    }

    /// `routes` as flags in route order.
    pub(super) fn runs(routes: &[usize]) -> [bool; ROUTES.len()] {
        std::array::from_fn(|i| routes.contains(&i))
    }

    /// What is wrong with a layout read from a message: each route must be run exactly once, by
    /// the DSP's half or by one part, and there must be at least one part.
    pub fn problem(&self) -> Option<String> {
        if self.parts.is_empty() || self.parts.iter().any(Vec::is_empty) {
            return Some("a split run needs at least one part, and no empty part".into());
        }
        let mut seen = [0u32; ROUTES.len()];
        for &i in self.beside.iter().chain(self.parts.iter().flatten()) {
            match seen.get_mut(i) {
                Some(n) => *n += 1,
                None => return Some(format!("there is no route {i}")),
            }
        }
        let wrong = seen.iter().position(|&n| n != 1);
        wrong.map(|i| format!("route {i} is run {} times, not once", seen[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_runs_each_route_once() {
        for workers in 0..12 {
            let layout = Layout::for_workers(workers);
            assert_eq!(layout.problem(), None, "{workers} workers: {layout:?}");
            assert_eq!(layout.workers(), workers.clamp(2, MOST_WORKERS));
        }
        assert_eq!(
            Layout::for_workers(3).parts,
            vec![vec![1, 5, 3], vec![2, 0, 4]],
            "two parts of about a third each: CSP Central, S1SP FOC and IOC; South, North and MOC"
        );
        assert_eq!(Layout::for_cores(2).workers(), 3);
        assert_eq!(Layout::for_cores(16).workers(), MOST_WORKERS);
        let twice = Layout {
            beside: vec![0],
            parts: vec![vec![0, 1, 2, 3, 4, 5]],
        };
        assert_eq!(
            twice.problem().as_deref(),
            Some("route 0 is run 2 times, not once")
        );
        let missing = Layout {
            beside: vec![],
            parts: vec![vec![0, 1, 2, 3, 4, 9]],
        };
        assert_eq!(missing.problem().as_deref(), Some("there is no route 9"));
    }
}
