//! The messages between the parts of a split run, and how they travel as bytes between Web
//! Workers: a step's hand-over (what the DSP sent each route), a step's retries (what failed on
//! each route), a route part's closed accounts (to the DSP's half, which passes them on) and the
//! DSP's closing accounts (to the part that writes the report). A step's lists travel as they
//! are held, 24 bytes an entry (the time, then the request's two words, little-endian as
//! WebAssembly keeps them), so a worker copies each list whole ([`StepLists::words`],
//! [`StepLists::from_parts`]); a message that is cut short, too long, out of range or for the
//! wrong routes, or holds an entry that is not a request, is refused with a [`SplitError`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::super::dsp::Sent;
use super::super::report::Recorder;
use super::super::routes::ROUTES;
use super::super::service_requests::Request;

const HAND_OVER: [u8; 4] = *b"HOV1";
const RETRIES: [u8; 4] = *b"RTY1";
const CLOSING: [u8; 4] = *b"END1";
const ACCOUNTS: [u8; 4] = *b"ACC1";
/// Kind, step, the routes it is for, one count per route, and four bytes of padding: the
/// entries start on a multiple of 8 bytes, so a worker can copy each list's words straight
/// between its memory and the message's buffer ([`StepLists::from_parts`]).
pub const HEADER_BYTES: usize = 16 + 4 * ROUTES.len();
/// An entry: the time the request was sent (or falls due), then the request.
pub(super) const DISPATCH_BYTES: usize = std::mem::size_of::<Sent>();
const _: () = assert!(HEADER_BYTES.is_multiple_of(8));

/// Why a message between the halves could not be taken. Only a defect (or a tampered page) can
/// cause one; the worker reports it and the page offers the run again.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitError {
    /// The message is not of the kind expected, or is cut short.
    Malformed(&'static str),
    /// A step's message came out of order.
    OutOfOrder { expected: u32, got: u32 },
    /// An entry does not hold a valid request.
    BadRequest { entry: usize },
    /// The DSP's closing accounts, or a part's, could not be read.
    Closing(String),
    /// The report was asked for before the run had finished.
    Unfinished,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::Malformed(what) => write!(f, "a message between the workers was {what}"),
            SplitError::OutOfOrder { expected, got } => {
                write!(
                    f,
                    "the workers lost step: expected step {expected}, got {got}"
                )
            }
            SplitError::BadRequest { entry } => {
                write!(
                    f,
                    "entry {entry} of a message between the workers is not a request"
                )
            }
            SplitError::Closing(e) => write!(f, "a part's closing accounts were unreadable: {e}"),
            SplitError::Unfinished => write!(f, "the run had not finished"),
        }
    }
}

impl std::error::Error for SplitError {}

/// A step's requests, one list per route, in time order: what the DSP sent each route in the
/// step (a hand-over), or what failed on each route in it (retries).
pub struct StepLists {
    pub step: u32,
    /// The routes the lists are for (the others' lists are empty).
    pub(super) routes: [bool; ROUTES.len()],
    pub(super) lists: Vec<Vec<Sent>>,
    /// With retries passed as they are (natively): the routes' emptied arrival lists, for the
    /// DSP to fill again rather than grow new ones. Never part of a message's bytes.
    pub(super) spare: Vec<(usize, Vec<Sent>)>,
}

impl StepLists {
    /// Takes out the lists of the routes in `routes` (as a message for them), leaving the rest.
    pub(super) fn split_off(&mut self, routes: [bool; ROUTES.len()]) -> StepLists {
        let mut taken = StepLists {
            step: self.step,
            routes,
            lists: vec![Vec::new(); ROUTES.len()],
            spare: Vec::new(),
        };
        for (i, &theirs) in routes.iter().enumerate() {
            if theirs {
                std::mem::swap(&mut taken.lists[i], &mut self.lists[i]);
                self.routes[i] = false;
            }
        }
        taken
    }

    fn mask(&self) -> u32 {
        self.routes
            .iter()
            .enumerate()
            .map(|(i, &r)| (r as u32) << i)
            .sum()
    }

    /// The message's header, for a message of `kind`.
    fn header(&self, kind: [u8; 4]) -> [u8; HEADER_BYTES] {
        let mut h = [0; HEADER_BYTES];
        h[..4].copy_from_slice(&kind);
        h[4..8].copy_from_slice(&self.step.to_le_bytes());
        h[8..12].copy_from_slice(&self.mask().to_le_bytes());
        for (i, list) in self.lists.iter().enumerate() {
            h[12 + 4 * i..16 + 4 * i].copy_from_slice(&(list.len() as u32).to_le_bytes());
        }
        h
    }

