//! The service requests the model sends, with what DCC's Service Request Matrix allows for each
//! (on demand, future-dated, DCC-scheduled) and what they are for. The flags come from DCC's own
//! machine-readable matrix (SmartDCCInnovation/duis-parser, `duis-request-matrix.json`, 2022).

use serde::Serialize;

/// A kind of request in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Sr {
    /// 4.8.1 Read Active Import Profile Data (HH import).
    HhImport = 0,
    /// 4.8.3 Read Export Profile Data (HH export).
    HhExport = 1,
    /// 4.6.1 Retrieve Import Daily Read Log.
    ImportDailyLog = 2,
    /// 4.6.2 Retrieve Export Daily Read Log.
    ExportDailyLog = 3,
    /// 4.1.1 Read Instantaneous Import Registers.
    InstantImport = 4,
    /// 4.2 Read Instantaneous Export Registers.
    InstantExport = 5,
    /// Existing users' scheduled reads (billing, insight): not MHHS.
    ExistingScheduled = 6,
    /// Existing users' on-demand requests (Install & Commission, prepayment, ...): not MHHS.
    ExistingOnDemand = 7,
}

pub const SRS: [Sr; 8] = [
    Sr::HhImport,
    Sr::HhExport,
    Sr::ImportDailyLog,
    Sr::ExportDailyLog,
    Sr::InstantImport,
    Sr::InstantExport,
    Sr::ExistingScheduled,
    Sr::ExistingOnDemand,
];

/// What the matrix says of a service request, and its part in MHHS.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SrInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub on_demand: bool,
    pub future_dated: bool,
    /// DCC-schedulable today (SRV 5.1 may target it).
    pub dcc_schedulable: bool,
    /// Sent for MHHS (as opposed to existing traffic).
    pub mhhs: bool,
    /// Carries HH data that the S1SP cache could serve to a second user.
    pub cacheable: bool,
}

impl Sr {
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn from_index(i: usize) -> Sr {
        SRS[i.min(7)]
    }
    pub fn info(self) -> SrInfo {
        let i = |code, name, on_demand, future_dated, dcc_schedulable, mhhs, cacheable| SrInfo {
            code,
            name,
            on_demand,
            future_dated,
            dcc_schedulable,
            mhhs,
            cacheable,
        };
        match self {
            Sr::HhImport => i(
                "4.8.1",
                "Read Active Import Profile Data",
                true,
                true,
                true,
                true,
                true,
            ),
            Sr::HhExport => i(
                "4.8.3",
                "Read Export Profile Data",
                true,
                true,
                true,
                true,
                true,
            ),
            Sr::ImportDailyLog => i(
                "4.6.1",
                "Retrieve Import Daily Read Log",
                true,
                true,
                true,
                true,
                false,
            ),
            Sr::ExportDailyLog => i(
                "4.6.2",
                "Retrieve Export Daily Read Log",
                true,
                true,
                true,
                true,
                false,
            ),
            Sr::InstantImport => i(
                "4.1.1",
                "Read Instantaneous Import Registers",
                true,
                true,
                false,
                true,
                false,
            ),
            Sr::InstantExport => i(
                "4.2",
                "Read Instantaneous Export Registers",
                true,
                true,
                false,
                true,
                false,
            ),
            Sr::ExistingScheduled => i(
                "existing-scheduled",
                "Existing scheduled reads (not MHHS)",
                true,
                true,
                true,
                false,
                false,
            ),
            Sr::ExistingOnDemand => i(
                "existing-on-demand",
                "Existing on-demand traffic (not MHHS)",
                true,
                false,
                false,
                false,
                false,
            ),
        }
    }
    /// True for requests that retrieve a user's MHHS HH data (the deliveries the report tracks).
    pub fn is_hh_data(self) -> bool {
        matches!(self, Sr::HhImport | Sr::HhExport)
    }
    /// Sent for MHHS (the same as `info().mhhs`, without building the whole description).
    pub fn is_mhhs(self) -> bool {
        !matches!(self, Sr::ExistingScheduled | Sr::ExistingOnDemand)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_mhhs_agrees_with_the_description() {
        for sr in super::SRS {
            assert_eq!(sr.is_mhhs(), sr.info().mhhs, "{sr:?}");
        }
    }

    use super::*;

    #[test]
    fn matrix_flags_for_the_open_questions() {
        // Today neither instantaneous read can be DCC-scheduled: that is what MP162 asks about.
        assert!(!Sr::InstantImport.info().dcc_schedulable);
        assert!(!Sr::InstantExport.info().dcc_schedulable);
        assert!(Sr::HhImport.info().dcc_schedulable && Sr::ImportDailyLog.info().dcc_schedulable);
        for (i, sr) in SRS.iter().enumerate() {
            assert_eq!(Sr::from_index(i), *sr);
        }
    }
}

/// One service request in flight through the model: 24 bytes, copied by value (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// When this attempt joined the DSP's lines: the user's request for the first attempt, the
    /// time a retry fell due for later ones. Orders first-come-first-served lines.
    pub submitted: u64,
    /// When the user asked for it (a schedule firing, a future-dated execution time, an
    /// on-demand request). Never changes through retries: TRTs and response times count from here.
    pub asked: u64,
    pub meter: u32,
    pub sr: u8,
    pub user: u8,
    /// 1 for the first attempt.
    pub attempt: u8,
    flags: u8,
}

