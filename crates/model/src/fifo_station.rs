//! A first-come-first-served station worked out rather than simulated: the queuecomputer method
//! (Ebert, Wu, Mengersen and Ruggeri, 2020; `shared/performance-anchors.md`).
//!
//! When customers are served strictly in order of arrival, a customer starts at the later of its
//! arrival and the earliest time one of the servers comes free, and frees that server a service
//! time later. So departures follow from arrivals and service times alone: the servers' free
//! times sit in a min-heap (for one server, a single number: Lindley's recursion), and a customer
//! costs one replacement at the top of the heap. No event is scheduled, and nothing waits in a
//! line: the line is implicit in the free times.
//!
//! [`super::textbook`] checks it against queueing theory beside the event-calendar station.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::calendar::Nanos;

/// `servers` servers taking customers in order of arrival.
pub struct FifoStation {
    /// One server: when it is next free.
    one: Nanos,
    /// Several: when each is next free, the earliest on top.
    free: BinaryHeap<Reverse<Nanos>>,
    single: bool,
    /// The latest arrival so far (arrivals must come in order).
    last_arrival: Nanos,
}

impl FifoStation {
    pub fn new(servers: u32) -> FifoStation {
        let servers = servers.max(1);
        FifoStation {
            one: 0,
            free: (0..servers).map(|_| Reverse(0)).collect(),
            single: servers == 1,
            last_arrival: 0,
        }
    }

    /// A customer arriving at `arrival` (no earlier than the one before) who needs `service`:
    /// returns when its service starts (it leaves at that plus `service`).
    #[inline]
    pub fn serve(&mut self, arrival: Nanos, service: Nanos) -> Nanos {
        debug_assert!(arrival >= self.last_arrival, "customers come in order");
        self.last_arrival = arrival;
        if self.single {
            let start = self.one.max(arrival);
            self.one = start + service;
            return start;
        }
        let mut earliest = self.free.peek_mut().expect("at least one server");
        let start = earliest.0.max(arrival);
        // Replacing the top sifts it down once, when `earliest` is dropped.
        earliest.0 = start + service;
        start
    }

    /// When the last of the servers comes free (every customer so far has left by then).
    pub fn all_free_at(&self) -> Nanos {
        if self.single {
            self.one
        } else {
            self.free.iter().map(|r| r.0).max().unwrap_or(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_is_lindleys_recursion() {
        let mut s = FifoStation::new(1);
        // Arrivals at 0, 1, 2, 10 each needing 3: starts 0, 3, 6, 10.
        let starts: Vec<Nanos> = [0, 1, 2, 10].iter().map(|&t| s.serve(t, 3)).collect();
        assert_eq!(starts, vec![0, 3, 6, 10]);
        assert_eq!(s.all_free_at(), 13);
    }

    #[test]
    fn several_servers_take_the_earliest_free() {
        let mut s = FifoStation::new(2);
        // Two at once start at once; the third waits for the first to finish (at 4).
        assert_eq!(s.serve(0, 4), 0);
        assert_eq!(s.serve(0, 9), 0);
        assert_eq!(s.serve(1, 2), 4);
        assert_eq!(
            s.serve(5, 1),
            6,
            "the server free at 6 (4 + 2) is free before the one at 9"
        );
        assert_eq!(s.all_free_at(), 9);
    }
}
