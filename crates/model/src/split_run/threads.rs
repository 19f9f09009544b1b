//! A split run natively: the DSP on the calling thread and the routes shared out over two more,
//! the messages passing over channels as they are (no bytes).

use std::sync::mpsc::channel;

use super::super::report::Report;
use super::super::scenario::Scenario;
use super::super::simulation::RunOptions;
use super::messages::{FromDsp, StepLists};
use super::{DspHalf, RoutesHalf, close_routes};

/// How a native run shares the routes out over two threads beside the DSP's own: the DSP alone is
/// about 40% of a GB day's work, and each of these about 30%. With three threads on two cores the
/// operating system gives the cores to whichever can run, so no core waits while the balance of
/// work moves between the DSP and the routes over the day.
const NATIVE_ROUTE_PARTS: [&[usize]; 2] = [&[1, 0, 3], &[2, 5, 4]];

/// Runs a validated scenario natively: the DSP on this thread and the routes shared out over two
/// more, passing the messages over channels as they are (no bytes). Gives exactly the report
/// [`super::super::Simulation::finish`] gives.
pub fn run_on_threads(s: &Scenario, options: RunOptions) -> Report {
    let (to_dsp, from_routes) = channel::<StepLists>();
    let mut dsp = DspHalf::with_beside(s, options.clone(), &[]);
    let mut parts: Vec<RoutesHalf> = NATIVE_ROUTE_PARTS
        .iter()
        .map(|routes| RoutesHalf::with_routes(s, options.clone(), routes))
        .collect();
    let (report_sim, closing) = std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for mut part in parts.drain(..) {
            let (to_part, from_dsp) = channel::<StepLists>();
            let to_dsp = to_dsp.clone();
            senders.push((part.set.runs, to_part));
            threads.push(scope.spawn(move || {
                while !part.set.has_run_last_step(&part.sim) {
                    let Ok(hand_over) = from_dsp.recv() else {
                        break;
                    };
                    part.set
                        .queue(hand_over)
                        .expect("the DSP sends its steps in order");
                    while let Some(retries) = part.set.advance(&mut part.sim, &mut u64::MAX.clone())
                    {
                        let _ = to_dsp.send(retries);
                    }
                }
                let accounts = close_routes(std::mem::take(&mut part.sim.routes), part.set.runs);
                (part.sim, accounts)
            }));
        }
        drop(to_dsp);
        // The routes have nothing to do until the first hand-over: every core fills the table.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        dsp.sim.dsp.fill_traits_in_parallel(cores);
        while !dsp.is_finished() {
            while let Ok(retries) = from_routes.try_recv() {
                dsp.take(retries)
                    .expect("each part sends its steps in order");
            }
            if dsp.can_go_on() {
                if let Some(FromDsp::HandOver(mut sent)) = dsp.advance(&mut u64::MAX.clone()) {
                    for (routes, to_part) in &senders {
                        let _ = to_part.send(sent.split_off(*routes));
                    }
                }
            } else {
                let retries = from_routes
                    .recv()
                    .expect("a part runs until the DSP finishes");
                dsp.take(retries)
                    .expect("each part sends its steps in order");
            }
        }
        let mut closing = dsp.close_accounts();
        let mut sim = None;
        for thread in threads {
            let (part_sim, accounts) = thread.join().expect("a part of the run panicked");
            for (slot, got) in closing.routes.iter_mut().zip(accounts) {
                if got.is_some() {
                    *slot = got;
                }
            }
            sim = Some(part_sim);
        }
        (sim.expect("at least one part"), closing)
    });
    report_sim.close_routes(closing.rec, closing.events, closing.routes)
}
