//! A service station: `servers` parallel servers in front of a waiting line, the building block of
//! every queue in the model (the DCC data service, a CSP's in-flight slots, an S1SP's sequential
//! handler) and of the textbook queues the engine is checked against.
//!
//! The station decides *who* is served next; the simulation decides *how long* service takes and
//! schedules the end of service on the [`Calendar`](super::calendar::Calendar). Two classes wait
//! apart: on-demand (and future-dated) work and scheduled work. Each class is first come, first
//! served; between classes the [`Discipline`] decides. A paused station (a maintenance window)
//! starts no new service; work already in service finishes.

use serde::{Deserialize, Serialize};

use super::calendar::Nanos;
use super::line::Line;

/// Which class a request waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// On-demand and future-dated requests: a user is waiting for the answer (TRT in seconds).
    OnDemand = 0,
    /// DCC-scheduled requests and retries of them (TRT in hours).
    Scheduled = 1,
}

/// How a station chooses between its two waiting lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    /// On-demand work is always served before scheduled work (non-preemptive).
    OnDemandFirst,
    /// One line in order of arrival, whatever the class.
    Fifo,
}

/// What a station needs to know of a waiting item: the time that orders it in a FIFO line.
pub trait Waiting {
    fn since(&self) -> Nanos;
}

/// A customer of a textbook queue is just its arrival time.
impl Waiting for Nanos {
    fn since(&self) -> Nanos {
        *self
    }
}

/// A multi-server station holding items of type `T` (a request, or a customer in a test queue).
/// Waiting lines hold the items themselves (16 bytes a request), not copies of their arrival time.
pub struct Station<T: Copy> {
    servers: u32,
    busy: u32,
    paused: bool,
    discipline: Discipline,
    lines: [Line<T>; 2],
}

impl<T: Waiting + Copy> Station<T> {
    pub fn new(servers: u32, discipline: Discipline) -> Self {
        Self {
            servers: servers.max(1),
            busy: 0,
            paused: false,
            discipline,
            lines: [Line::new(), Line::new()],
        }
    }

    /// An item arrives. Returns it back if a server takes it at once (the caller then schedules
    /// its end of service); otherwise it waits and `None` is returned.
    pub fn arrive(&mut self, class: Class, item: T) -> Option<T> {
        if !self.paused && self.busy < self.servers {
            self.busy += 1;
            Some(item)
        } else {
            self.lines[class as usize].push_back(item);
            None
        }
    }

    /// A server finished. Returns the next item it starts, or frees the server when nobody waits
    /// or the station is paused.
    pub fn finish(&mut self) -> Option<T> {
        debug_assert!(self.busy > 0, "finish without a busy server");
        match if self.paused {
            None
        } else {
            self.next_waiting()
        } {
            Some(next) => Some(next),
            None => {
                self.busy -= 1;
                None
            }
        }
    }

    /// Pauses or resumes service. On resume, returns the items that idle servers start now.
    pub fn set_paused(&mut self, paused: bool) -> Vec<T> {
        self.paused = paused;
        let mut started = Vec::new();
        while !paused && self.busy < self.servers {
            match self.next_waiting() {
                Some(next) => {
                    self.busy += 1;
                    started.push(next);
                }
                None => break,
            }
        }
        started
    }

    fn next_waiting(&mut self) -> Option<T> {
        let [on_demand, scheduled] = &mut self.lines;
        // Most of the time only one line has anyone in it (a line's length is one load; its
        // front looks through its blocks).
        if on_demand.is_empty() {
            return scheduled.pop_front();
        }
        if scheduled.is_empty() {
            return on_demand.pop_front();
        }
        // Both lines have someone: on-demand first, or whoever has waited longer.
        let pick_on_demand = self.discipline == Discipline::OnDemandFirst
            || on_demand
                .front()
                .zip(scheduled.front())
                .is_some_and(|(a, b)| a.since() <= b.since());
        if pick_on_demand {
            on_demand.pop_front()
        } else {
            scheduled.pop_front()
        }
    }

    /// Items waiting (not in service).
    pub fn waiting(&self) -> usize {
        self.lines[0].len() + self.lines[1].len()
    }

    /// Items in service.
    pub fn in_service(&self) -> u32 {
        self.busy
    }

    /// Every waiting item, emptying the lines (used to count what is still pending at the end).
    pub fn drain_waiting(&mut self) -> impl Iterator<Item = T> + '_ {
        let [a, b] = &mut self.lines;
        a.drain().chain(b.drain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_up_to_capacity_then_queues() {
        let mut s = Station::new(2, Discipline::Fifo);
        assert_eq!(s.arrive(Class::Scheduled, 0), Some(0));
        assert_eq!(s.arrive(Class::Scheduled, 1), Some(1));
        assert_eq!(s.arrive(Class::Scheduled, 2), None);
        assert_eq!(s.arrive(Class::OnDemand, 3), None);
        assert_eq!(s.waiting(), 2);
        assert_eq!(s.finish(), Some(2), "FIFO across classes");
        assert_eq!(s.finish(), Some(3));
        assert_eq!(s.finish(), None);
        assert_eq!(s.in_service(), 1);
    }

    #[test]
    fn on_demand_first_jumps_the_scheduled_line() {
        let mut s = Station::new(1, Discipline::OnDemandFirst);
        s.arrive(Class::Scheduled, 0);
        s.arrive(Class::Scheduled, 1);
        s.arrive(Class::OnDemand, 2);
        assert_eq!(s.finish(), Some(2));
        assert_eq!(s.finish(), Some(1));
    }

    #[test]
    fn paused_station_starts_nothing_until_resumed() {
        let mut s = Station::new(2, Discipline::Fifo);
        s.arrive(Class::Scheduled, 1u64);
        s.set_paused(true);
        assert_eq!(s.arrive(Class::Scheduled, 2), None);
        assert_eq!(s.arrive(Class::Scheduled, 3), None);
        assert_eq!(s.finish(), None, "the server goes idle while paused");
        let started = s.set_paused(false);
        assert_eq!(started, vec![2, 3]);
        assert_eq!(s.in_service(), 2);
    }
}
