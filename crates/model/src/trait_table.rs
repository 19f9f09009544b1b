//! The day's traits of every simulated meter, worked out once and kept in two bytes each.
//!
//! A meter's traits are hashed from its number (see [`population`](super::population)), which
//! costs four hashes each time a schedule walks past it — and the schedules of a day walk past
//! every meter five times or more. At full GB scale the table (60 MB) is filled before the day
//! starts, on every core natively and in slices in a browser; a meter not yet in the table is
//! simply hashed, so the run is the same whether or not the table is full. The table is kept in
//! 128 KB chunks, so no slice of a browser run has to find (and clear) 60 MB at once.

use super::population::{Meter, Population};

/// Sampled meters per chunk: 2^16.
const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;

pub struct TraitTable {
    stride: u32,
    /// Packed traits of sampled meters 0, stride, 2 × stride, ... in chunks, filled from the front.
    chunks: Vec<Vec<u16>>,
    /// How many sampled meters are in the table, and how many there are.
    filled: usize,
    size: usize,
}

impl TraitTable {
    /// An empty table for the population's sampled meters.
    pub fn new(pop: &Population) -> TraitTable {
        TraitTable {
            stride: pop.stride,
            chunks: Vec::new(),
            filled: 0,
            size: pop.meters.div_ceil(pop.stride) as usize,
        }
    }

    /// How many sampled meters the table is for.
    pub fn size(&self) -> usize {
        self.size
    }

    pub fn is_full(&self) -> bool {
        self.filled == self.size
    }

    /// Share of the table filled (0 to 1).
    pub fn progress(&self) -> f64 {
        if self.size == 0 {
            1.0
        } else {
            self.filled as f64 / self.size as f64
        }
    }

    /// Fills up to `budget` more meters; returns how many it filled.
    pub fn fill(&mut self, pop: &Population, budget: u64) -> u64 {
        let from = self.filled;
        let to = (from as u64).saturating_add(budget).min(self.size as u64) as usize;
        for i in from..to {
            if i % CHUNK == 0 {
                self.chunks
                    .push(Vec::with_capacity(CHUNK.min(self.size - i)));
            }
            let chunk = self
                .chunks
                .last_mut()
                .expect("a chunk for every filled meter");
            chunk.push(pop.packed(i as u32 * self.stride));
        }
        self.filled = to;
        (to - from) as u64
    }

    /// Fills the rest of the table on `threads` threads.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn fill_in_parallel(&mut self, pop: &Population, threads: usize) {
        // Finish the chunk in progress here, then share out whole chunks.
        let to_chunk_end = (CHUNK - self.filled % CHUNK) % CHUNK;
        self.fill(pop, to_chunk_end as u64);
        let first_chunk = self.chunks.len();
        let mut rest: Vec<Vec<u16>> = (first_chunk * CHUNK..self.size)
            .step_by(CHUNK)
            .map(|i| vec![0; CHUNK.min(self.size - i)])
            .collect();
        let per = rest.len().div_ceil(threads.max(1)).max(1);
        let stride = self.stride;
        std::thread::scope(|scope| {
            for (k, part) in rest.chunks_mut(per).enumerate() {
                scope.spawn(move || {
                    for (j, chunk) in part.iter_mut().enumerate() {
                        let first = (first_chunk + k * per + j) * CHUNK;
                        for (n, slot) in chunk.iter_mut().enumerate() {
                            *slot = pop.packed((first + n) as u32 * stride);
                        }
                    }
                });
            }
        });
        self.chunks.extend(rest);
        self.filled = self.size;
    }

    /// The traits of sampled meter `m`.
    pub fn meter(&self, pop: &Population, m: u32) -> Meter {
        if self.holds(m) {
            Meter::from_packed(self.packed(m))
        } else {
            pop.meter(m)
        }
    }

    /// The packed traits of sampled meter `m`, which the table holds.
    pub fn packed(&self, m: u32) -> u16 {
        let i = (m / self.stride) as usize;
        self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }

    /// True when the table holds meter `m` (and the quick tests are no quicker than it).
    pub fn holds(&self, m: u32) -> bool {
        ((m / self.stride) as usize) < self.filled
    }

    /// The packed traits of the `i`-th sampled meter (meter `i × stride`) if the table holds it
    /// yet. A cursor walking the sampled meters in order knows `i` without dividing (a division
    /// per meter walked was about a twentieth of a GB day).
    #[inline]
    pub fn packed_at(&self, i: u32) -> Option<u16> {
        let i = i as usize;
        (i < self.filled).then(|| self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn filled_in_slices_or_in_parallel_the_table_is_the_hashed_traits() {
        let mut s = Scenario::default();
        s.population.meters = 250_001;
        for sample in [1.0, 0.01] {
            let pop = Population::new(&s, sample);
            let mut sliced = TraitTable::new(&pop);
            let mut parallel = TraitTable::new(&pop);
            assert!(!sliced.is_full());
            sliced.fill(&pop, 777);
            assert!(sliced.holds(0) && !sliced.holds(pop.stride * 778));
            parallel.fill(&pop, 70_000);
            parallel.fill_in_parallel(&pop, 3);
            while sliced.fill(&pop, 1000) > 0 {}
            assert_eq!(sliced.chunks.len(), sliced.size.div_ceil(CHUNK));
            assert!(sliced.is_full() && parallel.is_full());
            assert_eq!(sliced.chunks, parallel.chunks);
            for m in (0..pop.meters).step_by(pop.stride as usize) {
                assert_eq!(sliced.meter(&pop, m), pop.meter(m));
            }
        }
    }
}
