//! A sampled preview against the full run of the same scenario and seed, for every preset and
//! every key figure: each figure a preview shows must agree within the tolerance documented in
//! `mp162_model::preview` (measured at GB scale; `README.md`, "Previews against the full run").
//!
//! GB itself takes seconds a run, so each preset runs at 1/20 of GB with every capacity scaled
//! to match (the same loads), and its preview samples 1 in 100 of that: 15,000 meters, as the
//! page's 1-in-2,000 preview of GB does, with the same few slots a station.
#![cfg(not(target_arch = "wasm32"))]

use mp162_explorer::model::presets::PRESETS;
use mp162_explorer::model::preview::{self, Agreement};
use mp162_explorer::model::{RunOptions, run};

mod support;

const SCALE: f64 = 1.0 / 20.0;
const PREVIEW: f64 = 0.01;

#[test]
fn every_preset_preview_agrees_with_its_full_run_on_every_figure_it_shows() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for p in PRESETS {
        let s = support::scaled((p.build)(), SCALE);
        assert!(s.validate().is_empty(), "{}", p.name);
        let options = |sample| RunOptions {
            sample,
            series: false,
            ..Default::default()
        };
        let full = run(&s, options(1.0)).headline();
        let sampled = run(&s, options(PREVIEW)).headline();
        let (full, sampled) = (
            preview::named_figures(&full),
            preview::named_figures(&sampled),
        );
        for ((name, f), (_, x)) in full.iter().zip(&sampled) {
            let agreement = preview::agreement(name)
                .unwrap_or_else(|| panic!("{name} has no documented agreement"))
                .for_preset(p.name);
            assert!(f.is_finite() && x.is_finite(), "{}: {name}", p.name);
            if agreement == Agreement::NeedsFullRun {
                continue;
            }
            checked += 1;
            if !preview::within(agreement, *f, *x, SCALE) {
                problems.push(format!(
                    "{}: {name}: full {f}, preview {x}, allowed {agreement:?}",
                    p.name
                ));
            }
        }
    }
    assert!(checked >= 50, "only {checked} figures checked");
    assert!(
        problems.is_empty(),
        "outside the documented tolerance:\n{}",
        problems.join("\n")
    );
}
