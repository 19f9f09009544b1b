//! The day's traits of every simulated meter, worked out once and kept in two bytes each.
//!
//! A meter's traits are hashed from its number (see [`population`](super::population)), which
//! costs four hashes each time a schedule walks past it — and the schedules of a day walk past
//! every meter five times or more. At full GB scale the table (60 MB) is filled before the day
//! starts, on every core natively and in slices in a browser; a meter not yet in the table is
//! simply hashed, so the run is the same whether or not the table is full.

use super::population::{Meter, Population};

pub struct TraitTable {
    stride: u32,
    /// Packed traits of sampled meters 0, stride, 2 × stride, ... filled from the front.
    packed: Vec<u16>,
    /// How many sampled meters there are.
    size: usize,
}

impl TraitTable {
    /// An empty table for the population's sampled meters.
    pub fn new(pop: &Population) -> TraitTable {
        TraitTable {
            stride: pop.stride,
            packed: Vec::new(),
            size: pop.meters.div_ceil(pop.stride) as usize,
        }
    }

    /// How many sampled meters the table is for.
    pub fn size(&self) -> usize {
        self.size
    }

    pub fn is_full(&self) -> bool {
        self.packed.len() == self.size
    }

    /// Share of the table filled (0 to 1).
    pub fn progress(&self) -> f64 {
        if self.size == 0 {
            1.0
        } else {
            self.packed.len() as f64 / self.size as f64
        }
    }

    /// Fills up to `budget` more meters; returns how many it filled.
    pub fn fill(&mut self, pop: &Population, budget: u64) -> u64 {
        let from = self.packed.len();
        let to = (from as u64).saturating_add(budget).min(self.size as u64) as usize;
        self.packed.reserve_exact(self.size - from);
        self.packed
            .extend((from..to).map(|i| pop.packed(i as u32 * self.stride)));
        (to - from) as u64
    }

    /// Fills the rest of the table on `threads` threads.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn fill_in_parallel(&mut self, pop: &Population, threads: usize) {
        let from = self.packed.len();
        self.packed.resize(self.size, 0);
        let rest = &mut self.packed[from..];
        let per = rest.len().div_ceil(threads.max(1)).max(1);
        let stride = self.stride;
        std::thread::scope(|scope| {
            for (k, part) in rest.chunks_mut(per).enumerate() {
                let first = from + k * per;
                scope.spawn(move || {
                    for (j, slot) in part.iter_mut().enumerate() {
                        *slot = pop.packed((first + j) as u32 * stride);
                    }
                });
            }
        });
    }

    /// The traits of sampled meter `m`.
    pub fn meter(&self, pop: &Population, m: u32) -> Meter {
        match self.packed.get((m / self.stride) as usize) {
            Some(&bits) => Meter::from_packed(bits),
            None => pop.meter(m),
        }
    }

    /// True when the table holds meter `m` (and the quick tests are no quicker than it).
    pub fn holds(&self, m: u32) -> bool {
        ((m / self.stride) as usize) < self.packed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn filled_in_slices_or_in_parallel_the_table_is_the_hashed_traits() {
        let mut s = Scenario::default();
        s.population.meters = 50_001;
        for sample in [1.0, 0.01] {
            let pop = Population::new(&s, sample);
            let mut sliced = TraitTable::new(&pop);
            let mut parallel = TraitTable::new(&pop);
            assert!(!sliced.is_full());
            sliced.fill(&pop, 777);
            assert!(sliced.holds(0) && !sliced.holds(pop.stride * 778));
            parallel.fill(&pop, 10);
            parallel.fill_in_parallel(&pop, 3);
            while sliced.fill(&pop, 1000) > 0 {}
            assert!(sliced.is_full() && parallel.is_full());
            assert_eq!(sliced.packed, parallel.packed);
            for m in (0..pop.meters).step_by(pop.stride as usize) {
                assert_eq!(sliced.meter(&pop, m), pop.meter(m));
            }
        }
    }
}
