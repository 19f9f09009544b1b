//! The draft in this browser's local storage: saved on every change, read back when the app
//! opens. A stored draft that cannot be read is never dropped: it is moved aside as it is, kept,
//! reported, and offered for download.

use crate::consultation::questions::Consultation;
use crate::consultation::response::Response;

fn key(c: &Consultation) -> String {
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
}

pub fn load(c: &Consultation) -> Loaded {
    let Some(store) = storage() else {
        return Loaded { draft: None, problem: Some("This browser does not let the app save your answers (storage is off). Download a draft before you leave the page.".into()) };
    };
    let Ok(Some(text)) = store.get_item(&key(c)) else {
        return Loaded {
            draft: None,
            problem: None,
        };
    };
    match Response::from_json(&text, c) {
        Ok(r) => Loaded {
            draft: Some(r),
            problem: None,
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
            }
        }
    }
}

/// Saves the draft; the error says what to do if the browser refuses.
pub fn save(c: &Consultation, r: &Response) -> Result<(), String> {
    let store =
        storage().ok_or("Your browser is not saving answers: download a draft to keep them.")?;
    store
        .set_item(&key(c), &r.to_json())
        .map_err(|_| "Your browser refused to save your answers (its storage may be full): download a draft to keep them.".to_string())
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