    /// The message's length in bytes.
    pub fn message_len(&self) -> usize {
        HEADER_BYTES + self.lists.iter().map(Vec::len).sum::<usize>() * DISPATCH_BYTES
    }

    /// Each route's list as words, in route order, as they follow the header in the message
    /// (little-endian, as WebAssembly keeps them).
    pub fn words(&self) -> impl Iterator<Item = &[u64]> {
        self.lists.iter().map(|l| l.as_flattened())
    }

    /// Writes the lists as a message of `kind` into `b` (emptied first: a buffer kept from one
    /// message to the next spares allocating and touching tens of megabytes a step).
    fn write(&self, kind: [u8; 4], b: &mut Vec<u8>) {
        b.clear();
        b.reserve(self.message_len());
        b.extend_from_slice(&self.header(kind));
        for w in self.words().flatten() {
            b.extend_from_slice(&w.to_le_bytes());
        }
    }

    /// Reads what [`StepLists::write`] wrote as `kind`.
    fn from_bytes(kind: [u8; 4], msg: &[u8]) -> Result<StepLists, SplitError> {
        let head = msg.get(..HEADER_BYTES).unwrap_or(msg);
        let mut at = HEADER_BYTES;
        Self::from_parts(kind, msg.len(), head, &mut |words: &mut [u64]| {
            for (w, b) in words.iter_mut().zip(msg[at..].chunks_exact(8)) {
                *w = u64::from_le_bytes(b.try_into().expect("chunks of 8 bytes"));
            }
            at += words.len() * 8;
        })
    }

    /// Reads a message of `kind` and `len` bytes from its header (`head`, its first
    /// [`HEADER_BYTES`]) and its lists' words, which `fill` copies in, one list at a time in
    /// route order, into a list of that length. (A worker copies them straight from the
    /// message's buffer; the header says how many, and the length must agree.)
    fn from_parts(
        kind: [u8; 4],
        len: usize,
        head: &[u8],
        fill: &mut dyn FnMut(&mut [u64]),
    ) -> Result<StepLists, SplitError> {
        if head.len() < HEADER_BYTES {
            return Err(SplitError::Malformed("cut short"));
        }
        if head[..4] != kind {
            return Err(SplitError::Malformed("of the wrong kind"));
        }
        let word = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let step = word(4);
        let mask = word(8);
        if mask >> ROUTES.len() != 0 {
            return Err(SplitError::Malformed("for routes that do not exist"));
        }
        let routes: [bool; ROUTES.len()] = std::array::from_fn(|i| mask >> i & 1 == 1);
        let counts: Vec<usize> = (0..ROUTES.len())
            .map(|i| word(12 + 4 * i) as usize)
            .collect();
        if counts.iter().zip(&routes).any(|(&n, &r)| n > 0 && !r) {
            return Err(SplitError::Malformed(
                "carrying requests for routes it is not for",
            ));
        }
        let total = counts.iter().try_fold(0usize, |a, &c| a.checked_add(c));
        if total.and_then(|n| n.checked_mul(DISPATCH_BYTES)) != Some(len - HEADER_BYTES) {
            return Err(SplitError::Malformed("of the wrong length"));
        }
        let mut lists = Vec::with_capacity(ROUTES.len());
        let mut read = 0;
        for count in counts {
            let mut list = vec![[0; 3]; count];
            fill(list.as_flattened_mut());
            // Checked in a pass of its own: a loop that only reads is a fraction of the copy.
            if let Some(k) = list.iter().position(|e| !whole(e)) {
                return Err(SplitError::BadRequest { entry: read + k });
            }
            read += count;
            lists.push(list);
        }
        Ok(StepLists {
            step,
            routes,
            lists,
            spare: Vec::new(),
        })
    }
}

/// True when an entry holds a request ([`Request::is_whole`]).
fn whole(e: &Sent) -> bool {
    Request::from_words(e[1], e[2]).is_whole()
}

/// What the DSP's half leaves for the report when it has run its last step: the DSP's closed
/// accounts, and those of the routes it ran beside it.
#[derive(Serialize, Deserialize)]
pub struct Closing {
    pub(super) events: u64,
    pub(super) rec: Recorder,
    pub(super) routes: Vec<Option<(u64, Recorder)>>,
}

/// What the DSP's half tells the routes' half.
pub enum FromDsp {
    HandOver(StepLists),
    Closing(Box<Closing>),
}

