//! Respond: the respondent journey, in GOV.UK Design System patterns. A task list
//! ([`task_list`]), one page per section ([`section_page`]) with the model's evidence beside each
//! technical question ([`evidence_panel`]), check your answers ([`check`]) and a confirmation with
//! the exports ([`done`]). Every change is saved in this browser at once ([`storage`]); drafts
//! travel between colleagues as files ([`files`]).
//!
//! Routes: `#/respond`, `#/respond/section/<id>[?from=check]`, `#/respond/check`, `#/respond/done`.

pub mod answers;
pub mod check;
pub mod done;
pub mod evidence_panel;
pub mod files;
pub mod question;
pub mod section_page;
pub mod storage;
pub mod task_list;

use leptos::prelude::*;

use crate::consultation::questions::Consultation;
use crate::consultation::response::{Answer, Response};

/// The respondent's draft and the consultation it answers, shared by every page of the journey.
#[derive(Clone, Copy)]
pub struct Journey {
    pub consultation: StoredValue<Consultation>,
    pub response: RwSignal<Response>,
    /// Why the last save failed, if it did.
    pub save_problem: RwSignal<Option<String>>,
    /// A stored draft that could not be read when the app opened (kept, and reported).
    pub load_problem: RwSignal<Option<String>>,
    /// The stored draft as this tab last saw it (to merge another tab's answers, not lose them).
    seen: StoredValue<storage::Seen>,
    /// Said when answers saved in another tab have been brought into this one.
    pub sync_notice: RwSignal<Option<String>>,
}

/// The time now, as the response records it.
pub fn now_iso() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

impl Journey {
    fn open() -> Journey {
        let c = Consultation::current();
        let loaded = storage::load(&c);
        let response = loaded
            .draft
            .unwrap_or_else(|| Response::new(&c, &now_iso()));
        Journey {
            consultation: StoredValue::new(c),
            response: RwSignal::new(response),
            save_problem: RwSignal::new(None),
            load_problem: RwSignal::new(loaded.problem),
            seen: StoredValue::new(loaded.seen),
            sync_notice: RwSignal::new(None),
        }
    }

    /// Saves the draft, merging in what another tab saved since this one last looked.
    fn save(&self) {
        let c = self.consultation;
        let result = self.response.with(|mine| {
            c.with_value(|c| {
                self.seen
                    .try_update_value(|seen| storage::save(c, mine, seen))
                    .unwrap_or(Ok(None))
            })
        });
        match result {
            Ok(merged) => {
                self.save_problem.set(None);
                if let Some(merged) = merged {
                    self.brought_in(merged);
                }
            }
            Err(problem) => self.save_problem.set(Some(problem)),
        }
    }

    /// Another tab saved `text` under this draft's key.
    fn arrived(&self, text: String) {
        let c = self.consultation;
        let merged = self.response.with_untracked(|mine| {
            c.with_value(|c| {
                self.seen
                    .try_update_value(|seen| storage::arrived(c, text, mine, seen))
                    .flatten()
            })
        });
        if let Some(merged) = merged {
            self.brought_in(merged);
        }
    }

    fn brought_in(&self, merged: Response) {
        self.response.set(merged);
        self.sync_notice.set(Some(format!(
            "Answers saved in another tab or window of this browser have been brought into this one ({}). Where both changed the same answer, the later change is kept.",
            js_sys::Date::new_0().to_locale_time_string("en-GB").as_string().unwrap_or_default()
        )));
    }

    /// Changes the draft (and its "updated" time); the autosave follows.
    pub fn update(&self, f: impl FnOnce(&mut Response)) {
        self.response.update(|r| {
            f(r);
            r.updated = now_iso();
        });
    }

    pub fn set_answer(&self, id: &str, f: impl FnOnce(&mut Answer)) {
        self.update(|r| f(r.answers.entry(id.to_string()).or_default()));
    }

    /// Replaces the draft (an opened file, a new response): its next save overwrites the stored
    /// draft rather than merging with it.
    pub fn replace(&self, r: Response) {
        self.seen.update_value(|s| s.overwrite = true);
        self.response.set(r);
    }
}

/// Which page of the journey the address shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    Tasks,
    Section { id: String, from_check: bool },
    Check,
    Done,
}

