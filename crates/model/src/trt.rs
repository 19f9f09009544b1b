//! Target Response Times: how long DCC has to answer each request.

use super::calendar::{Nanos, nanos};
use super::scenario::Scenario;

/// The TRTs of a run in engine time.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trts {
    on_demand: [Nanos; 2],
    scheduled: Nanos,
}

impl Trts {
    pub fn new(s: &Scenario) -> Trts {
        Trts {
            on_demand: [
                nanos(s.trt.on_demand_smets2_s),
                nanos(s.trt.on_demand_smets1_s),
            ],
            scheduled: nanos(s.trt.scheduled_h * 3600.0),
        }
    }

    /// The TRT of a request: on-demand and future-dated ones by device generation (counted from
    /// the execution time), DCC-scheduled ones from the time the schedule fired.
    pub fn of(&self, on_demand: bool, smets1: bool) -> Nanos {
        if on_demand {
            self.on_demand[smets1 as usize]
        } else {
            self.scheduled
        }
    }
}
