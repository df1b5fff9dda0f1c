//! Ordering questions: put three to five dated events in chronological order.

use std::cmp::Ordering;

use rand::seq::SliceRandom;

use crate::deck::{Card, PartialDate};

use super::dates::date_order;
use super::normalize::loose_key;
use super::rng_for;

/// One event to place on a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub card_id: String,
    /// The card's `event`, else its prompt.
    pub caption: String,
    pub date: PartialDate,
}

/// A set of events, in the (shuffled) order they are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub events: Vec<Event>,
}

/// How well a learner ordered a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderScore {
    /// Pairs of events the learner put in a right relative order.
    pub pairs_right: usize,
    /// All pairs: `n × (n − 1) / 2` for `n` events.
    pub pairs_total: usize,
    /// Every pair is right.
    pub correct_order: bool,
}

/// Fewest events in a timeline question.
pub const MIN_EVENTS: usize = 3;
/// Most events in a timeline question.
pub const MAX_EVENTS: usize = 5;

impl Timeline {
    /// Indices into `events`, earliest first: a right answer to show. Events with the same date
    /// at their common precision may come in either order in other right answers.
    #[must_use]
    pub fn correct_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by(|&a, &b| self.events[a].date.cmp(&self.events[b].date));
        order
    }

    /// [`score_order`] on this timeline's events.
    #[must_use]
    pub fn score(&self, learner_order: &[usize]) -> OrderScore {
        score_order(&self.events, learner_order)
    }
}

/// Chooses `n` (clamped to 3..=5) events from the dated cards among `cards` and shuffles them
/// (deterministic for a seed; never shown already in order when that can be avoided).
///
/// Cards without a valid `date`, and cards whose caption repeats one already chosen, are
/// skipped. Events are picked at random, preferring first events in years of their own, then
/// events whose dates differ from all others at their common precision (see [`date_order`]),
/// and only then events that tie. Returns fewer than `n` events when there are fewer dated
/// cards, and `None` with fewer than three, or when no two events can be ordered.
#[must_use]
pub fn timeline(cards: &[Card], n: usize, seed: u64) -> Option<Timeline> {
    let n = n.clamp(MIN_EVENTS, MAX_EVENTS);
    let mut rng = rng_for(seed, "timeline", "");
    let mut pool: Vec<Event> = cards
        .iter()
        .filter_map(|c| {
            Some(Event {
                card_id: c.id.clone(),
                caption: c.event_caption().trim().to_owned(),
                date: c.partial_date()?,
            })
        })
        .filter(|e| !e.caption.is_empty())
        .collect();
    pool.shuffle(&mut rng);

    let mut chosen: Vec<Event> = Vec::new();
    let mut captions: Vec<String> = Vec::new();
    let rules: [fn(&Event, &[Event]) -> bool; 3] = [
        |e, chosen| chosen.iter().all(|c| c.date.year != e.date.year),
        |e, chosen| {
            chosen
                .iter()
                .all(|c| date_order(&c.date, &e.date) != Ordering::Equal)
        },
        |_, _| true,
    ];
    for rule in rules {
        let mut i = 0;
        while i < pool.len() && chosen.len() < n {
            let caption = loose_key(&pool[i].caption);
            let fresh = !captions.contains(&caption)
                && !chosen.iter().any(|c| c.card_id == pool[i].card_id);
            if fresh && rule(&pool[i], &chosen) {
                captions.push(caption);
                chosen.push(pool.remove(i));
            } else {
                i += 1;
            }
        }
    }
    if chosen.len() < MIN_EVENTS {
        return None;
    }
    let comparable = chosen.iter().enumerate().any(|(i, a)| {
        chosen[i + 1..]
            .iter()
            .any(|b| date_order(&a.date, &b.date) != Ordering::Equal)
    });
    if !comparable {
        return None;
    }
    chosen.shuffle(&mut rng);
    let identity: Vec<usize> = (0..chosen.len()).collect();
    if score_order(&chosen, &identity).correct_order {
        // Shown in order already: putting the earliest last makes it a question again.
        let earliest = Timeline {
            events: chosen.clone(),
        }
        .correct_order()[0];
        let e = chosen.remove(earliest);
        chosen.push(e);
    }
    Some(Timeline { events: chosen })
}

