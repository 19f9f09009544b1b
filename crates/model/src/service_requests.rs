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
    use super::*;
    use crate::calendar::SECOND;
    use crate::routes::Route;

    #[test]
    fn a_request_packs_every_field_into_16_bytes_and_back() {
        assert_eq!(std::mem::size_of::<Request>(), 16);
        // The largest of everything: the last meter GB may have, 96 hours, the last attempt.
        let horizon = 96 * 3600 * SECOND;
        for (meter, sr, user, route, at) in [
            (0, Sr::HhImport, 0, Route::CspNorth, 0),
            (
                (1 << 26) - 1,
                SRS[SRS.len() - 1],
                2,
                Route::S1spFoc,
                horizon,
            ),
            (
                29_999_999,
                Sr::HhExport,
                1,
                Route::S1spMoc,
                7 * 3600 * SECOND + 123_456_789,
            ),
        ] {
            let r = Request::new(at, meter, sr, user, route, true, false, true);
            assert_eq!(
                (
                    r.submitted(),
                    r.asked(),
                    r.meter(),
                    r.sr(),
                    r.user(),
                    r.route(),
                    r.attempt()
                ),
                (at, at, meter, sr, user, route, 1)
            );
            assert!(r.on_demand() && !r.monthly() && r.communicating() && !r.failing());
            let r = r.in_flight(true).of_next_night();
            assert!(r.failing() && r.next_night() && r.on_demand());
            let [a, b] = r.words();
            assert!(r.is_whole() && Request::from_words(a, b) == r);
            // Retries keep the user's ask (to 0.1 ms) and count their attempts.
            let mut again = r;
            for k in 2..=20u8 {
                again = again
                    .in_flight(false)
                    .next_attempt()
                    .resubmitted(at + k as u64 * 3600 * SECOND);
                assert_eq!(again.attempt(), k);
                assert_eq!(again.submitted(), at + k as u64 * 3600 * SECOND);
                assert!(
                    again.asked() <= at && at - again.asked() < ASKED_UNIT,
                    "{}",
                    again.asked()
                );
                assert_eq!(
                    (again.meter(), again.sr(), again.user(), again.route()),
                    (meter, sr, user, route)
                );
                assert!(again.next_night() && !again.failing());
            }
            let [a, b] = again.words();
            assert!(again.is_whole() && Request::from_words(a, b) == again);
            // A template made into a new request asks when it joins.
            let fresh = again.asked_at(5 * SECOND);
            assert_eq!((fresh.submitted(), fresh.asked()), (5 * SECOND, 5 * SECOND));
        }
        // Words that cannot be a request are refused.
        let [a, b] =
            Request::new(0, 1, Sr::HhImport, 0, Route::CspNorth, false, false, true).words();
        // The second word's bytes 4 and 5 (of the 16): user group 3, route 7.
        let bad = Request::from_words(a, b | 0xffff << 32);
        assert!(!bad.is_whole());
    }

    #[test]
    fn is_mhhs_agrees_with_the_description() {
        for sr in super::SRS {
            assert_eq!(sr.is_mhhs(), sr.info().mhhs, "{sr:?}");
        }
    }

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

/// One service request in flight through the model: 16 bytes, copied by value (no allocation).
///
/// Two words, packed (a GB day holds tens of millions of these in its lines, so each byte is
/// tens of megabytes):
/// - `a`: when this attempt joined the DSP's lines, in nanoseconds (bits 0–49: 13 days), and the
///   high 14 bits of the ask code (bits 50–63);
/// - `b`: the meter (bits 0–25: 67 M), the attempt (26–30), the service request (31–33), the user
///   group (34–35), the flags (36–43: on demand, monthly, silent, failing, next night, route),
///   and the low 20 bits of the ask code (44–63).
///
/// The ask code says when the user asked: 0 for "when this attempt joined" (every first attempt,
/// exactly), else the time in [`ASKED_UNIT`]s plus one (a retry keeps its user's ask to within
/// 0.1 ms, not to the nanosecond: a retry waits an hour or more, against TRTs of seconds and hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    a: u64,
    b: u64,
}

/// The unit a retry's ask time is kept in: 0.1 ms.
pub const ASKED_UNIT: u64 = 100_000;