/// Size of a request on the wire between workers.
pub const REQUEST_BYTES: usize = 24;

const ON_DEMAND: u8 = 1;
const MONTHLY: u8 = 2;
const SILENT: u8 = 4;
/// Set while a device attempt that will fail is in flight (its outcome is drawn when it starts).
const FAILING: u8 = 8;
/// Part of D+1's own MHHS collection (the next night), not of D's.
const NEXT_NIGHT: u8 = 16;
const ROUTE_SHIFT: u8 = 5;

impl Request {
    pub fn new(
        submitted: u64,
        meter: u32,
        sr: Sr,
        user: u8,
        route: super::routes::Route,
        on_demand: bool,
        monthly: bool,
        communicating: bool,
    ) -> Request {
        let flags = (on_demand as u8 * ON_DEMAND)
            | (monthly as u8 * MONTHLY)
            | (!communicating as u8 * SILENT)
            | ((route.index() as u8) << ROUTE_SHIFT);
        Request {
            submitted,
            asked: submitted,
            meter,
            sr: sr as u8,
            user,
            attempt: 1,
            flags,
        }
    }
    pub fn sr(&self) -> Sr {
        Sr::from_index(self.sr as usize)
    }
    pub fn route(&self) -> super::routes::Route {
        super::routes::Route::from_index((self.flags >> ROUTE_SHIFT) as usize)
    }
    /// On-demand or future-dated (a user waits seconds), as opposed to DCC-scheduled.
    pub fn on_demand(&self) -> bool {
        self.flags & ON_DEMAND != 0
    }
    /// Carries a month of HH data rather than a day.
    pub fn monthly(&self) -> bool {
        self.flags & MONTHLY != 0
    }
    /// The same request, marked with how the device attempt now in flight will end.
    pub fn in_flight(mut self, fails: bool) -> Request {
        self.flags = (self.flags & !FAILING) | (fails as u8 * FAILING);
        self
    }
    /// The same request, as part of D+1's own collection (the next night).
    pub fn of_next_night(mut self) -> Request {
        self.flags |= NEXT_NIGHT;
        self
    }
    /// Part of D+1's own collection (see [`Request::of_next_night`]).
    pub fn next_night(&self) -> bool {
        self.flags & NEXT_NIGHT != 0
    }
    /// The device attempt in flight will fail (see [`Request::in_flight`]).
    pub fn failing(&self) -> bool {
        self.flags & FAILING != 0
    }
    pub fn communicating(&self) -> bool {
        self.flags & SILENT == 0
    }
    /// The request as the 16 bytes that carry it between workers (see [`super::split_run`]).
    pub fn to_bytes(&self) -> [u8; REQUEST_BYTES] {
        let mut b = [0; REQUEST_BYTES];
        b[..8].copy_from_slice(&self.submitted.to_le_bytes());
        b[8..16].copy_from_slice(&self.asked.to_le_bytes());
        b[16..20].copy_from_slice(&self.meter.to_le_bytes());
        b[20..].copy_from_slice(&[self.sr, self.user, self.attempt, self.flags]);
        b
    }
    /// The request [`Request::to_bytes`] wrote; `None` if the bytes cannot be one (a service
    /// request or route out of range).
    pub fn from_bytes(b: &[u8; REQUEST_BYTES]) -> Option<Request> {
        let r = Request {
            submitted: u64::from_le_bytes(b[..8].try_into().ok()?),
            asked: u64::from_le_bytes(b[8..16].try_into().ok()?),
            meter: u32::from_le_bytes(b[16..20].try_into().ok()?),
            sr: b[20],
            user: b[21],
            attempt: b[22],
            flags: b[23],
        };
        let valid = (r.sr as usize) < SRS.len()
            && ((r.flags >> ROUTE_SHIFT) as usize) < 6
            && r.asked <= r.submitted
            && r.attempt >= 1;
        valid.then_some(r)
    }
    pub fn class(&self) -> super::station::Class {
        if self.on_demand() {
            super::station::Class::OnDemand
        } else {
            super::station::Class::Scheduled
        }
    }
}

/// In a FIFO line, requests are in the order their attempts joined the DSP.
impl super::station::Waiting for Request {
    fn since(&self) -> u64 {
        self.submitted
    }
}
