//! The split run against the whole run, and damaged messages.

use super::messages::{DISPATCH_BYTES, HEADER_BYTES};
use super::*;
use crate::run;
use crate::test_support::{small, without_clock};

/// Runs the DSP's half and the parts in turn on one thread, in slices of `slice` events, passing
/// messages as Web Workers would (as bytes, if `wire`); the DSP runs as far ahead as the protocol
/// lets it, and each part runs one step at a time.
fn split(s: &Scenario, slice: u64, layout: &Layout, wire: bool) -> Report {
    let options = RunOptions {
        series: true,
        ..Default::default()
    };
    assert_eq!(layout.problem(), None);
    let mut dsp = Some(DspHalf::new(s, options.clone(), layout));
    let mut parts: Vec<Option<RoutesHalf>> = (0..layout.parts.len())
        .map(|p| Some(RoutesHalf::new(s, options.clone(), layout, p)))
        .collect();
    let mut to_parts: Vec<VecDeque<FromDsp>> =
        layout.parts.iter().map(|_| VecDeque::new()).collect();
    let mut to_dsp: VecDeque<FromRoutes> = VecDeque::new();
    let carry = |m: FromDsp| match wire {
        true => FromDsp::from_bytes(&m.to_bytes()).expect("hand-overs read back"),
        false => m,
    };
    let carry_back = |m: FromRoutes| match wire {
        true => FromRoutes::from_bytes(&m.to_bytes()).expect("retries read back"),
        false => m,
    };
    loop {
        if let Some(d) = dsp.as_mut() {
            while let Some(m) = to_dsp.pop_front() {
                d.receive(m).expect("retries come in order");
            }
            while d.can_go_on() {
                if let Some(sent) = d.advance(&mut slice.clone()) {
                    for (queue, m) in to_parts.iter_mut().zip(sent) {
                        // As the workers do: once written, the lists go back to the DSP.
                        let m = match wire {
                            true => {
                                let mut bytes = Vec::new();
                                m.write(&mut bytes);
                                d.take_back(m);
                                FromDsp::from_bytes(&bytes).expect("hand-overs read back")
                            }
                            false => m,
                        };
                        queue.push_back(m);
                    }
                }
            }
            if d.is_finished() {
                to_parts[0].push_back(carry(dsp.take().expect("still here").close()));
            }
        }
        for (slot, queue) in parts.iter_mut().zip(&mut to_parts) {
            let Some(part) = slot.as_mut() else { continue };
            while let Some(m) = queue.pop_front() {
                part.receive(m).expect("hand-overs come in order");
            }
            while part.can_go_on() {
                if let Some(m) = part.advance(&mut slice.clone()) {
                    to_dsp.push_back(carry_back(m));
                    break;
                }
            }
            if part.is_finished() {
                let part = slot.take().expect("here");
                if part.writes_the_report() {
                    return part.report().expect("the run finished");
                }
                to_dsp.push_back(carry_back(part.accounts().expect("finished")));
            }
        }
    }
}

/// A layout with `beside` beside the DSP and the other routes in one part.
fn beside(routes: &[usize]) -> Layout {
    Layout {
        beside: routes.to_vec(),
        parts: vec![(0..6).filter(|i| !routes.contains(i)).collect()],
    }
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
    let mut layouts: Vec<Layout> = (2..=MOST_WORKERS).map(Layout::for_workers).collect();
    layouts.extend([beside(&[]), beside(&[3, 5])]);
    for layout in &layouts {
        assert_eq!(
            whole,
            without_clock(&split(&s, u64::MAX, layout, true)),
            "{layout:?}"
        );
    }
    assert_eq!(
        whole,
        without_clock(&split(&s, 1_009, &beside(&[1, 4]), false))
    );
    assert_eq!(
        whole,
        without_clock(&split(&s, 2_003, &Layout::for_workers(4), false))
    );
    // A retry delay of three steps: the DSP may run only two steps ahead of what it heard.
    let mut tight = s.clone();
    tight.devices.retry_after_h = 3.0 / 60.0;
    assert_eq!(
        without_clock(&on_one_thread(&tight)),
        without_clock(&split(&tight, 5_003, &Layout::for_workers(3), true))
    );
    // D+1's own collection: its requests carry their night across, as bytes.
    let mut two_nights = s.clone();
    two_nights.collection.next_night = true;
    two_nights.population.meters = 60_000;
    assert_eq!(
        without_clock(&on_one_thread(&two_nights)),
        without_clock(&split(&two_nights, u64::MAX, &Layout::for_workers(5), true))
    );
    let whole: Report = serde_json::from_str(&whole).expect("report reads back");
    assert!(whole.requests.failed > 0 && whole.key_figures.cache_hits > 0);
}

