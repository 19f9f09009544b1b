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
    /// The block being read from, and how many of its items have been taken.
    front: Vec<T>,
    head: usize,
    /// Full blocks between the two.
    middle: VecDeque<Vec<T>>,
    /// The block being written to.
    back: Vec<T>,
    len: usize,
    /// A drained block kept for the next one needed.
    spare: Vec<T>,
}

impl<T: Copy> Default for Line<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy> Line<T> {
    pub fn new() -> Self {
        Line {
            front: Vec::new(),
            head: 0,
            middle: VecDeque::new(),
            back: Vec::new(),
            len: 0,
            spare: Vec::new(),
        }
    }

    #[inline]
    pub fn push_back(&mut self, item: T) {
        if self.back.len() == self.back.capacity() {
            self.new_back();
        }
        self.back.push(item);
        self.len += 1;
    }

    fn new_back(&mut self) {
        let mut fresh = std::mem::take(&mut self.spare);
        if fresh.capacity() == 0 {
            fresh.reserve_exact(BLOCK);
        }
        let full = std::mem::replace(&mut self.back, fresh);
        if !full.is_empty() {
            self.middle.push_back(full);
        }
    }

    #[inline]
    pub fn front(&self) -> Option<&T> {
        if let Some(item) = self.front.get(self.head) {
            return Some(item);
        }
        if self.len == 0 {
            return None;
        }
        self.middle
            .front()
            .and_then(|b| b.first())
            .or_else(|| self.back.first())
    }

    pub fn back(&self) -> Option<&T> {
        self.back
            .last()
            .or_else(|| self.middle.back().and_then(|b| b.last()))
            .or_else(|| self.front[self.head..].last())
    }

    #[inline]
    pub fn pop_front(&mut self) -> Option<T> {
        if self.head == self.front.len() && !self.next_front() {
            return None;
        }
        let item = self.front[self.head];
        self.head += 1;
        self.len -= 1;
        Some(item)
    }

    /// The front block is used up: move on to the next one. False when the line is empty.
    fn next_front(&mut self) -> bool {
        let next = match self.middle.pop_front() {
            Some(block) => block,
            None if !self.back.is_empty() => std::mem::take(&mut self.back),
            None => return false,
        };
        let mut done = std::mem::replace(&mut self.front, next);
        done.clear();
        if self.spare.capacity() < done.capacity() {
            self.spare = done;
        }
        self.head = 0;
        true
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
