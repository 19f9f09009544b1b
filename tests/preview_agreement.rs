//! A sampled preview against the full run of the same scenario and seed, for every preset and
//! every key figure: each figure a preview shows must agree within the tolerance documented in
//! `mp162_model::preview` (measured at GB scale; `README.md`, "Previews against the full run").
//!
//! GB itself takes seconds a run, so each preset runs at 1/20 of GB with every capacity scaled
//! to match (the same loads), and its preview samples 1 in 100 of that: 15,000 meters, as the
//! page's 1-in-2,000 preview of GB does, with the same few slots a station. The figures a closer
//! 1-in-100 sample of GB shows (`preview::AT_CLOSER_SAMPLE`) run at 1 in 5 of that, the same slots
//! a station as 1 in 100 of GB.
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
    let mut closer_checked = 0;
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
        // The closer sample of GB is this many times the preview's at 1/20 of GB.
        let closer = run(&s, options(preview::CLOSER_SAMPLE / SCALE)).headline();
        let closer = preview::named_figures(&closer);
        let (full, sampled) = (
            preview::named_figures(&full),
            preview::named_figures(&sampled),
        );
        for (name, agreement) in preview::AT_CLOSER_SAMPLE {
            let at = |v: &[(&str, f64)]| v.iter().find(|(n, _)| n == name).map(|x| x.1).unwrap();
            let (f, x) = (at(&full), at(&closer));
            closer_checked += 1;
            if !preview::within(*agreement, f, x, SCALE) {
                problems.push(format!(
                    "{}: {name} at the closer sample: full {f}, sampled {x}, allowed {agreement:?}",
                    p.name
                ));
            }
        }
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
    assert_eq!(
        closer_checked,
        PRESETS.len() * preview::AT_CLOSER_SAMPLE.len()
    );
    assert!(
        problems.is_empty(),
        "outside the documented tolerance:\n{}",
        problems.join("\n")
    );
}
