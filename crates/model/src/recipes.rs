//! Recipes: the requests a batch's sweep asks of a meter, looked up by the meter's traits.
//!
//! What a sweep asks of a meter depends only on the run's [`Rules`] and the meter's traits, which
//! pack into 13 bits ([`Meter::packed`]); the meter's number and the batch's time are all that
//! differ from one meter to the next. A GB day walks about 150 million meters through its sweeps,
//! so each combination of traits is worked out once per kind of batch, the first time a meter
//! with it is met, and every later meter copies the requests ready-made. A preview meets only
//! the combinations its few meters have, so it works out no more than it uses.

use super::calendar::Nanos;
use super::population::Meter;
use super::schedules::{Rules, Sweep};
use super::service_requests::Request;

/// How many combinations of traits there are: the route in three bits, ten flags.
pub const TRAIT_COMBINATIONS: usize = 1 << 13;

/// A combination not yet worked out.
const UNKNOWN: u32 = u32::MAX;
/// Bits of an entry that hold how many requests it makes (the rest: where they start).
const LEN_BITS: u32 = 4;

/// The requests each kind of batch (sweep and flag) makes for each combination of traits.
pub struct Recipes {
    rules: Rules,
    kinds: Vec<Kind>,
}

struct Kind {
    sweep: Sweep,
    flagged: Option<bool>,
    /// For each packed combination of traits: where its requests start in `made` and how many
    /// there are, or [`UNKNOWN`].
    entries: Vec<u32>,
    /// The requests, with meter 0 asked for at time 0.
    made: Vec<Request>,
}

/// The requests one meter gets: a run of a kind's ready-made requests.
#[derive(Clone, Copy, Debug, Default)]
pub struct Recipe {
    start: u32,
    pub len: u32,
}

impl Recipes {
    pub fn new(rules: Rules) -> Recipes {
        Recipes {
            rules,
            kinds: Vec::new(),
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The number of the kind of batch that sweeps `sweep` over meters flagged `flagged`.
    pub fn kind(&mut self, sweep: Sweep, flagged: Option<bool>) -> usize {
        if let Some(i) = self
            .kinds
            .iter()
            .position(|k| k.sweep == sweep && k.flagged == flagged)
        {
            return i;
        }
        self.kinds.push(Kind {
            sweep,
            flagged,
            entries: vec![UNKNOWN; TRAIT_COMBINATIONS],
            made: Vec::new(),
        });
        self.kinds.len() - 1
    }

    /// What a meter whose traits packed to `packed` gets from batches of kind `kind`.
    pub fn recipe(&mut self, kind: usize, packed: u16) -> Recipe {
        let k = &mut self.kinds[kind];
        let slot = packed as usize & (TRAIT_COMBINATIONS - 1);
        if k.entries[slot] == UNKNOWN {
            let start = k.made.len() as u32;
            let meter = Meter::from_packed(packed);
            self.rules
                .requests(k.sweep, k.flagged, 0, &meter, 0, &mut k.made);
            let len = k.made.len() as u32 - start;
            debug_assert!(len < 1 << LEN_BITS);
            k.entries[slot] = start << LEN_BITS | len;
        }
        let e = k.entries[slot];
        Recipe {
            start: e >> LEN_BITS,
            len: e & ((1 << LEN_BITS) - 1),
        }
    }

    /// Request `i` of `recipe` (of kind `kind`) for meter `meter`, asked for at `at`.
    pub fn request(&self, kind: usize, recipe: Recipe, i: u32, meter: u32, at: Nanos) -> Request {
        debug_assert!(i < recipe.len);
        let mut r = self.kinds[kind].made[(recipe.start + i) as usize];
        r.set_meter(meter);
        r.asked_at(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use crate::population::Population;
    use crate::users::UserGroup;

    #[test]
    fn a_recipe_makes_exactly_what_the_rules_ask_of_the_meter() {
        let mut s = Scenario::default();
        s.population.meters = 20_000;
        s.users.agent_share = 0.4;
        s.existing.scheduled_per_meter_day = 0.5;
        s.collection.validation_reads_per_day = 0.3;
        s.collection.daily_share = 0.5;
        s.policy.mhhs_window_on = true;
        let pop = Population::new(&s, 1.0);
        let rules = Rules::new(&s);
        let mut recipes = Recipes::new(rules.clone());
        let kinds = [
            (Sweep::Existing, None),
            (Sweep::Midnight, None),
            (Sweep::Mhhs(UserGroup::Agent), None),
            (Sweep::Mhhs(UserGroup::Supplier), Some(true)),
            (Sweep::Mhhs(UserGroup::Supplier), Some(false)),
        ];
        let mut expected = Vec::new();
        let mut made = 0;
        for m in 0..pop.meters {
            for (sweep, flagged) in kinds {
                expected.clear();
                rules.requests(sweep, flagged, m, &pop.meter(m), 12_345, &mut expected);
                let kind = recipes.kind(sweep, flagged);
                let recipe = recipes.recipe(kind, pop.packed(m));
                let got: Vec<Request> = (0..recipe.len)
                    .map(|i| recipes.request(kind, recipe, i, m, 12_345))
                    .collect();
                assert_eq!(got, expected, "meter {m}, {sweep:?} {flagged:?}");
                made += got.len();
            }
        }
        assert!(made > 20_000, "the test must see requests made ({made})");
        assert_eq!(recipes.kinds.len(), kinds.len());
    }
}
