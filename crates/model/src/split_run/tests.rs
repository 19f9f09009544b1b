//! The split run against the whole run, and damaged messages.

use super::messages::{DISPATCH_BYTES, HEADER_BYTES};
use super::*;
use crate::run;
use crate::test_support::{small, without_clock};

/// Runs the halves in turn on one thread, in slices of `slice` events, passing messages as
/// two workers would (as bytes, if `wire`); the DSP runs as far ahead as the protocol lets it.
fn split(s: &Scenario, slice: u64, beside: &[usize], wire: bool) -> Report {
    let options = RunOptions {
        series: true,
        ..Default::default()
    };
    let mut dsp = Some(DspHalf::with_beside(s, options.clone(), beside));
    let mut routes = RoutesHalf::with_beside(s, options, beside);
    let mut to_routes: VecDeque<FromDsp> = VecDeque::new();
    let mut to_dsp: VecDeque<Retries> = VecDeque::new();
    let carry = |m: FromDsp| match wire {
        true => FromDsp::from_bytes(&m.to_bytes()).expect("hand-overs read back"),
        false => m,
    };
    let carry_back = |m: Retries| match wire {
        true => Retries::from_bytes(&m.to_bytes()).expect("retries read back"),
        false => m,
    };
    while !routes.is_finished() {
        if let Some(d) = dsp.as_mut() {
            while let Some(m) = to_dsp.pop_front() {
                d.take_retries(m).expect("retries come in order");
            }
            while d.can_go_on() {
                if let Some(m) = d.advance(&mut slice.clone()) {
                    to_routes.push_back(carry(m));
                }
            }
            if d.is_finished() {
                to_routes.push_back(carry(dsp.take().expect("still here").close()));
            }
        }
        while let Some(m) = to_routes.pop_front() {
            routes.receive(m).expect("hand-overs come in order");
        }
        // One step of the routes at most, so the DSP is often a step ahead.
        while routes.can_go_on() {
            if let Some(m) = routes.advance(&mut slice.clone()) {
                to_dsp.push_back(carry_back(m));
                break;
            }
        }
    }
    routes.report().expect("the run finished")
}

/// The whole run, on one thread, with its series.
fn on_one_thread(s: &Scenario) -> Report {
    let options = RunOptions {
        series: true,
        threads: 1,
        ..Default::default()
    };
    run(s, options)
}

#[test]
fn a_split_run_gives_the_report_a_whole_run_gives() {
    let s = small();
    let whole = without_clock(&on_one_thread(&s));
    for beside in [BESIDE_THE_DSP, &[], &[3, 5], &[0, 1, 2, 3, 4, 5]] {
        assert_eq!(
            whole,
            without_clock(&split(&s, u64::MAX, beside, true)),
            "{beside:?}"
        );
    }
    assert_eq!(whole, without_clock(&split(&s, 1_009, &[1, 4], false)));
    // A retry delay of three steps: the DSP may run only two steps ahead of what it heard.
    let mut tight = s.clone();
    tight.devices.retry_after_h = 3.0 / 60.0;
    assert_eq!(
        without_clock(&on_one_thread(&tight)),
        without_clock(&split(&tight, 5_003, &[2], true))
    );
    // D+1's own collection: its requests carry their night across, as bytes.
    let mut two_nights = s.clone();
    two_nights.collection.next_night = true;
    two_nights.population.meters = 60_000;
    assert_eq!(
        without_clock(&on_one_thread(&two_nights)),
        without_clock(&split(&two_nights, u64::MAX, &[0, 3], true))
    );
    let whole: Report = serde_json::from_str(&whole).expect("report reads back");
    assert!(whole.requests.failed > 0 && whole.key_figures.cache_hits > 0);
}

#[test]
fn damaged_messages_are_refused_not_panicked_on() {
    let s = small();
    let mut routes = RoutesHalf::with_beside(&s, RunOptions::default(), &[]);
    let mut dsp = DspHalf::with_beside(&s, RunOptions::default(), &[]);
    let first = dsp.advance(&mut u64::MAX.clone()).expect("a first step");
    let good = first.to_bytes();
    assert!(good.len() > HEADER_BYTES, "the first step sends something");
    let mut wrong_length = good.clone();
    wrong_length.pop();
    let mut bad_request = good.clone();
    bad_request[HEADER_BYTES + DISPATCH_BYTES - 4] = 0xFF; // an unknown service request
    let mut huge_count = good.clone();
    huge_count[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    for (msg, why) in [
        (&good[..3], "cut short"),
        (&wrong_length[..], "wrong length"),
        (&huge_count[..], "count"),
        (&bad_request[..], "bad request"),
        (&b"END1{not json"[..], "closing"),
        (&b"END1{}"[..], "closing without accounts"),
    ] {
        assert!(FromDsp::from_bytes(msg).is_err(), "{why} is refused");
    }
    assert_eq!(
        Retries::from_bytes(&good).err(),
        Some(SplitError::Malformed("of the wrong kind"))
    );
    let again = || FromDsp::from_bytes(&good).expect("the real one reads");
    routes.receive(again()).expect("and is taken");
    assert_eq!(
        routes.receive(again()),
        Err(SplitError::OutOfOrder {
            expected: 1,
            got: 0
        })
    );
    assert_eq!(routes.report().err(), Some(SplitError::Unfinished));
}
