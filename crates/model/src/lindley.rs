//! One first-come-first-served server worked out for many customers on every core: Lindley's
//! recursion cut into chunks (the parallel-prefix idea of Greenberg, Lubachevsky and Mitrani,
//! 1990; `shared/performance-anchors.md`).
//!
//! A customer starts at the later of its arrival and the moment the server is free, and frees it
//! a service time later. That recursion is serial, but its dependence on the past is only the
//! backlog a chunk of customers inherits. So each chunk of [`CHUNK`] customers is first worked
//! out as if it found the server idle — every chunk at once, on as many threads as there are
//! cores. Then, in order, each chunk that did inherit a backlog is run again from its start with
//! that backlog beside the idle-start run, on the same draws, only until the two meet (the first
//! customer who starts at the same moment in both): from there on they are the same customers.
//! At load 0.9 that is a few hundred customers of a chunk's million.
//!
//! Each chunk draws from its own random stream (2^128 draws apart), so the result depends on the
//! seed and the number of customers, never on the number of threads.

use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::calendar::{Nanos, SECOND};

/// Customers per chunk.
pub const CHUNK: u64 = 1 << 20;

/// How long customers wait apart, and how long each is served.
#[derive(Clone, Copy, Debug)]
pub struct Draws {
    /// Mean time between arrivals (exponential), nanoseconds.
    pub mean_gap: f64,
    /// Mean service time, nanoseconds: exponential, or always exactly that when `fixed`.
    pub mean_service: f64,
    pub fixed: bool,
}

impl Draws {
    /// The next customer's time since the one before, and its service time. Truncated to the
    /// nanosecond (a tenth of a customer's cost in rounding, and nothing a queue can measure).
    #[inline(always)]
    fn next(&self, rng: &mut Xoshiro256PlusPlus) -> (Nanos, Nanos) {
        let gap: f64 = Exp1.sample(rng);
        let service = if self.fixed {
            self.mean_service
        } else {
            let s: f64 = Exp1.sample(rng);
            s * self.mean_service
        };
        ((gap * self.mean_gap) as Nanos, service as Nanos)
    }
}

/// What a server did for a number of customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Served {
    /// Time all customers spent waiting for the server, nanoseconds.
    pub total_wait: u128,
    /// Time it spent serving them, nanoseconds.
    pub busy: u128,
    /// When the last of them left.
    pub free_at: Nanos,
}

/// A chunk worked out as if it found the server idle, in time from the chunk's start.
#[derive(Clone, Copy, Debug, Default)]
struct IdleStart {
    total_wait: u128,
    busy: u128,
    /// The chunk's last arrival, and when the server came free after its last customer.
    last_arrival: Nanos,
    free_at: Nanos,
}

fn from_idle(draws: Draws, mut rng: Xoshiro256PlusPlus, n: u64) -> IdleStart {
    let (mut t, mut free, mut wait, mut busy) = (0 as Nanos, 0 as Nanos, 0u128, 0u128);
    for _ in 0..n {
        let (gap, service) = draws.next(&mut rng);
        t += gap;
        let start = free.max(t);
        wait += (start - t) as u128;
        busy += service as u128;
        free = start + service;
    }
    IdleStart {
        total_wait: wait,
        busy,
        last_arrival: t,
        free_at: free,
    }
}

/// The same chunk found a backlog of `backlog`: the extra waiting that adds, and when the server
/// comes free after the chunk's last customer if the two runs never meet (`None`: they met, so it
/// is the idle start's).
fn with_backlog(
    draws: Draws,
    mut rng: Xoshiro256PlusPlus,
    n: u64,
    backlog: Nanos,
) -> (u128, Option<Nanos>) {
    let (mut t, mut idle, mut behind, mut extra) = (0 as Nanos, 0 as Nanos, backlog, 0u128);
    for _ in 0..n {
        let (gap, service) = draws.next(&mut rng);
        t += gap;
        let (a, b) = (idle.max(t), behind.max(t));
        extra += (b - a) as u128;
        if a == b {
            return (extra, None);
        }
        idle = a + service;
        behind = b + service;
    }
    (extra, Some(behind))
}

