//! The S1SP cache proposed by DCC: when a user asks for HH data that another user already
//! retrieved from the same SMETS1 meter within the cache lifetime, the S1SP answers from its copy
//! without waking the device. It only helps when more than one user asks for the same data
//! (Working Group, October 2021), i.e. when an agent does not pass the data on to the supplier.
//!
//! One 16-bit stamp per meter and data kind (import, export): when the data was retrieved (in
//! 90-second ticks, rounded up so that data never expires before its lifetime and at most 90 s
//! after; 12 bits hold a 102-hour run), which user retrieved it, whether it was a day or a month
//! of data, and whose night's data it was (D's, or D+1's own collection's). A stamp keeps the
//! latest retrieval only, so once D+1's data is in, a late request for D's data from the meter
//! misses (the cautious side: the device is asked).
//!
//! The three S1SP cohorts run as separate stages, possibly on separate threads, and share this
//! one table: a meter belongs to one cohort, so no two stages ever touch the same stamp, and the
//! stamps are atomics only so that sharing the table is allowed (relaxed loads and stores cost
//! what plain ones do).

use std::sync::atomic::{AtomicU16, Ordering};

use super::calendar::{Nanos, SECOND};
use super::service_requests::Request;

/// Which data a request is for, beyond its meter and kind: the night's collection it belongs
/// to, the user asking, and whether it is a month of data or a day.
#[derive(Clone, Copy, Debug)]
pub struct Data {
    pub next_night: bool,
    pub user: u8,
    pub monthly: bool,
}

impl Data {
    pub fn of(r: &Request) -> Data {
        Data {
            next_night: r.next_night(),
            user: r.user(),
            monthly: r.monthly(),
        }
    }
}

/// Resolution of the stored retrieval time.
const TICK: Nanos = 90 * SECOND;
/// Largest tick a stamp holds (12 bits, 0 meaning empty).
const MAX_TICK: u64 = (1 << 12) - 2;

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

    /// 12 bits of tick+1, 1 of the night, 2 of the user, 1 of the payload kind. The tick is
    /// the retrieval time rounded up, so the stamp never makes data look older than it is.
    fn stamp(now: Nanos, data: Data) -> u16 {
        let tick = now.div_ceil(TICK).min(MAX_TICK) as u16 + 1;
        (tick << 4) | Self::what(data)
    }

    /// The stamp's low four bits: whose data, and which (users are suppliers and agents).
    fn what(data: Data) -> u16 {
        ((data.next_night as u16) << 3) | ((data.user as u16 & 0x3) << 1) | data.monthly as u16
    }

    /// True if `data.user` can be served from the cache for this meter's data at `now`.
    pub fn lookup(&self, now: Nanos, meter: u32, export: bool, data: Data) -> bool {
        if !self.enabled {
            return false;
        }
        let s = self.stamps[meter as usize * 2 + export as usize].load(Ordering::Relaxed);
        let (user_mask, rest_mask) = (0x3 << 1, 0x9);
        let asked = Self::what(data);
        if s == 0 || s & user_mask == asked & user_mask || s & rest_mask != asked & rest_mask {
            return false;
        }
        let then = ((s >> 4) as u64 - 1) * TICK;
        now.saturating_sub(then) <= self.lifetime
    }

    /// Records that `data.user` retrieved this meter's data from the device at `now`.
    pub fn store(&self, now: Nanos, meter: u32, export: bool, data: Data) {
        if self.enabled {
            self.stamps[meter as usize * 2 + export as usize]
                .store(Self::stamp(now, data), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(user: u8, monthly: bool, next_night: bool) -> Data {
        Data {
            next_night,
            user,
            monthly,
        }
    }

    #[test]
    fn serves_another_user_within_lifetime_only() {
        let c = S1spCache::new(true, 10, 24.0);
        let t = 3600 * SECOND;
        assert!(!c.lookup(t, 4, false, data(1, false, false)), "empty cache");
        c.store(t, 4, false, data(0, false, false));
        assert!(
            !c.lookup(t, 4, false, data(0, false, false)),
            "the same user gets no hit"
        );
        assert!(
            c.lookup(t + 60 * SECOND, 4, false, data(1, false, false)),
            "another user does"
        );
        assert!(
            !c.lookup(t, 4, true, data(1, false, false)),
            "export data is not import data"
        );
        assert!(
            !c.lookup(t, 4, false, data(1, true, false)),
            "a month of data is not a day of data"
        );
        assert!(
            !c.lookup(t, 4, false, data(1, false, true)),
            "D's data is not D+1's"
        );
        assert!(
            !c.lookup(t + 25 * 3600 * SECOND, 4, false, data(1, false, false)),
            "expired"
        );
        // Never expired early, at most one tick late, wherever in a tick it was retrieved.
        for offset in [0, 1, 45 * SECOND, 89 * SECOND] {
            let at = t + offset;
            c.store(at, 6, false, data(0, false, false));
            let day = 24 * 3600 * SECOND;
            assert!(
                c.lookup(at + day, 6, false, data(1, false, false)),
                "+{offset}"
            );
            assert!(
                !c.lookup(at + day + TICK + 1, 6, false, data(1, false, false)),
                "+{offset}"
            );
        }
        c.store(t, 5, false, data(1, true, true));
        assert!(
            c.lookup(t, 5, false, data(0, true, true)),
            "the next night's month of data, for another user"
        );
    }

    #[test]
    fn disabled_cache_never_hits() {
        let c = S1spCache::new(false, 10, 24.0);
        c.store(0, 1, false, data(0, false, false));
        assert!(!c.lookup(0, 1, false, data(1, false, false)));
    }
}