const ON_DEMAND: u8 = 1;
const MONTHLY: u8 = 2;
const SILENT: u8 = 4;
/// Set while a device attempt that will fail is in flight (its outcome is drawn when it starts).
const FAILING: u8 = 8;
/// Part of D+1's own MHHS collection (the next night), not of D's.
const NEXT_NIGHT: u8 = 16;
const ROUTE_SHIFT: u8 = 5;

// Word `a`: the attempt's time, then the ask code's high bits.
const TIME_BITS: u32 = 50;
const TIME_MASK: u64 = (1 << TIME_BITS) - 1;
// Word `b`, from bit 0: each field's width; its place follows from the one before.
const METER_BITS: u32 = 26;
const ATTEMPT_BITS: u32 = 5;
const SR_BITS: u32 = 3;
const USER_BITS: u32 = 2;
const FLAGS_BITS: u32 = 8;
const METER_MASK: u64 = (1 << METER_BITS) - 1;
const ATTEMPT_SHIFT: u32 = METER_BITS;
const SR_SHIFT: u32 = ATTEMPT_SHIFT + ATTEMPT_BITS;
const USER_SHIFT: u32 = SR_SHIFT + SR_BITS;
const FLAGS_SHIFT: u32 = USER_SHIFT + USER_BITS;
const ASK_LOW_SHIFT: u32 = FLAGS_SHIFT + FLAGS_BITS;
const ASK_LOW_BITS: u32 = 64 - ASK_LOW_SHIFT;
const LOW_MASK: u64 = (1 << ASK_LOW_SHIFT) - 1;
// Every service request, user group and attempt fits its field.
const _: () = assert!(SRS.len() <= 1 << SR_BITS && 3 <= 1 << USER_BITS && 20 < 1 << ATTEMPT_BITS);

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
        debug_assert!(user < 1 << USER_BITS);
        let mut r = Request {
            a: 0,
            b: ((1u64) << ATTEMPT_SHIFT)
                | ((sr as u64) << SR_SHIFT)
                | (((user as u64) & ((1 << USER_BITS) - 1)) << USER_SHIFT)
                | ((flags as u64) << FLAGS_SHIFT),
        };
        r.set_meter(meter);
        r.set_submitted(submitted);
        r
    }

    /// When this attempt joined the DSP's lines: the user's request for the first attempt, the
    /// time a retry fell due for later ones. Orders first-come-first-served lines.
    #[inline]
    pub fn submitted(&self) -> u64 {
        self.a & TIME_MASK
    }

    /// When the user asked for it (a schedule firing, a future-dated execution time, an on-demand
    /// request). Never changes through retries: TRTs and response times count from here.
    #[inline]
    pub fn asked(&self) -> u64 {
        match self.ask_code() {
            0 => self.submitted(),
            c => (c - 1) * ASKED_UNIT,
        }
    }

    #[inline]
    pub fn meter(&self) -> u32 {
        (self.b & METER_MASK) as u32
    }

    /// 1 for the first attempt.
    #[inline]
    pub fn attempt(&self) -> u8 {
        ((self.b >> ATTEMPT_SHIFT) & ((1 << ATTEMPT_BITS) - 1)) as u8
    }

    /// The user group's index (`users::USER_GROUPS`).
    #[inline]
    pub fn user(&self) -> u8 {
        ((self.b >> USER_SHIFT) & ((1 << USER_BITS) - 1)) as u8
    }

    /// The service request's index (`SRS`).
    #[inline]
    pub fn sr_index(&self) -> usize {
        ((self.b >> SR_SHIFT) & ((1 << SR_BITS) - 1)) as usize
    }

    #[inline]
    fn flags(&self) -> u8 {
        (self.b >> FLAGS_SHIFT) as u8
    }

    #[inline]
    fn set_flags(&mut self, flags: u8) {
        self.b = (self.b & !(0xff << FLAGS_SHIFT)) | ((flags as u64) << FLAGS_SHIFT);
    }

    #[inline]
    fn ask_code(&self) -> u64 {
        ((self.a >> TIME_BITS) << ASK_LOW_BITS) | (self.b >> ASK_LOW_SHIFT)
    }

    #[inline]
    fn set_ask_code(&mut self, c: u64) {
        debug_assert!(c < 1 << (64 - TIME_BITS + ASK_LOW_BITS));
        self.a = (self.a & TIME_MASK) | ((c >> ASK_LOW_BITS) << TIME_BITS);
        self.b = (self.b & LOW_MASK) | ((c & ((1 << ASK_LOW_BITS) - 1)) << ASK_LOW_SHIFT);
    }

    #[inline]
    fn set_submitted(&mut self, at: u64) {
        debug_assert!(at <= TIME_MASK, "a time past 13 days");
        self.a = (self.a & !TIME_MASK) | (at & TIME_MASK);
    }

    #[inline]
    pub fn set_meter(&mut self, meter: u32) {
        debug_assert!((meter as u64) <= METER_MASK);
        self.b = (self.b & !METER_MASK) | (meter as u64 & METER_MASK);
    }

    /// The same request, asked for (and joining) at `at`: a new request made from a template.
    #[inline]
    pub fn asked_at(mut self, at: u64) -> Request {
        self.set_submitted(at);
        self.set_ask_code(0);
        self
    }

    /// The same request joining the DSP's lines again at `at` (a retry falling due); its user's
    /// ask time is kept.
    #[inline]
    pub fn resubmitted(mut self, at: u64) -> Request {
        if self.ask_code() == 0 {
            let asked = self.submitted();
            self.set_ask_code(asked / ASKED_UNIT + 1);
        }
        self.set_submitted(at);
        self
    }

    /// The same request's next attempt.
    #[inline]
    pub fn next_attempt(mut self) -> Request {
        debug_assert!(self.attempt() < (1 << ATTEMPT_BITS) - 1);
        self.b += 1 << ATTEMPT_SHIFT;
        self
    }

    pub fn sr(&self) -> Sr {
        Sr::from_index(self.sr_index())
    }
    pub fn route(&self) -> super::routes::Route {
        super::routes::Route::from_index((self.flags() >> ROUTE_SHIFT) as usize)
    }
    /// On-demand or future-dated (a user waits seconds), as opposed to DCC-scheduled.
    pub fn on_demand(&self) -> bool {
        self.flags() & ON_DEMAND != 0
    }
    /// Carries a month of HH data rather than a day.
    pub fn monthly(&self) -> bool {
        self.flags() & MONTHLY != 0
    }
    /// The same request, marked with how the device attempt now in flight will end.
    pub fn in_flight(mut self, fails: bool) -> Request {
        self.set_flags((self.flags() & !FAILING) | (fails as u8 * FAILING));
        self
    }
    /// The same request, as part of D+1's own collection (the next night).
    pub fn of_next_night(mut self) -> Request {
        self.set_flags(self.flags() | NEXT_NIGHT);
        self
    }
    /// Part of D+1's own collection (see [`Request::of_next_night`]).
    pub fn next_night(&self) -> bool {
        self.flags() & NEXT_NIGHT != 0
    }
    /// The device attempt in flight will fail (see [`Request::in_flight`]).
    pub fn failing(&self) -> bool {
        self.flags() & FAILING != 0
    }
    pub fn communicating(&self) -> bool {
        self.flags() & SILENT == 0
    }
    /// The request's two words (the lists between the DSP and the routes hold them as they are).
    #[inline]
    pub fn words(&self) -> [u64; 2] {
        [self.a, self.b]
    }
    /// The request whose [`Request::words`] these are, unchecked: words from elsewhere than this
    /// run's own lists must pass [`Request::is_whole`] before use.
    #[inline]
    pub fn from_words(a: u64, b: u64) -> Request {
        Request { a, b }
    }
    /// False for words that cannot be a request: a service request, user group or route out of
    /// range, no attempt, or an ask after the attempt.
    pub fn is_whole(&self) -> bool {
        self.sr_index() < SRS.len()
            && ((self.flags() >> ROUTE_SHIFT) as usize) < 6
            && (self.user() as usize) < super::users::USER_GROUPS.len()
            && self.asked() <= self.submitted()
            && self.attempt() >= 1
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
        self.submitted()
    }
}