impl Page {
    pub fn from_hash(hash: &str) -> Page {
        let rest = hash.trim_start_matches('#').trim_start_matches("/respond");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["section", id] => Page::Section {
                id: id.to_string(),
                from_check: query.split('&').any(|q| q == "from=check"),
            },
            ["check"] => Page::Check,
            ["done"] => Page::Done,
            _ => Page::Tasks,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Page::Tasks => "#/respond".into(),
            Page::Section {
                id,
                from_check: false,
            } => format!("#/respond/section/{id}"),
            Page::Section {
                id,
                from_check: true,
            } => format!("#/respond/section/{id}?from=check"),
            Page::Check => "#/respond/check".into(),
            Page::Done => "#/respond/done".into(),
        }
    }
}

/// The field a link asks to land on (`...?from=check&field=q-organisation`).
pub fn field_in(hash: &str) -> Option<String> {
    let query = hash.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("field="))
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
}

/// Goes to a page of the journey.
pub fn go(page: &Page) {
    let _ = window().location().set_hash(&page.href());
}

#[component]
pub fn RespondPage() -> impl IntoView {
    let journey = Journey::open();
    let c = journey.consultation;
    // Autosave: every change is in this browser's storage before the next one.
    Effect::new(move |_| journey.save());
    // Another tab of this browser saved the same draft: bring its answers in.
    let key = c.with_value(storage::key);
    let storage_handle = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() == Some(key.as_str()) {
            if let Some(text) = ev.new_value() {
                journey.arrived(text);
            }
        }
    });
    on_cleanup(move || storage_handle.remove());
    let (page, set_page) = signal(Page::from_hash(
        &window().location().hash().unwrap_or_default(),
    ));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if hash.starts_with("#/respond") {
            let next = Page::from_hash(&hash);
            if next != page.get_untracked() {
                set_page.set(next);
                // A "Change" link names the field to land on; otherwise the page's heading.
                let field = field_in(&hash);
                request_animation_frame(move || {
                    request_animation_frame(move || match field {
                        Some(id) => crate::app::error_summary::focus_field(&id),
                        None => crate::app::router::focus_heading(),
                    })
                });
            }
        }
    });
    on_cleanup(move || handle.remove());
    // The browser tab says where the respondent is.
    Effect::new(move |_| {
        let title = match page.get() {
            Page::Tasks => "Respond".to_string(),
            Page::Section { id, .. } => c
                .with_value(|c| c.section(&id).map(|s| s.title.clone()))
                .unwrap_or_else(|| "Respond".into()),
            Page::Check => "Check your answers".into(),
            Page::Done => format!(
                "Response to MP162 – {}",
                journey
                    .response
                    .with_untracked(|r| r.value("organisation").to_string())
            ),
        };
        document().set_title(&format!("{title} – MP162 consultation explorer"));
    });
    view! {
        <Show when=move || journey.sync_notice.with(Option::is_some)>
            <div class="notification" role="status" id="sync-notice">
                <p>{move || journey.sync_notice.get().unwrap_or_default()}</p>
            </div>
        </Show>
        <Show when=move || journey.save_problem.with(Option::is_some)>
            <div class="notification notification--warning" role="alert" id="save-problem">
                <p>{move || journey.save_problem.get().unwrap_or_default()}</p>
            </div>
        </Show>
        {move || match page.get() {
            Page::Tasks => task_list::TaskList(task_list::TaskListProps { journey }).into_any(),
            Page::Section { id, from_check } => section_page::SectionPage(section_page::SectionPageProps { journey, id, from_check }).into_any(),
            Page::Check => check::CheckPage(check::CheckPageProps { journey }).into_any(),
            Page::Done => done::DonePage(done::DonePageProps { journey }).into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_through_the_address() {
        for p in [
            Page::Tasks,
            Page::Section {
                id: "portfolio".into(),
                from_check: false,
            },
            Page::Section {
                id: "technical".into(),
                from_check: true,
            },
            Page::Check,
            Page::Done,
        ] {
            assert_eq!(Page::from_hash(&p.href()), p);
        }
        assert_eq!(Page::from_hash("#/respond/nonsense/x/y"), Page::Tasks);
        assert_eq!(
            Page::from_hash("#/respond/section/nfr?from=check&field=q-growth"),
            Page::Section {
                id: "nfr".into(),
                from_check: true
            }
        );
        assert_eq!(
            field_in("#/respond/section/nfr?from=check&field=q-growth").as_deref(),
            Some("q-growth")
        );
        assert_eq!(field_in("#/respond/section/nfr?field=<script>"), None);
    }
}
