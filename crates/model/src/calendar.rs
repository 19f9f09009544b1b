//! The event calendar: which event happens next.
//!
//! A discrete-event simulation never schedules an event before the one it is handling, so the
//! calendar only has to be a *monotone* priority queue. A radix heap exploits that: a push is O(1)
//! and a pop is amortised O(log of the time span), with no comparisons between unrelated events.
//! On the full GB day (hundreds of millions of events) it is several times faster than
//! `std::collections::BinaryHeap`, which is why the engine uses it.
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

/// Bits of time per level of the heap: each level splits its span into 16 buckets.
const DIGIT: u32 = 4;
const DIGITS: usize = 1 << DIGIT;
const LEVELS: usize = 64usize.div_ceil(DIGIT as usize);
const BUCKETS: usize = LEVELS * DIGITS;
const WORDS: usize = BUCKETS.div_ceil(64);
/// A first bucket this small is sorted rather than split.
const SORT_UP_TO: usize = 32;

/// A monotone min-priority queue of events keyed by time (a radix heap, 16 ways at each level).
///
/// An event sits in the bucket of the highest 4-bit digit in which its time differs from `base`
/// (level) and of its own value of that digit. Buckets in index order cover ascending, disjoint
/// time ranges, so the next event is in the first non-empty bucket; a level-0 bucket holds one
/// instant. Popping from a higher bucket first moves its events down to lower levels, relative to
/// its earliest time. With 16 ways an event is moved about a quarter as often as in a binary
/// radix heap. And when the first bucket is small it is not split further but sorted into a short
/// `ready` run, which serves the next few pops (later pushes that fall inside it are put in
/// place): on a route's device attempts that halves the moves again.
pub struct Calendar<E> {
    /// The time of the event popped last: nothing may be pushed before it.
    now: Nanos,
    /// The time buckets are reckoned from: every event in a bucket is at or after it. It is the
    /// earliest event when a bucket is split, and the last of the ready run while there is one
    /// (so `now` can move through the ready run without leaving any bucket misplaced).
    base: Nanos,
    buckets: Vec<Vec<(Nanos, E)>>,
    /// The earliest time in each bucket (meaningful while the bucket is non-empty), so emptying a
    /// bucket into the lower ones is one pass, not two.
    least: [Nanos; BUCKETS],
    /// Bit `i % 64` of word `i / 64` set when bucket `i` is non-empty.
    occupied: [u64; WORDS],
    /// Reused when a bucket is redistributed, so the hot loop never allocates.
    scratch: Vec<(Nanos, E)>,
    /// The next events, latest first (so the next is last). Every event in the buckets is at or
    /// after the first of them.
    ready: Vec<(Nanos, E)>,
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
            base: 0,
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            least: [Nanos::MAX; BUCKETS],
            occupied: [0; WORDS],
            scratch: Vec::new(),
            ready: Vec::new(),
            len: 0,
            next_time: None,
        }
    }

    fn bucket(now: Nanos, t: Nanos) -> usize {
        let differ = t ^ now;
        let level = if differ == 0 {
            0
        } else {
            (63 - differ.leading_zeros()) / DIGIT
        };
        level as usize * DIGITS + ((t >> (level * DIGIT)) as usize & (DIGITS - 1))
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
        self.len += 1;
        match self.ready.first() {
            Some(&(last, _)) if t < last => {
                // Inside the ready run: put it in place (after events at the same instant).
                let at = self.ready.partition_point(|(x, _)| *x > t);
                self.ready.insert(at, (t, event));
            }
            _ => self.put(Self::bucket(self.base, t), t, event),
        }
    }

    fn put(&mut self, b: usize, t: Nanos, event: E) {
        let bucket = &mut self.buckets[b];
        self.least[b] = if bucket.is_empty() {
            t
        } else {
            self.least[b].min(t)
        };
        bucket.push((t, event));
        self.occupied[b / 64] |= 1 << (b % 64);
    }

    fn lowest_occupied(&self) -> Option<usize> {
        self.occupied
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The next event and its time, or `None` when the calendar is empty.
    pub fn pop(&mut self) -> Option<(Nanos, E)> {
        if let Some(item) = self.ready.pop() {
            return Some(self.took(item));
        }
        let mut i = self.lowest_occupied()?;
        if i >= DIGITS && self.buckets[i].len() <= SORT_UP_TO {
            // Every event here comes before every event elsewhere: sort them into the ready run.
            std::mem::swap(&mut self.ready, &mut self.buckets[i]);
            self.occupied[i / 64] &= !(1 << (i % 64));
            self.ready
                .sort_unstable_by_key(|(t, _)| std::cmp::Reverse(*t));
            self.base = self.ready[0].0;
            let item = self.ready.pop().expect("a non-empty bucket");
            return Some(self.took(item));
        }
        if i >= DIGITS {
            // Move the bucket's events down, relative to its earliest one (which lands at level 0).
            std::mem::swap(&mut self.scratch, &mut self.buckets[i]);
            self.occupied[i / 64] &= !(1 << (i % 64));
            self.base = self.least[i];
            let base = self.base;
            let mut scratch = std::mem::take(&mut self.scratch);
            for (t, e) in scratch.drain(..) {
                self.put(Self::bucket(base, t), t, e);
            }
            self.scratch = scratch;
            i = Self::bucket(base, base);
        }
        let item = self.buckets[i].pop().expect("an occupied bucket");
        if self.buckets[i].is_empty() {
            self.occupied[i / 64] &= !(1 << (i % 64));
        }
        Some(self.took(item))
    }

    fn took(&mut self, item: (Nanos, E)) -> (Nanos, E) {
        debug_assert!(item.0 >= self.now, "popped {} after {}", item.0, self.now);
        self.now = item.0;
        self.next_time = None;
        self.len -= 1;
        item
    }

    /// The time of the next event without removing it.
    pub fn peek_time(&mut self) -> Option<Nanos> {
        if self.next_time.is_none() {
            self.next_time = match self.ready.last() {
                Some(&(t, _)) => Some(t),
                None => Some(self.least[self.lowest_occupied()?]),
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
            // Mostly near, sometimes hours ahead, sometimes at the same instant.
            let t = now
                + match i % 7 {
                    0 => rng.random_range(0..1u64 << 45),
                    1 => 0,
                    _ => rng.random_range(0..1_000_000u64),
                };
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
    fn a_running_simulation_pops_in_time_order() {
        // As a queue does: each event schedules one or two more a random while later, so pushes
        // land inside and beyond the ready run while it drains (a bug once hid there).
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut cal = Calendar::new();
        for i in 0..4 {
            cal.push(i * 1_000, 0u8);
        }
        let mut last = 0;
        for n in 0..1_000_000u32 {
            let (t, _) = cal.pop().expect("events keep coming");
            assert!(t >= last, "pop {n}: {t} after {last}");
            last = t;
            let ahead =
                |rng: &mut Xoshiro256PlusPlus| (-(1.0 - rng.random::<f64>()).ln() * 1e9) as u64;
            cal.push(t + ahead(&mut rng), 0);
            if n % 7 == 0 {
                cal.push(t + ahead(&mut rng) / 50, 1);
            }
            if n % 7 == 3 {
                let (t2, _) = cal.pop().unwrap();
                assert!(t2 >= last, "pop {n}b: {t2} after {last}");
                last = t2;
            }
        }
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
