//! Hash routes: `#/explore`, `#/respond`, `#/consolidate`, `#/about`. A static host (GitHub Pages)
//! only ever serves `index.html`, so any deep link and any reload shows the right area without a
//! server-side rewrite or a 404.html trick. Anything after `?` in the hash is the area's own state.

use leptos::prelude::*;

/// The areas of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Home,
    Explore,
    Respond,
    Consolidate,
    About,
    /// Deliberately panics: proves the fail-safe message in end-to-end tests.
    PanicCheck,
    NotFound,
}

impl Area {
    /// The navigation entries, in order.
    pub const NAV: [Area; 4] = [Area::Explore, Area::Respond, Area::Consolidate, Area::About];

    pub fn href(self) -> &'static str {
        match self {
            Area::Home => "#/",
            Area::Explore => "#/explore",
            Area::Respond => "#/respond",
            Area::Consolidate => "#/consolidate",
            Area::About => "#/about",
            Area::PanicCheck => "#/panic-check",
            Area::NotFound => "#/not-found",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Area::Home => "Home",
            Area::Explore => "Explore",
            Area::Respond => "Respond",
            Area::Consolidate => "Consolidate",
            Area::About => "About",
            Area::PanicCheck => "Fail-safe check",
            Area::NotFound => "Page not found",
        }
    }

    /// The area a location hash names. Hashes that are not routes (`#main-content`) keep `None`.
    pub fn from_hash(hash: &str) -> Option<Area> {
        let h = hash.strip_prefix('#').unwrap_or(hash);
        if h.is_empty() {
            return Some(Area::Home);
        }
        let path = h.strip_prefix('/')?;
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        Some(match path {
            "" => Area::Home,
            "explore" => Area::Explore,
            "respond" => Area::Respond,
            p if p.starts_with("respond/") => Area::Respond,
            "consolidate" => Area::Consolidate,
            "about" => Area::About,
            "panic-check" => Area::PanicCheck,
            _ => Area::NotFound,
        })
    }
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current area, following `hashchange`. On a change, focus moves to the new page's heading
/// so screen-reader and keyboard users land on the new content, and the title follows.
pub fn use_area() -> ReadSignal<Area> {
    let (area, set_area) = signal(Area::from_hash(&current_hash()).unwrap_or(Area::Home));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(next) = Area::from_hash(&current_hash()) {
            if next != area.get_untracked() {
                set_area.set(next);
            }
        }
    });
    on_cleanup(move || handle.remove());
    // After the new page has rendered, move focus to its heading.
    Effect::new(move |previous: Option<Area>| {
        let a = area.get();
        if previous.is_some_and(|p| p != a) {
            // Two frames: the new page has rendered (and any first chart drawn) by then.
            request_animation_frame(|| request_animation_frame(focus_heading));
        }
        let title = match a {
            Area::Home => "MP162 consultation explorer".to_string(),
            other => format!("{} – MP162 consultation explorer", other.label()),
        };
        document().set_title(&title);
        a
    });
    area
}

/// Moves focus to the page's main heading (after a route change).
pub fn focus_heading() {
    use wasm_bindgen::JsCast;
    if let Some(h1) = document().query_selector("main h1").ok().flatten() {
        let _ = h1.set_attribute("tabindex", "-1");
        if let Ok(el) = h1.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_map_to_areas() {
        assert_eq!(Area::from_hash(""), Some(Area::Home));
        assert_eq!(Area::from_hash("#/"), Some(Area::Home));
        assert_eq!(Area::from_hash("#/explore"), Some(Area::Explore));
        assert_eq!(Area::from_hash("#/explore?s=abc"), Some(Area::Explore));
        assert_eq!(Area::from_hash("#/about/"), Some(Area::About));
        assert_eq!(
            Area::from_hash("#/respond/section/portfolio"),
            Some(Area::Respond)
        );
        assert_eq!(Area::from_hash("#/nowhere"), Some(Area::NotFound));
        assert_eq!(
            Area::from_hash("#main-content"),
            None,
            "in-page anchors are not routes"
        );
        for a in Area::NAV {
            assert_eq!(Area::from_hash(a.href()), Some(a));
        }
    }
}
