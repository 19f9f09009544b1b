//! The draft in this browser's local storage: saved on every change, read back when the app
//! opens. A stored draft that cannot be read is never dropped: it is moved aside as it is, kept,
//! reported, and offered for download.
//!
//! Two tabs may hold the same draft. Each remembers the draft as it last saw it in storage
//! ([`Seen`]); a save that finds another tab's save in its place merges the two answer by answer
//! ([`crate::consultation::merge`]) instead of overwriting it, and a tab told of another tab's save
//! (the `storage` event) brings those answers in.

use crate::consultation::merge::{Later, merge};
use crate::consultation::questions::Consultation;
use crate::consultation::response::Response;

/// The storage key of the consultation's draft (the `storage` event names it).
pub fn key(c: &Consultation) -> String {
    format!("mp162.response.{}", c.id)
}

fn unreadable_key(c: &Consultation) -> String {
    format!("mp162.response.{}.unreadable", c.id)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What was found when the app opened.
pub struct Loaded {
    pub draft: Option<Response>,
    /// Why a stored draft could not be read (it is kept under another name).
    pub problem: Option<String>,
    pub seen: Seen,
}

/// The stored draft as this tab last read or wrote it.
#[derive(Default)]
pub struct Seen {
    /// The draft parsed (the base of a merge).
    base: Option<Response>,
    /// Its exact text, to tell cheaply whether another tab has saved since.
    text: Option<String>,
    /// The next save replaces the stored draft whatever it holds (a file was opened, or a new
    /// response started, in this tab).
    pub overwrite: bool,
}

impl Seen {
    fn of(text: String, draft: Response) -> Seen {
        Seen {
            base: Some(draft),
            text: Some(text),
            overwrite: false,
        }
    }

    /// The base for a merge: what this tab last saw, or, if it never saw a stored draft, `mine`
    /// with no answers yet.
    fn base_for(&self, mine: &Response) -> Response {
        self.base.clone().unwrap_or_else(|| Response {
            answers: Default::default(),
            completed_sections: Default::default(),
            evidence: Default::default(),
            capacity: None,
            finished: None,
            ..mine.clone()
        })
    }
}

pub fn load(c: &Consultation) -> Loaded {
    let Some(store) = storage() else {
        return Loaded { draft: None, problem: Some("This browser does not let the app save your answers (storage is off). Download a draft before you leave the page.".into()), seen: Seen::default() };
    };
    let Ok(Some(text)) = store.get_item(&key(c)) else {
        return Loaded {
            draft: None,
            problem: None,
            seen: Seen::default(),
        };
    };
    match Response::from_json(&text, c) {
        Ok(r) => Loaded {
            draft: Some(r.clone()),
            problem: None,
            seen: Seen::of(text, r),
        },
        Err(problems) => {
            // Keep it exactly as it was, under a name nothing else writes, then start afresh.
            let kept = store.set_item(&unreadable_key(c), &text).is_ok();
            if kept {
                let _ = store.remove_item(&key(c));
            }
            Loaded {
                draft: None,
                problem: Some(format!(
                    "A draft saved in this browser could not be read ({}). It has been kept as it was{}; you can download it below. A new response has been started.",
                    problems.first().cloned().unwrap_or_default(),
                    if kept { "" } else { " in place" }
                )),
                seen: Seen::default(),
            }
        }
    }
}

/// Saves the draft; the error says what to do if the browser refuses. If another tab has saved
/// since this one last looked, its changes are merged in first (this tab's change is the later one
/// where both changed the same answer) and the merged draft is returned for this tab to show.
pub fn save(
    c: &Consultation,
    mine: &Response,
    seen: &mut Seen,
) -> Result<Option<Response>, String> {
    let store =
        storage().ok_or("Your browser is not saving answers: download a draft to keep them.")?;
    let stored = store.get_item(&key(c)).ok().flatten();
    let merged = match stored {
        Some(text) if !seen.overwrite && seen.text.as_ref() != Some(&text) => {
            Response::from_json(&text, c)
                .ok()
                .map(|theirs| merge(&seen.base_for(mine), mine, &theirs, Later::Mine))
                .filter(|m| m != mine)
        }
        _ => None,
    };
    let out = merged.as_ref().unwrap_or(mine);
    let text = out.to_json();
    store
        .set_item(&key(c), &text)
        .map_err(|_| "Your browser refused to save your answers (its storage may be full): download a draft to keep them.".to_string())?;
    *seen = Seen::of(text, out.clone());
    Ok(merged)
}

/// Another tab has saved `text`: the draft this tab should show, with that tab's changes merged
/// into this one's (theirs is the later change where both changed the same answer), or `None` if
/// nothing changes here. A text that is not a readable draft is left for this tab's next save.
pub fn arrived(
    c: &Consultation,
    text: String,
    mine: &Response,
    seen: &mut Seen,
) -> Option<Response> {
    if seen.text.as_ref() == Some(&text) {
        return None;
    }
    let theirs = Response::from_json(&text, c).ok()?;
    let merged = merge(&seen.base_for(mine), mine, &theirs, Later::Theirs);
    *seen = Seen::of(text, theirs);
    (merged != *mine).then_some(merged)
}

/// The unreadable draft kept aside, if any.
pub fn unreadable(c: &Consultation) -> Option<String> {
    storage()?.get_item(&unreadable_key(c)).ok()?
}

/// Removes the stored draft (when the respondent starts a new response).
pub fn clear(c: &Consultation) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(c));
    }
}