/// Scores a learner's order: `learner_order` lists indices into `events`, earliest first.
///
/// Every pair of events counts once. A pair is right when the learner placed the earlier event
/// first; events with the same date at their common precision ("2023" and "2023-09",
/// "2023-09" and "2023-09-18", or two equal dates) are interchangeable, so such a pair is always
/// right. `pairs_total` is always `n × (n − 1) / 2`: indices that are out of range or repeated
/// are ignored, and a pair involving an event missing from `learner_order` counts as wrong.
#[must_use]
pub fn score_order(events: &[Event], learner_order: &[usize]) -> OrderScore {
    let n = events.len();
    let mut seen = vec![false; n];
    let mut placed: Vec<usize> = Vec::with_capacity(n);
    for &i in learner_order {
        if i < n && !seen[i] {
            seen[i] = true;
            placed.push(i);
        }
    }
    let mut pairs_right = 0;
    for (pos, &a) in placed.iter().enumerate() {
        for &b in &placed[pos + 1..] {
            if date_order(&events[a].date, &events[b].date) != Ordering::Greater {
                pairs_right += 1;
            }
        }
    }
    let pairs_total = n * n.saturating_sub(1) / 2;
    OrderScore {
        pairs_right,
        pairs_total,
        correct_order: pairs_right == pairs_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;
    use std::collections::HashSet;

    fn dated(id: &str, date: &str) -> Card {
        let mut c = card(id, "date", date);
        c.date = Some(date.into());
        c.event = Some(format!("event {id}"));
        c
    }

    fn ev(date: &str) -> Event {
        Event {
            card_id: date.into(),
            caption: date.into(),
            date: PartialDate::parse(date).unwrap(),
        }
    }

    #[test]
    fn perfect_and_reversed_orders() {
        let e = vec![ev("2019"), ev("2020-05"), ev("2021-01-02"), ev("2022")];
        let s = score_order(&e, &[0, 1, 2, 3]);
        assert_eq!(
            s,
            OrderScore {
                pairs_right: 6,
                pairs_total: 6,
                correct_order: true
            }
        );
        let s = score_order(&e, &[3, 2, 1, 0]);
        assert_eq!(
            s,
            OrderScore {
                pairs_right: 0,
                pairs_total: 6,
                correct_order: false
            }
        );
        let s = score_order(&e, &[1, 0, 2, 3]);
        assert_eq!(s.pairs_right, 5);
        assert!(!s.correct_order);
    }

    #[test]
    fn ties_are_interchangeable() {
        let e = vec![ev("2023"), ev("2023-09"), ev("2023-09-18"), ev("2022")];
        assert!(score_order(&e, &[3, 0, 1, 2]).correct_order);
        assert!(score_order(&e, &[3, 2, 1, 0]).correct_order);
        assert!(score_order(&e, &[3, 1, 0, 2]).correct_order);
        let s = score_order(&e, &[0, 3, 1, 2]);
        assert_eq!(s.pairs_right, 5);
        // Same month, different days are ordered.
        let e = vec![ev("2023-09-02"), ev("2023-09-01")];
        assert!(!score_order(&e, &[0, 1]).correct_order);
        assert!(score_order(&e, &[1, 0]).correct_order);
        // Identical dates.
        let e = vec![ev("2023-09"), ev("2023-09")];
        assert!(score_order(&e, &[1, 0]).correct_order);
    }

    #[test]
    fn bad_learner_orders_do_not_panic() {
        let e = vec![ev("2019"), ev("2020"), ev("2021")];
        let s = score_order(&e, &[0, 1]);
        assert_eq!(
            s,
            OrderScore {
                pairs_right: 1,
                pairs_total: 3,
                correct_order: false
            }
        );
        let s = score_order(&e, &[0, 0, 9, 1, 2]);
        assert!(s.correct_order);
        assert_eq!(score_order(&[], &[]).pairs_total, 0);
    }

    #[test]
    fn builds_shuffled_timelines_with_distinct_years() {
        let cards: Vec<Card> = [
            "2018-06-12",
            "2019-02-27",
            "2019-06-30",
            "2023-09-13",
            "2024-06-19",
            "2024-06",
        ]
        .iter()
        .enumerate()
        .map(|(i, d)| dated(&format!("c{i}"), d))
        .collect();
        for seed in 0..30 {
            let t = timeline(&cards, 4, seed).unwrap();
            assert_eq!(t.events.len(), 4);
            let years: HashSet<i32> = t.events.iter().map(|e| e.date.year).collect();
            assert_eq!(years.len(), 4, "distinct years preferred");
            assert!(
                !t.score(&(0..4).collect::<Vec<_>>()).correct_order,
                "shown unsorted"
            );
            assert!(t.score(&t.correct_order()).correct_order);
            assert_eq!(timeline(&cards, 4, seed), Some(t));
        }
        let t = timeline(&cards, 5, 1).unwrap();
        assert_eq!(t.events.len(), 5);
        // n is clamped.
        assert_eq!(timeline(&cards, 99, 1).unwrap().events.len(), 5);
        assert_eq!(timeline(&cards, 0, 1).unwrap().events.len(), 3);
    }

    #[test]
    fn too_few_or_all_tied() {
        let two = vec![dated("a", "2019"), dated("b", "2020")];
        assert_eq!(timeline(&two, 3, 0), None);
        let mut undated = card("u", "actor", "x");
        undated.event = Some("u".into());
        let mut with_bad = two.clone();
        with_bad.push(undated);
        assert_eq!(timeline(&with_bad, 3, 0), None);
        let tied = vec![
            dated("a", "2019"),
            dated("b", "2019-02"),
            dated("c", "2019-02-01"),
        ];
        assert_eq!(timeline(&tied, 3, 0), None);
        let mut dup = vec![dated("a", "2019"), dated("b", "2020"), dated("c", "2021")];
        dup[2].event = Some("Event A".into());
        assert_eq!(timeline(&dup, 3, 0), None);
    }

    #[test]
    fn falls_back_to_same_year_events() {
        let cards = vec![
            dated("a", "2019-01"),
            dated("b", "2019-05"),
            dated("c", "2019-09"),
        ];
        let t = timeline(&cards, 3, 5).unwrap();
        assert_eq!(t.events.len(), 3);
    }
}
