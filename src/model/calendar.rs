//! The event calendar: which event happens next.
//!
//! A discrete-event simulation never schedules an event before the one it is handling, so the
//! calendar only has to be a *monotone* priority queue. A radix heap exploits that: a push is O(1)
//! and a pop is amortised O(log of the time span), with no comparisons between unrelated events.
//! On the full GB day (hundreds of millions of events) it is several times faster than
//! `std::collections::BinaryHeap`, which is why the engine uses it (see `mp162-bench`).
//!
//! Events at the same instant come out in a fixed order for a given history, so runs are
//! reproducible from their seed.

/// Simulated time in nanoseconds since 00:00 on the simulated day (D).
pub type Nanos = u64;

/// Nanoseconds in one second.
pub const SECOND: Nanos = 1_000_000_000;

/// Seconds (as `f64`) to [`Nanos`], rounding to the nearest nanosecond; negatives become 0.
pub fn nanos(seconds: f64) -> Nanos {
    if seconds <= 0.0 || !seconds.is_finite() {
        0
    } else {
        (seconds * SECOND as f64).round() as Nanos
    }
}

/// [`Nanos`] to seconds.
pub fn seconds(t: Nanos) -> f64 {
    t as f64 / SECOND as f64
}

/// A monotone min-priority queue of events keyed by time (a radix heap).
pub struct Calendar<E> {
    /// The time of the event popped last: nothing may be pushed before it.
    now: Nanos,
    /// Bucket `i` holds events whose time differs from `now` first in bit `i - 1` (bucket 0: equal).
    buckets: Vec<Vec<(Nanos, E)>>,
    /// The earliest time in each bucket (meaningful while the bucket is non-empty), so emptying a
    /// bucket into the lower ones is one pass, not two.
    least: [Nanos; 65],
    /// Bit `i` set when bucket `i` is non-empty (bucket 64 is tracked in `top`).
    occupied: u64,
    /// Reused when a bucket is redistributed, so the hot loop never allocates.
    scratch: Vec<(Nanos, E)>,
    len: usize,
    /// The time of the next event when known (kept through pushes, forgotten by a pop), so
    /// that asking for it again and again between pops costs nothing.
    next_time: Option<Nanos>,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    pub fn new() -> Self {
        Self {
            now: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
            least: [Nanos::MAX; 65],
            occupied: 0,
            scratch: Vec::new(),
            len: 0,
            next_time: None,
        }
    }

    fn bucket(now: Nanos, t: Nanos) -> usize {
        (64 - (t ^ now).leading_zeros()) as usize
    }

    /// Schedules `event` at time `t`. A time before the current one is moved to the current one
    /// (the engine never asks for that; clamping keeps a rounding slip from corrupting the heap).
    pub fn push(&mut self, t: Nanos, event: E) {
        let t = t.max(self.now);
        if let Some(n) = self.next_time {
            self.next_time = Some(n.min(t));
        } else if self.len == 0 {
            self.next_time = Some(t);
        }
        let b = Self::bucket(self.now, t);
        self.put(b, t, event);
        self.len += 1;
    }

    fn put(&mut self, b: usize, t: Nanos, event: E) {
        let bucket = &mut self.buckets[b];
        self.least[b] = if bucket.is_empty() {
            t
        } else {
            self.least[b].min(t)
        };
        bucket.push((t, event));
        if b < 64 {
            self.occupied |= 1 << b;
        }
    }

    fn lowest_occupied(&self) -> Option<usize> {
        if self.occupied != 0 {
            Some(self.occupied.trailing_zeros() as usize)
        } else if !self.buckets[64].is_empty() {
            Some(64)
        } else {
            None
        }
    }

    /// The next event and its time, or `None` when the calendar is empty.
    pub fn pop(&mut self) -> Option<(Nanos, E)> {
        if self.buckets[0].is_empty() {
            let i = self.lowest_occupied()?;
            std::mem::swap(&mut self.scratch, &mut self.buckets[i]);
            if i < 64 {
                self.occupied &= !(1 << i);
            }
            self.now = self.least[i];
            let now = self.now;
            let mut scratch = std::mem::take(&mut self.scratch);
            for (t, e) in scratch.drain(..) {
                self.put(Self::bucket(now, t), t, e);
            }
            self.scratch = scratch;
        }
        self.next_time = None;
        let item = self.buckets[0].pop()?;
        if self.buckets[0].is_empty() {
            self.occupied &= !1;
        }
        self.len -= 1;
        Some(item)
    }

    /// The time of the next event without removing it.
    pub fn peek_time(&mut self) -> Option<Nanos> {
        if self.next_time.is_none() {
            self.next_time = if !self.buckets[0].is_empty() {
                Some(self.now)
            } else {
                Some(self.least[self.lowest_occupied()?])
            };
        }
        self.next_time
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn pops_in_time_order_with_interleaved_pushes() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut cal = Calendar::new();
        let mut reference = std::collections::BinaryHeap::new();
        let mut now = 0u64;
        for i in 0..20_000u64 {
            let t = now + rng.random_range(0..1_000_000u64);
            cal.push(t, i);
            reference.push(std::cmp::Reverse(t));
            if i % 3 == 0 {
                let (t, _) = cal.pop().unwrap();
                assert_eq!(std::cmp::Reverse(t), reference.pop().unwrap());
                now = t;
            }
        }
        let mut last = now;
        while let Some((t, _)) = cal.pop() {
            assert!(t >= last);
            assert_eq!(std::cmp::Reverse(t), reference.pop().unwrap());
            last = t;
        }
        assert!(reference.is_empty() && cal.is_empty());
    }

    #[test]
    fn peek_sees_the_next_event_through_pushes_and_pops() {
        let mut cal = Calendar::new();
        assert_eq!(cal.peek_time(), None);
        cal.push(5_000_000, 'a');
        assert_eq!(cal.peek_time(), Some(5_000_000));
        cal.push(2_000_000, 'b');
        assert_eq!(cal.peek_time(), Some(2_000_000));
        cal.push(3_000_000, 'c');
        assert_eq!(cal.peek_time(), Some(2_000_000));
        assert_eq!(cal.pop(), Some((2_000_000, 'b')));
        assert_eq!(cal.peek_time(), Some(3_000_000));
        assert_eq!(cal.pop(), Some((3_000_000, 'c')));
        assert_eq!(cal.pop(), Some((5_000_000, 'a')));
        assert_eq!(cal.peek_time(), None);
    }

    #[test]
    fn past_times_are_clamped_to_now() {
        let mut cal = Calendar::new();
        cal.push(10, 'a');
        assert_eq!(cal.pop(), Some((10, 'a')));
        cal.push(5, 'b');
        assert_eq!(cal.pop(), Some((10, 'b')));
    }

    #[test]
    fn conversions_round_trip() {
        assert_eq!(nanos(1.5), 1_500_000_000);
        assert_eq!(seconds(nanos(2.25)), 2.25);
        assert_eq!(nanos(-1.0), 0);
        assert_eq!(nanos(f64::NAN), 0);
    }
}
