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
//! seed and the number of customers, never on the number of threads; and it is the plain
//! recursion's over the same draws, to the rounding of a sum.

use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Customers per chunk.
pub const CHUNK: u64 = 1 << 20;

/// How long customers come apart, and how long each is served, in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Draws {
    /// Mean time between arrivals (exponential).
    pub mean_gap: f64,
    /// Mean service time: exponential, or always exactly that when `fixed`.
    pub mean_service: f64,
    pub fixed: bool,
}

impl Draws {
    /// The next customer's time since the one before, and its service time.
    #[inline(always)]
    fn next(&self, rng: &mut Xoshiro256PlusPlus) -> (f64, f64) {
        let gap: f64 = Exp1.sample(rng);
        let service = if self.fixed {
            self.mean_service
        } else {
            let s: f64 = Exp1.sample(rng);
            s * self.mean_service
        };
        (gap * self.mean_gap, service)
    }
}

/// What a server did for a number of customers, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Served {
    /// Time all customers spent waiting for the server.
    pub total_wait: f64,
    /// Time it spent serving them.
    pub busy: f64,
    /// When the last of them left, from the start.
    pub free_at: f64,
}

/// A chunk worked out as if it found the server idle. In the wait form of the recursion a
/// customer waits `w = max(0, v - gap)`, where `v` is the work the server had left when the
/// customer before arrived (that customer's wait plus its service); nothing needs the clock.
#[derive(Clone, Copy, Debug, Default)]
struct IdleStart {
    total_wait: f64,
    busy: f64,
    /// Time from the chunk's start to its last arrival, and the work left at that moment.
    span: f64,
    left: f64,
}

fn from_idle(draws: Draws, mut rng: Xoshiro256PlusPlus, n: u64) -> IdleStart {
    let mut out = IdleStart::default();
    let mut v = 0.0f64;
    for _ in 0..n {
        let (gap, service) = draws.next(&mut rng);
        let w = (v - gap).max(0.0);
        out.total_wait += w;
        out.busy += service;
        out.span += gap;
        v = w + service;
    }
    out.left = v;
    out
}

/// The same chunk found `left` work at its start: the extra waiting that adds, and the work left
/// at its last arrival if the two runs never meet (`None`: they met, so it is the idle start's).
fn with_backlog(
    draws: Draws,
    mut rng: Xoshiro256PlusPlus,
    n: u64,
    left: f64,
) -> (f64, Option<f64>) {
    let (mut idle, mut behind, mut extra) = (0.0f64, left, 0.0f64);
    for _ in 0..n {
        let (gap, service) = draws.next(&mut rng);
        let (a, b) = ((idle - gap).max(0.0), (behind - gap).max(0.0));
        if a == b {
            return (extra, None);
        }
        extra += b - a;
        idle = a + service;
        behind = b + service;
    }
    (extra, Some(behind))
}

/// Works out `customers` customers of one server, drawing from `seed`, on up to `threads`
/// threads (natively; in WebAssembly on the one thread there is). The result is the same for any
/// number of threads: each chunk's sums are added in chunk order.
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
    let (mut out, mut left, mut clock) = (Served::default(), 0.0f64, 0.0f64);
    for (k, run) in idle.iter().enumerate() {
        let (extra, late) = if left > 0.0 {
            with_backlog(draws, streams[k].clone(), size(k), left)
        } else {
            (0.0, None)
        };
        out.total_wait += run.total_wait + extra;
        out.busy += run.busy;
        clock += run.span;
        left = late.unwrap_or(run.left);
    }
    out.free_at = clock + left;
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

#[cfg(test)]
mod tests {
    use super::*;

    const DRAWS: Draws = Draws {
        mean_gap: 1.0 / 0.9,
        mean_service: 1.0,
        fixed: false,
    };

    /// The plain recursion over the same chunked streams, one customer after another (each
    /// chunk's sums added in order, as [`serve`] adds them).
    fn serial(draws: Draws, customers: u64, seed: u64) -> Served {
        let mut stream = Xoshiro256PlusPlus::seed_from_u64(seed);
        let (mut v, mut clock, mut out) = (0.0f64, 0.0f64, Served::default());
        let mut left = customers;
        while left > 0 {
            let mut rng = stream.clone();
            let (mut wait, mut busy, mut span) = (0.0f64, 0.0f64, 0.0f64);
            for _ in 0..CHUNK.min(left) {
                let (gap, service) = draws.next(&mut rng);
                let w = (v - gap).max(0.0);
                wait += w;
                busy += service;
                span += gap;
                v = w + service;
            }
            out.total_wait += wait;
            out.busy += busy;
            clock += span;
            left -= CHUNK.min(left);
            stream.jump();
        }
        out.free_at = clock + v;
        out
    }

    /// The same customers: the same busy time and last departure to the bit, and the same total
    /// wait but for rounding (a chunk that inherits a backlog adds its extra wait as one sum).
    fn same(got: Served, serial: Served) {
        assert_eq!((got.busy, got.free_at), (serial.busy, serial.free_at));
        let off = (got.total_wait - serial.total_wait).abs() / serial.total_wait;
        assert!(off < 1e-9, "{got:?} against {serial:?}");
    }

    #[test]
    fn chunks_give_exactly_the_serial_recursion_on_any_number_of_threads() {
        // Three and a half chunks at load 0.9: most chunks inherit a backlog.
        let n = 3 * CHUNK + CHUNK / 2;
        let expected = serial(DRAWS, n, 7);
        let one = serve(DRAWS, n, 7, 1);
        same(one, expected);
        for threads in [2, 3, 8] {
            assert_eq!(serve(DRAWS, n, 7, threads), one, "{threads} threads");
        }
        // An overloaded server never empties: no chunk's runs ever meet.
        let overloaded = Draws {
            mean_gap: 1.0 / 1.5,
            ..DRAWS
        };
        same(serve(overloaded, n, 3, 2), serial(overloaded, n, 3));
        let fixed = Draws {
            fixed: true,
            ..DRAWS
        };
        same(serve(fixed, CHUNK + 5, 1, 2), serial(fixed, CHUNK + 5, 1));
    }
}
