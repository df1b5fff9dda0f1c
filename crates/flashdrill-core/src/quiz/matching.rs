//! Matching questions: pair actors (card answers) with their roles.

use rand::seq::SliceRandom;

use crate::deck::Card;

use super::normalize::loose_key;
use super::rng_for;

/// A matching question: `left[i]` belongs with `right[pairs[i]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching {
    /// The card each left item comes from.
    pub card_ids: Vec<String>,
    /// The cards' answers (the actors), in display order.
    pub left: Vec<String>,
    /// The cards' roles, shuffled.
    pub right: Vec<String>,
    /// For each left index, the index of its role in `right`.
    pub pairs: Vec<usize>,
}

/// Fewest pairs in a matching question.
pub const MIN_PAIRS: usize = 3;
/// Most pairs in a matching question.
pub const MAX_PAIRS: usize = 6;

/// Chooses `n` (clamped to 4..=6) cards with a `role` from `cards` at random and shuffles their
/// roles (deterministic for a seed; roles are never shown already lined up with their answers).
///
/// Cards without a role or answer, and cards whose answer or role repeats one already chosen
/// (leniently: case, accents, punctuation, spacing), are skipped. Returns fewer pairs when there
/// are fewer such cards, and `None` with fewer than three.
#[must_use]
pub fn matching(cards: &[Card], n: usize, seed: u64) -> Option<Matching> {
    let n = n.clamp(4, MAX_PAIRS);
    let mut rng = rng_for(seed, "matching", "");
    let mut pool: Vec<(&Card, &str)> = cards
        .iter()
        .filter_map(|c| {
            let role = c.role.as_deref()?.trim();
            (!role.is_empty() && !c.answer.trim().is_empty()).then_some((c, role))
        })
        .collect();
    pool.shuffle(&mut rng);

    let (mut lefts, mut rights) = (Vec::new(), Vec::new());
    let mut chosen: Vec<(&Card, &str)> = Vec::new();
    for (card, role) in pool {
        if chosen.len() == n {
            break;
        }
        let (l, r) = (loose_key(&card.answer), loose_key(role));
        if l.is_empty() || r.is_empty() || lefts.contains(&l) || rights.contains(&r) {
            continue;
        }
        lefts.push(l);
        rights.push(r);
        chosen.push((card, role));
    }
    if chosen.len() < MIN_PAIRS {
        return None;
    }
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.shuffle(&mut rng);
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
    }
    // order[r] = the left index whose role is shown at right position r.
    let mut pairs = vec![0; chosen.len()];
    for (r, &l) in order.iter().enumerate() {
        pairs[l] = r;
    }
    Some(Matching {
        card_ids: chosen.iter().map(|(c, _)| c.id.clone()).collect(),
        left: chosen
            .iter()
            .map(|(c, _)| c.answer.trim().to_owned())
            .collect(),
        right: order.iter().map(|&l| chosen[l].1.to_owned()).collect(),
        pairs,
    })
}

/// The outcome of trying to pair a left item with a right item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PairResult {
    /// They belong together; both are now done.
    Right,
    /// They do not (or an index is out of range). The left item no longer counts as right on
    /// the first try.
    Wrong,
    /// The left or the right item is already paired; nothing changes.
    AlreadyDone,
}

/// A matching question being played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchingGame {
    matching: Matching,
    left_done: Vec<bool>,
    right_done: Vec<bool>,
    missed: Vec<bool>,
}

impl MatchingGame {
    #[must_use]
    pub fn new(matching: Matching) -> Self {
        let n = matching.left.len();
        Self {
            left_done: vec![false; n],
            right_done: vec![false; matching.right.len()],
            missed: vec![false; n],
            matching,
        }
    }

    #[must_use]
    pub fn matching(&self) -> &Matching {
        &self.matching
    }

    /// Tries to pair `left[left_idx]` with `right[right_idx]`.
    pub fn try_pair(&mut self, left_idx: usize, right_idx: usize) -> PairResult {
        let (Some(&left_done), Some(&right_done)) =
            (self.left_done.get(left_idx), self.right_done.get(right_idx))
        else {
            return PairResult::Wrong;
        };
        if left_done || right_done {
            return PairResult::AlreadyDone;
        }
        if self.matching.pairs.get(left_idx) == Some(&right_idx) {
            self.left_done[left_idx] = true;
            self.right_done[right_idx] = true;
            PairResult::Right
        } else {
            self.missed[left_idx] = true;
            PairResult::Wrong
        }
    }

