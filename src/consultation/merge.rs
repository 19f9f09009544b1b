//! Two tabs, one draft: a three-way merge of responses, so that answers typed in different tabs
//! of the same browser both survive.
//!
//! Each tab remembers the draft as it last saw it in storage (the *base*). When storage and the
//! tab have both moved on from it, every part of the response — each answer's value, choices and
//! rationale, each section's completion, each question's evidence, the finish time — is taken from
//! whichever side changed it. Where both changed the same part, the later change wins: in a tab
//! that is saving, its own; in a tab told of another tab's save, the other tab's.

use std::collections::{BTreeMap, BTreeSet};

use super::response::{Answer, Response};

/// Which side wins where both changed the same part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Later {
    /// This tab's change is the later one (it is saving now).
    Mine,
    /// The stored change is the later one (another tab has just saved).
    Theirs,
}

/// One part of the response, three ways.
fn pick<T: PartialEq + Clone>(base: &T, mine: &T, theirs: &T, later: Later) -> T {
    if mine == theirs || theirs == base {
        mine.clone()
    } else if mine == base {
        theirs.clone()
    } else {
        match later {
            Later::Mine => mine.clone(),
            Later::Theirs => theirs.clone(),
        }
    }
}

/// A keyed collection, part by part; a part absent on one side is `None` there.
fn pick_map<V: PartialEq + Clone>(
    base: &BTreeMap<String, V>,
    mine: &BTreeMap<String, V>,
    theirs: &BTreeMap<String, V>,
    later: Later,
    each: impl Fn(Option<&V>, Option<&V>, Option<&V>, Later) -> Option<V>,
) -> BTreeMap<String, V> {
    let keys: BTreeSet<&String> = base
        .keys()
        .chain(mine.keys())
        .chain(theirs.keys())
        .collect();
    keys.into_iter()
        .filter_map(|k| {
            each(base.get(k), mine.get(k), theirs.get(k), later).map(|v| (k.clone(), v))
        })
        .collect()
}

fn pick_answer(
    base: Option<&Answer>,
    mine: Option<&Answer>,
    theirs: Option<&Answer>,
    later: Later,
) -> Option<Answer> {
    if mine == theirs || theirs == base {
        return mine.cloned();
    }
    if mine == base {
        return theirs.cloned();
    }
    // Both sides changed this answer: part by part.
    let blank = Answer::default();
    let (b, m, t) = (
        base.unwrap_or(&blank),
        mine.unwrap_or(&blank),
        theirs.unwrap_or(&blank),
    );
    let merged = Answer {
        value: pick(&b.value, &m.value, &t.value, later),
        values: pick(&b.values, &m.values, &t.values, later),
        rationale: pick(&b.rationale, &m.rationale, &t.rationale, later),
    };
    (!merged.is_empty()).then_some(merged)
}

fn pick_whole<V: PartialEq + Clone>(
    base: Option<&V>,
    mine: Option<&V>,
    theirs: Option<&V>,
    later: Later,
) -> Option<V> {
    pick(&base.cloned(), &mine.cloned(), &theirs.cloned(), later)
}

