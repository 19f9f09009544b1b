//! Named starting points: today's traffic, the DCC recommendation and the original TOM, and the
//! variants the consultation asks about.

use super::scenario::Scenario;

/// A preset: its name on the command line and in URLs, a one-line description, and its scenario.
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    pub build: fn() -> Scenario,
}

fn named(name: &str, f: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut s = Scenario {
        name: name.into(),
        ..Scenario::default()
    };
    f(&mut s);
    s
}

pub static PRESETS: &[Preset] = &[
    Preset {
        name: "today",
        description: "Today's traffic without MHHS collection",
        build: || named("Today without MHHS", |s| s.collection.mhhs = false),
    },
    Preset {
        name: "dcc-recommendation",
        description: "DCC recommendation: every meter (~30M) collected daily, one day of HH data each",
        build: || named("DCC recommendation: every meter daily", |_| {}),
    },
    Preset {
        name: "original-tom",
        description: "Original TOM: ~1M meters a day, a month of HH data each",
        build: || {
            named("Original TOM: 1M meters a day, monthly data", |s| {
                s.collection.daily_share = 0.0
            })
        },
    },
    Preset {
        name: "dcc-recommendation-smoothed",
        description: "DCC recommendation with DCC smoothing scheduled requests across the TRT",
        build: || {
            named("DCC recommendation, smoothed by DCC", |s| {
                s.policy.smoothing = true
            })
        },
    },
    Preset {
        name: "tuesday-maintenance",
        description: "DCC recommendation the night after a Tuesday: DCC maintenance (Tuesday 20:00 to Wednesday 02:00) leaves no capacity anywhere until 02:00",
        build: || {
            named("DCC recommendation, Tuesday maintenance until 02:00", |s| {
                s.policy.maintenance_on = true;
                s.policy.maintenance = super::scenario::Window::new(0.0, 2.0);
            })
        },
    },
    Preset {
        name: "dcc-recommendation-2026-11",
        description: "The DCC recommendation with the defaults before model version 2 (export 8%, failures 3%/8% per attempt, none persistent), to read earlier evidence again",
        build: || {
            named("DCC recommendation, defaults of November 2026", |s| {
                s.population.export_share = 0.08;
                s.devices.smets2_attempt_failure = 0.03;
                s.devices.smets1_attempt_failure = 0.08;
                s.devices.smets2_persistent_failure = 0.0;
                s.devices.smets1_persistent_failure = 0.0;
            })
        },
    },
    Preset {
        name: "sr-4-2-on-demand",
        description: "DCC recommendation with SR 4.2 not schedulable: SMETS1 export reads on demand at midnight",
        build: || {
            named("DCC recommendation, SR 4.2 on demand at midnight", |s| {
                s.schedules.sr_4_2_schedulable = false
            })
        },
    },
];

/// The scenario of a preset by name.
pub fn preset(name: &str) -> Option<Scenario> {
    PRESETS.iter().find(|p| p.name == name).map(|p| (p.build)())
}

pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_validates_and_names_are_unique() {
        for p in PRESETS {
            let s = (p.build)();
            assert_eq!(s.validate(), vec![], "{}", p.name);
        }
        let mut n = names();
        n.sort();
        n.dedup();
        assert_eq!(n.len(), PRESETS.len());
        assert!(preset("today").is_some() && preset("nope").is_none());
    }
}
