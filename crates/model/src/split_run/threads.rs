//! A split run natively: the DSP on the calling thread and each route part of the [`Layout`] on
//! a thread of its own, the messages passing over channels as they are (no bytes).

use std::sync::mpsc::channel;

use super::super::report::Report;
use super::super::scenario::Scenario;
use super::super::simulation::RunOptions;
use super::messages::{FromDsp, FromRoutes};
use super::{DspHalf, Layout, RoutesHalf};

/// Runs a validated scenario natively, laid out as `layout` says: the DSP on this thread and
/// each part on one more, passing the messages over channels as they are (no bytes). Gives
/// exactly the report [`super::super::Simulation::finish`] gives.
pub fn run_on_threads(s: &Scenario, options: RunOptions, layout: &Layout) -> Report {
    let (to_dsp, from_routes) = channel::<FromRoutes>();
    let mut dsp = DspHalf::new(s, options.clone(), layout);
    let parts: Vec<RoutesHalf> = (0..layout.parts.len())
        .map(|p| RoutesHalf::new(s, options.clone(), layout, p))
        .collect();
    std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for mut part in parts {
            let (to_part, from_dsp) = channel::<FromDsp>();
            let to_dsp = to_dsp.clone();
            senders.push(to_part);
            threads.push(scope.spawn(move || {
                while !part.is_finished() {
                    let Ok(msg) = from_dsp.recv() else {
                        break;
                    };
                    part.receive(msg).expect("the DSP sends its steps in order");
                    while let Some(retries) = part.advance(&mut u64::MAX.clone()) {
                        let _ = to_dsp.send(retries);
                    }
                    if !part.writes_the_report() && part.is_finished() {
                        let _ = to_dsp.send(part.accounts().expect("finished"));
                        return None;
                    }
                }
                part.writes_the_report()
                    .then(|| part.report().expect("the run finished"))
            }));
        }
        drop(to_dsp);
        // The routes have nothing to do until the first hand-over: every core fills the table.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        dsp.sim.dsp.fill_traits_in_parallel(cores);
        while !dsp.is_finished() {
            while let Ok(msg) = from_routes.try_recv() {
                dsp.receive(msg)
                    .expect("each part sends its steps in order");
            }
            if dsp.can_go_on() {
                if let Some(sent) = dsp.advance(&mut u64::MAX.clone()) {
                    for (msg, to_part) in sent.into_iter().zip(&senders) {
                        let _ = to_part.send(msg);
                    }
                }
            } else if !dsp.is_finished() {
                // (The last parts' accounts may just have come in: then there is nothing more
                // to wait for, and the first part is waiting for the closing.)
                let msg = from_routes
                    .recv()
                    .expect("a part runs until the DSP finishes");
                dsp.receive(msg)
                    .expect("each part sends its steps in order");
            }
        }
        let _ = senders[0].send(dsp.close());
        threads
            .into_iter()
            .filter_map(|t| t.join().expect("a part of the run panicked"))
            .next()
            .expect("the first part writes the report")
    })
}