#[test]
fn damaged_messages_are_refused_not_panicked_on() {
    let s = small();
    let layout = beside(&[]);
    let mut routes = RoutesHalf::new(&s, RunOptions::default(), &layout, 0);
    let mut dsp = DspHalf::new(&s, RunOptions::default(), &layout);
    let first = dsp.advance(&mut u64::MAX.clone()).expect("a first step");
    let good = first[0].to_bytes();
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
        FromRoutes::from_bytes(&good).err(),
        Some(SplitError::Malformed("of the wrong kind"))
    );
    for (msg, why) in [
        (&b"ACC1[null]"[..], "accounts not one per route"),
        (&b"ACC1{"[..], "accounts not json"),
    ] {
        assert!(FromRoutes::from_bytes(msg).is_err(), "{why} is refused");
    }
    // Accounts from the part that writes the report (it sends none) are refused.
    let own = FromRoutes::Accounts(
        (0..6)
            .map(|_| Some((0, crate::report::Recorder::new(&s))))
            .collect(),
    );
    assert!(dsp.receive(own).is_err());
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

/// A worker sends a step's lists as their header and each list's words, copied straight into
/// the message's buffer, and reads them back the same way: the bytes are those of
/// [`FromDsp::to_bytes`], and a damaged entry is found by its place.
#[test]
fn lists_copied_as_words_are_the_message_bytes() {
    let s = small();
    let layout = beside(&[]);
    let mut dsp = DspHalf::new(&s, RunOptions::default(), &layout);
    let first = dsp.advance(&mut u64::MAX.clone()).expect("a first step");
    let (head, lists) = first[0].parts().expect("a hand-over carries lists");
    let mut copied = head.to_vec();
    for w in lists.words().flatten() {
        copied.extend_from_slice(&w.to_le_bytes());
    }
    let bytes = first[0].to_bytes();
    assert_eq!(copied, bytes);
    assert_eq!(lists.message_len(), bytes.len());
    assert!(carries_lists(&bytes) && !carries_lists(b"END1{}"));
    let from_words = |damaged: Option<usize>| {
        let mut words = lists
            .words()
            .flatten()
            .copied()
            .collect::<Vec<u64>>()
            .into_iter();
        let mut at = 0;
        FromDsp::from_parts(bytes.len(), &head, &mut |list: &mut [u64]| {
            for w in list.iter_mut() {
                *w = words.next().expect("as many words as the header says");
                if damaged == Some(at / 3) && at % 3 == 2 {
                    *w |= 0xFF << 32; // an unknown service request
                }
                at += 1;
            }
        })
    };
    let read = from_words(None).expect("the lists read back");
    assert_eq!(read.to_bytes(), bytes);
    let n = (bytes.len() - HEADER_BYTES) / DISPATCH_BYTES;
    assert_eq!(
        from_words(Some(n - 1)).err(),
        Some(SplitError::BadRequest { entry: n - 1 })
    );
    let short = FromDsp::from_parts(bytes.len() - 8, &head, &mut |_: &mut [u64]| {});
    assert_eq!(
        short.err(),
        Some(SplitError::Malformed("of the wrong length"))
    );
}
