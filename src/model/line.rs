//! A waiting line: first in, first out, holding millions of requests when a route backs up.
//!
//! `VecDeque` doubles its buffer as it grows, so a line of 14 million requests can hold room for
//! 16 million plus, while growing, the old buffer of 8 million beside it. A line grows in
//! fixed blocks instead: it holds what waits plus at most two blocks, never copies what it holds,
//! and hands drained blocks back for reuse.

use std::collections::VecDeque;

/// Items per block.
const BLOCK: usize = 2048;

pub struct Line<T: Copy> {
    blocks: VecDeque<Vec<T>>,
    /// Items already taken from the front block.
    head: usize,
    len: usize,
    /// A drained block kept for the next one needed.
    spare: Option<Vec<T>>,
}

impl<T: Copy> Default for Line<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy> Line<T> {
    pub fn new() -> Self {
        Line {
            blocks: VecDeque::new(),
            head: 0,
            len: 0,
            spare: None,
        }
    }

    pub fn push_back(&mut self, item: T) {
        match self.blocks.back_mut() {
            Some(block) if block.len() < BLOCK => block.push(item),
            _ => {
                let mut block = self
                    .spare
                    .take()
                    .unwrap_or_else(|| Vec::with_capacity(BLOCK));
                block.push(item);
                self.blocks.push_back(block);
            }
        }
        self.len += 1;
    }

    pub fn front(&self) -> Option<&T> {
        self.blocks.front().and_then(|b| b.get(self.head))
    }

    pub fn back(&self) -> Option<&T> {
        self.blocks.back().and_then(|b| b.last())
    }

    pub fn pop_front(&mut self) -> Option<T> {
        let block = self.blocks.front()?;
        let item = *block.get(self.head)?;
        self.head += 1;
        self.len -= 1;
        if self.head == block.len() {
            let mut done = self.blocks.pop_front().expect("the front block");
            done.clear();
            self.spare = Some(done);
            self.head = 0;
        }
        Some(item)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every item, in order, emptying the line.
    pub fn drain(&mut self) -> impl Iterator<Item = T> + '_ {
        std::iter::from_fn(move || self.pop_front())
    }
}

impl<T: Copy> Extend<T> for Line<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push_back(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_in_first_out_across_blocks() {
        let mut line = Line::new();
        let mut reference = VecDeque::new();
        let mut next = 0u32;
        // Grow past several blocks, drain part way, grow again, then drain to empty.
        for round in [5000, 3000, 7000, 0] {
            for _ in 0..round {
                line.push_back(next);
                reference.push_back(next);
                next += 1;
            }
            for _ in 0..(reference.len() / 2 + 1) {
                assert_eq!(line.front().copied(), reference.front().copied());
                assert_eq!(line.pop_front(), reference.pop_front());
                assert_eq!(line.len(), reference.len());
            }
        }
        assert_eq!(line.back().copied(), reference.back().copied());
        let rest: Vec<u32> = line.drain().collect();
        assert_eq!(rest, reference.into_iter().collect::<Vec<_>>());
        assert!(line.is_empty() && line.pop_front().is_none() && line.front().is_none());
    }
}