    /// Whether `left[left_idx]` has been paired.
    #[must_use]
    pub fn is_left_done(&self, left_idx: usize) -> bool {
        self.left_done.get(left_idx).copied().unwrap_or(false)
    }

    /// Whether `right[right_idx]` has been paired.
    #[must_use]
    pub fn is_right_done(&self, right_idx: usize) -> bool {
        self.right_done.get(right_idx).copied().unwrap_or(false)
    }

    /// Every item is paired.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.left_done.iter().all(|d| *d)
    }

    /// For each left item: paired without a wrong try (so far).
    #[must_use]
    pub fn first_try(&self) -> Vec<bool> {
        self.left_done
            .iter()
            .zip(&self.missed)
            .map(|(done, missed)| *done && !missed)
            .collect()
    }

    /// (left items paired on the first try, all left items).
    #[must_use]
    pub fn score(&self) -> (usize, usize) {
        (
            self.first_try().iter().filter(|r| **r).count(),
            self.left_done.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;
    use std::collections::HashSet;

    fn actor(id: &str, answer: &str, role: &str) -> Card {
        let mut c = card(id, "actor", answer);
        c.role = Some(role.into());
        c
    }

    fn actors() -> Vec<Card> {
        vec![
            actor("a", "Kim Jong Un", "North Korea's leader"),
            actor("b", "Vladimir Putin", "Russia's president"),
            actor("c", "Xi Jinping", "China's leader"),
            actor("d", "Yoon Suk Yeol", "South Korea's president"),
            actor("e", "Choe Son Hui", "North Korea's foreign minister"),
            actor("f", "Kim Jong-un", "Supreme leader"),
            actor("g", "Sergei Lavrov", "north korea’s leader"),
            actor("h", "Antony Blinken", "  "),
            card("i", "actor", "Kim Yo Jong"),
        ]
    }

    #[test]
    fn pairs_are_consistent_and_unique() {
        let cards = actors();
        for seed in 0..40 {
            let m = matching(&cards, 6, seed).unwrap();
            let n = m.left.len();
            assert!((MIN_PAIRS..=6).contains(&n));
            assert_eq!(m.right.len(), n);
            assert_eq!(m.card_ids.len(), n);
            for (l, &r) in m.pairs.iter().enumerate() {
                let card = cards.iter().find(|c| c.id == m.card_ids[l]).unwrap();
                assert_eq!(card.answer, m.left[l]);
                assert_eq!(card.role.as_deref(), Some(m.right[r].as_str()));
            }
            let lk: HashSet<String> = m.left.iter().map(|s| loose_key(s)).collect();
            let rk: HashSet<String> = m.right.iter().map(|s| loose_key(s)).collect();
            assert_eq!(lk.len(), n, "{:?}", m.left);
            assert_eq!(rk.len(), n, "{:?}", m.right);
            assert!(
                m.pairs.iter().enumerate().any(|(l, &r)| l != r),
                "not lined up"
            );
            assert_eq!(matching(&cards, 6, seed), Some(m));
        }
    }

    #[test]
    fn too_few_cards() {
        let cards = actors();
        assert_eq!(matching(&cards[..2], 4, 0), None);
        assert_eq!(matching(&cards[7..], 4, 0), None);
        assert_eq!(matching(&cards[..3], 4, 0).unwrap().left.len(), 3);
    }

    #[test]
    fn game_flow_tracks_first_tries() {
        let m = matching(&actors(), 4, 3).unwrap();
        let n = m.left.len();
        assert_eq!(n, 4);
        let pairs = m.pairs.clone();
        let mut g = MatchingGame::new(m);
        assert!(!g.is_done());
        // Left 0 wrong first, then right.
        let wrong_r = (pairs[0] + 1) % n;
        assert_eq!(g.try_pair(0, wrong_r), PairResult::Wrong);
        assert_eq!(g.try_pair(0, pairs[0]), PairResult::Right);
        assert!(g.is_left_done(0) && g.is_right_done(pairs[0]));
        assert_eq!(g.try_pair(0, pairs[0]), PairResult::AlreadyDone);
        // Another left trying an already used right item is not penalised.
        assert_eq!(g.try_pair(1, pairs[0]), PairResult::AlreadyDone);
        assert_eq!(g.try_pair(99, 0), PairResult::Wrong);
        assert_eq!(g.try_pair(1, 99), PairResult::Wrong);
        for (l, &r) in pairs.iter().enumerate().skip(1) {
            assert_eq!(g.try_pair(l, r), PairResult::Right);
        }
        assert!(g.is_done());
        assert_eq!(g.score(), (n - 1, n));
        assert_eq!(g.first_try(), vec![false, true, true, true]);
    }
}
