//! The S1SP cache proposed by DCC: when a user asks for HH data that another user already
//! retrieved from the same SMETS1 meter within the cache lifetime, the S1SP answers from its copy
//! without waking the device. It only helps when more than one user asks for the same data
//! (Working Group, October 2021), i.e. when an agent does not pass the data on to the supplier.
//!
//! One 16-bit stamp per meter and data kind (import, export): when the data was retrieved (in
//! 3-minute ticks, enough for a 102-hour run), which user retrieved it, and whether it was a day
//! or a month of data.
//!
//! The three S1SP cohorts run as separate stages, possibly on separate threads, and share this
//! one table: a meter belongs to one cohort, so no two stages ever touch the same stamp, and the
//! stamps are atomics only so that sharing the table is allowed (relaxed loads and stores cost
//! what plain ones do).

use std::sync::atomic::{AtomicU16, Ordering};

use super::calendar::{Nanos, SECOND};

/// Resolution of the stored retrieval time.
const TICK: Nanos = 180 * SECOND;

pub struct S1spCache {
    enabled: bool,
    lifetime: Nanos,
    /// Index: meter * 2 + (export as usize). 0 = nothing cached.
    stamps: Vec<AtomicU16>,
}

impl S1spCache {
    pub fn new(enabled: bool, meters: u32, lifetime_h: f64) -> S1spCache {
        S1spCache {
            enabled,
            lifetime: (lifetime_h * 3600.0).round() as u64 * SECOND,
            stamps: if enabled {
                (0..meters as usize * 2)
                    .map(|_| AtomicU16::new(0))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    fn stamp(now: Nanos, user: u8, monthly: bool) -> u16 {
        // 11 bits of tick+1, 4 bits of user, 1 bit of payload kind.
        let tick = (now / TICK).min(2046) as u16 + 1;
        (tick << 5) | ((user as u16 & 0xF) << 1) | monthly as u16
    }

    /// True if `user` can be served from the cache for this meter's data at `now`.
    pub fn lookup(&self, now: Nanos, meter: u32, export: bool, user: u8, monthly: bool) -> bool {
        if !self.enabled {
            return false;
        }
        let s = self.stamps[meter as usize * 2 + export as usize].load(Ordering::Relaxed);
        if s == 0 || (s >> 1) & 0xF == user as u16 || (s & 1 == 1) != monthly {
            return false;
        }
        let then = ((s >> 5) as u64 - 1) * TICK;
        now.saturating_sub(then) <= self.lifetime
    }

    /// Records that `user` retrieved this meter's data from the device at `now`.
    pub fn store(&self, now: Nanos, meter: u32, export: bool, user: u8, monthly: bool) {
        if self.enabled {
            self.stamps[meter as usize * 2 + export as usize]
                .store(Self::stamp(now, user, monthly), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_another_user_within_lifetime_only() {
        let c = S1spCache::new(true, 10, 24.0);
        let t = 3600 * SECOND;
        assert!(!c.lookup(t, 4, false, 1, false), "empty cache");
        c.store(t, 4, false, 0, false);
        assert!(
            !c.lookup(t, 4, false, 0, false),
            "the same user gets no hit"
        );
        assert!(
            c.lookup(t + 60 * SECOND, 4, false, 1, false),
            "another user does"
        );
        assert!(
            !c.lookup(t, 4, true, 1, false),
            "export data is not import data"
        );
        assert!(
            !c.lookup(t, 4, false, 1, true),
            "a month of data is not a day of data"
        );
        assert!(
            !c.lookup(t + 25 * 3600 * SECOND, 4, false, 1, false),
            "expired"
        );
    }

    #[test]
    fn disabled_cache_never_hits() {
        let c = S1spCache::new(false, 10, 24.0);
        c.store(0, 1, false, 0, false);
        assert!(!c.lookup(0, 1, false, 1, false));
    }
}