/// The draft with the changes of both sides since `base`.
pub fn merge(base: &Response, mine: &Response, theirs: &Response, later: Later) -> Response {
    let sections = |r: &Response| -> BTreeMap<String, ()> {
        r.completed_sections
            .iter()
            .map(|s| (s.clone(), ()))
            .collect()
    };
    let completed = pick_map(
        &sections(base),
        &sections(mine),
        &sections(theirs),
        later,
        pick_whole,
    );
    Response {
        schema: mine.schema.clone(),
        version: mine.version,
        consultation: mine.consultation.clone(),
        consultation_version: mine.consultation_version,
        started: pick(&base.started, &mine.started, &theirs.started, later),
        updated: mine.updated.clone().max(theirs.updated.clone()),
        finished: pick(&base.finished, &mine.finished, &theirs.finished, later),
        answers: pick_map(
            &base.answers,
            &mine.answers,
            &theirs.answers,
            later,
            pick_answer,
        ),
        completed_sections: completed.into_keys().collect(),
        evidence: pick_map(
            &base.evidence,
            &mine.evidence,
            &theirs.evidence,
            later,
            pick_whole,
        ),
        capacity: pick(&base.capacity, &mine.capacity, &theirs.capacity, later),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::questions::Consultation;

    fn draft() -> Response {
        Response::new(&Consultation::current(), "2026-12-01T09:00:00Z")
    }

    fn with(r: &Response, id: &str, f: impl FnOnce(&mut Answer)) -> Response {
        let mut r = r.clone();
        f(r.answers.entry(id.into()).or_default());
        r
    }

    fn value<'a>(r: &'a Response, id: &str) -> &'a str {
        r.value(id)
    }

    #[test]
    fn answers_typed_in_two_tabs_both_survive_in_either_order() {
        let base = with(&draft(), "organisation", |a| a.value = "Old name".into());
        let a = with(&base, "organisation", |a| a.value = "Example Energy".into());
        let b = with(&base, "contact_name", |a| a.value = "A. Person".into());
        for later in [Later::Mine, Later::Theirs] {
            for (mine, theirs) in [(&a, &b), (&b, &a)] {
                let m = merge(&base, mine, theirs, later);
                assert_eq!(value(&m, "organisation"), "Example Energy");
                assert_eq!(value(&m, "contact_name"), "A. Person");
            }
        }
    }

    #[test]
    fn the_later_change_to_the_same_answer_wins() {
        let base = with(&draft(), "organisation", |a| a.value = "Old".into());
        let a = with(&base, "organisation", |a| a.value = "From A".into());
        let b = with(&base, "organisation", |a| a.value = "From B".into());
        assert_eq!(
            value(&merge(&base, &a, &b, Later::Mine), "organisation"),
            "From A"
        );
        assert_eq!(
            value(&merge(&base, &a, &b, Later::Theirs), "organisation"),
            "From B"
        );
    }

    #[test]
    fn a_position_and_its_rationale_merge_separately() {
        let base = draft();
        let a = with(&base, "q_role", |a| a.value = "agree".into());
        let b = with(&base, "q_role", |a| a.rationale = "Because.".into());
        let m = merge(&base, &a, &b, Later::Theirs);
        let got = m.answer("q_role").unwrap();
        assert_eq!(
            (got.value.as_str(), got.rationale.as_str()),
            ("agree", "Because.")
        );
    }

    #[test]
    fn an_answer_cleared_in_one_tab_stays_cleared() {
        let base = with(&draft(), "organisation", |a| a.value = "Name".into());
        let mut cleared = base.clone();
        cleared.answers.remove("organisation");
        let other = with(&base, "contact_name", |a| a.value = "A. Person".into());
        let m = merge(&base, &other, &cleared, Later::Mine);
        assert_eq!(value(&m, "organisation"), "");
        assert_eq!(value(&m, "contact_name"), "A. Person");
    }

    #[test]
    fn sections_marked_complete_in_either_tab_are_kept_and_unmarking_wins_over_nothing() {
        let mut base = draft();
        base.completed_sections.insert("about".into());
        let mut a = base.clone();
        a.completed_sections.insert("portfolio".into());
        let mut b = base.clone();
        b.completed_sections.remove("about");
        let m = merge(&base, &a, &b, Later::Mine);
        assert_eq!(
            m.completed_sections.into_iter().collect::<Vec<_>>(),
            vec!["portfolio".to_string()]
        );
    }

    #[test]
    fn nothing_changed_elsewhere_means_mine_unchanged() {
        let (_, full) = crate::consultation::response::tests::complete();
        let mine = with(&full, "organisation", |a| a.value = "New".into());
        assert_eq!(merge(&full, &mine, &full, Later::Theirs), mine);
        assert_eq!(merge(&full, &full, &mine, Later::Mine), mine);
    }
}