/// Works out `customers` customers of one server, drawing from `seed`, on up to `threads`
/// threads (natively; in WebAssembly on the one thread there is). The result is the same for any
/// number of threads.
pub fn serve(draws: Draws, customers: u64, seed: u64, threads: usize) -> Served {
    let chunks = customers.div_ceil(CHUNK) as usize;
    let size = |k: usize| CHUNK.min(customers - k as u64 * CHUNK);
    let mut streams = Vec::with_capacity(chunks);
    let mut stream = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..chunks {
        streams.push(stream.clone());
        stream.jump();
    }
    let idle = idle_starts(draws, &streams, &size, threads);
    let mut out = Served::default();
    let (mut offset, mut free) = (0 as Nanos, 0 as Nanos);
    for (k, run) in idle.iter().enumerate() {
        let backlog = free.saturating_sub(offset);
        let (extra, late_free) = if backlog == 0 {
            (0, None)
        } else {
            with_backlog(draws, streams[k].clone(), size(k), backlog)
        };
        out.total_wait += run.total_wait + extra;
        out.busy += run.busy;
        free = offset + late_free.unwrap_or(run.free_at);
        offset += run.last_arrival;
    }
    out.free_at = free;
    out
}

/// Every chunk from an idle start, shared out over the threads.
fn idle_starts(
    draws: Draws,
    streams: &[Xoshiro256PlusPlus],
    size: &(dyn Fn(usize) -> u64 + Sync),
    threads: usize,
) -> Vec<IdleStart> {
    let one = |k: usize| from_idle(draws, streams[k].clone(), size(k));
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 && streams.len() > 1 {
        let threads = threads.min(streams.len());
        let mut out = vec![IdleStart::default(); streams.len()];
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|j| {
                    scope.spawn(move || {
                        (j..streams.len())
                            .step_by(threads)
                            .map(|k| (k, one(k)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                for (k, run) in h.join().expect("a chunk's thread panicked") {
                    out[k] = run;
                }
            }
        });
        return out;
    }
    let _ = threads;
    (0..streams.len()).map(one).collect()
}

/// Nanoseconds to seconds, for totals.
pub fn seconds(t: u128) -> f64 {
    t as f64 / SECOND as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAWS: Draws = Draws {
        mean_gap: 1e9 / 0.9,
        mean_service: 1e9,
        fixed: false,
    };

    /// The plain recursion over the same chunked streams, one customer after another.
    fn serial(draws: Draws, customers: u64, seed: u64) -> Served {
        let mut stream = Xoshiro256PlusPlus::seed_from_u64(seed);
        let (mut t, mut free, mut out) = (0 as Nanos, 0 as Nanos, Served::default());
        let mut left = customers;
        while left > 0 {
            let mut rng = stream.clone();
            for _ in 0..CHUNK.min(left) {
                let (gap, service) = draws.next(&mut rng);
                t += gap;
                let start = free.max(t);
                out.total_wait += (start - t) as u128;
                out.busy += service as u128;
                free = start + service;
            }
            left -= CHUNK.min(left);
            stream.jump();
        }
        out.free_at = free;
        out
    }

    #[test]
    fn chunks_give_exactly_the_serial_recursion_on_any_number_of_threads() {
        // Three and a half chunks at load 0.9: most chunks inherit a backlog.
        let n = 3 * CHUNK + CHUNK / 2;
        let expected = serial(DRAWS, n, 7);
        for threads in [1, 2, 3, 8] {
            assert_eq!(serve(DRAWS, n, 7, threads), expected, "{threads} threads");
        }
        // An overloaded server never empties: no chunk's runs ever meet.
        let overloaded = Draws {
            mean_gap: 1e9 / 1.5,
            ..DRAWS
        };
        assert_eq!(serve(overloaded, n, 3, 2), serial(overloaded, n, 3));
        let fixed = Draws {
            fixed: true,
            ..DRAWS
        };
        assert_eq!(serve(fixed, CHUNK + 5, 1, 2), serial(fixed, CHUNK + 5, 1));
    }
}