impl FromDsp {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        self.write(&mut b);
        b
    }

    /// [`FromDsp::to_bytes`] into a buffer kept from one message to the next.
    pub fn write(&self, b: &mut Vec<u8>) {
        match self {
            FromDsp::HandOver(lists) => lists.write(HAND_OVER, b),
            FromDsp::Closing(closing) => json_message(CLOSING, closing, b),
        }
    }

    /// A hand-over as its header and its lists, for a worker that copies the lists' words
    /// straight into the message's buffer; `None` for the closing message (sent as bytes).
    pub fn parts(&self) -> Option<([u8; HEADER_BYTES], &StepLists)> {
        match self {
            FromDsp::HandOver(lists) => Some((lists.header(HAND_OVER), lists)),
            FromDsp::Closing(_) => None,
        }
    }

    /// A hand-over from its header and its lists' words (see [`StepLists::from_parts`]).
    pub fn from_parts(
        len: usize,
        head: &[u8],
        fill: &mut dyn FnMut(&mut [u64]),
    ) -> Result<FromDsp, SplitError> {
        StepLists::from_parts(HAND_OVER, len, head, fill).map(FromDsp::HandOver)
    }

    pub fn from_bytes(msg: &[u8]) -> Result<FromDsp, SplitError> {
        if let Some(json) = msg.strip_prefix(&CLOSING) {
            let closing: Closing = read_json(json)?;
            one_per_route(&closing.routes)?;
            return Ok(FromDsp::Closing(Box::new(closing)));
        }
        StepLists::from_bytes(HAND_OVER, msg).map(FromDsp::HandOver)
    }
}

/// What a route part tells the DSP's half: the failures of one of its steps, or, after its last
/// step, its routes' closed accounts (one entry per route, `None` for routes it did not run).
pub enum FromRoutes {
    Retries(StepLists),
    Accounts(Vec<Option<(u64, Recorder)>>),
}

impl FromRoutes {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        self.write(&mut b);
        b
    }

    /// [`FromRoutes::to_bytes`] into a buffer kept from one message to the next.
    pub fn write(&self, b: &mut Vec<u8>) {
        match self {
            FromRoutes::Retries(lists) => lists.write(RETRIES, b),
            FromRoutes::Accounts(routes) => json_message(ACCOUNTS, routes, b),
        }
    }

    /// A retries message as its header and its lists (see [`FromDsp::parts`]); `None` for
    /// accounts.
    pub fn parts(&self) -> Option<([u8; HEADER_BYTES], &StepLists)> {
        match self {
            FromRoutes::Retries(lists) => Some((lists.header(RETRIES), lists)),
            FromRoutes::Accounts(_) => None,
        }
    }

    /// A retries message from its header and its lists' words (see [`StepLists::from_parts`]).
    pub fn from_parts(
        len: usize,
        head: &[u8],
        fill: &mut dyn FnMut(&mut [u64]),
    ) -> Result<FromRoutes, SplitError> {
        StepLists::from_parts(RETRIES, len, head, fill).map(FromRoutes::Retries)
    }

    pub fn from_bytes(msg: &[u8]) -> Result<FromRoutes, SplitError> {
        if let Some(json) = msg.strip_prefix(&ACCOUNTS) {
            let routes: Vec<Option<(u64, Recorder)>> = read_json(json)?;
            one_per_route(&routes)?;
            return Ok(FromRoutes::Accounts(routes));
        }
        StepLists::from_bytes(RETRIES, msg).map(FromRoutes::Retries)
    }
}

/// True when a message starting with `head` carries a step's lists (a hand-over or retries),
/// which a worker reads with `from_parts`; other messages are read whole with `from_bytes`.
pub fn carries_lists(head: &[u8]) -> bool {
    head.starts_with(&HAND_OVER) || head.starts_with(&RETRIES)
}

/// Accounts travel as JSON after their kind's four bytes.
fn json_message(kind: [u8; 4], accounts: &impl Serialize, msg: &mut Vec<u8>) {
    msg.clear();
    msg.extend_from_slice(&kind);
    serde_json::to_writer(&mut *msg, accounts).expect("accounts serialise to memory");
}

fn read_json<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, SplitError> {
    serde_json::from_slice(json).map_err(|e| SplitError::Closing(e.to_string()))
}

/// Routes' accounts must have one entry per route (`None` for routes run elsewhere).
fn one_per_route<T>(routes: &[T]) -> Result<(), SplitError> {
    if routes.len() == ROUTES.len() {
        Ok(())
    } else {
        Err(SplitError::Closing("not one entry per route".into()))
    }
}
