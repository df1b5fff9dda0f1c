//! Multiple-choice questions: the answer and up to three distractors, shuffled.

use rand::seq::SliceRandom;

use crate::deck::Card;

use super::answer_key::AnswerKey;
use super::rng_for;

/// Options for a multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    /// Two to four options in display order; exactly one is right.
    pub options: Vec<String>,
    /// Which of `options` is the card's answer.
    pub correct_index: usize,
}

/// How many options a full multiple-choice question has.
pub const MAX_OPTIONS: usize = 4;

/// The card's answer and up to three distractors, shuffled (deterministic for a seed and card).
///
/// Distractors come from the card's own `distractors` first (a random three when it has more),
/// then from the answers of other cards of the same category in `deck_cards`. A candidate is
/// skipped when it is blank or the same answer as the card's answer, one of its `accept`
/// alternatives, or an option already chosen — the same leniently (case, accents, punctuation,
/// spacing, a leading "the"), by number value or by date. Returns fewer than four options when
/// the deck has too few, and `None` when there would be no distractor at all.
#[must_use]
pub fn choices(card: &Card, deck_cards: &[Card], seed: u64) -> Option<Choices> {
    let mut rng = rng_for(seed, "choices", &card.id);
    let mut taken: Vec<AnswerKey> = std::iter::once(&card.answer)
        .chain(&card.accept)
        .map(|a| AnswerKey::new(a))
        .collect();
    let mut options = vec![card.answer.clone()];

    let mut own: Vec<&String> = card.distractors.iter().collect();
    own.shuffle(&mut rng);
    let kind = card.kind();
    let mut others: Vec<&String> = deck_cards
        .iter()
        .filter(|c| c.id != card.id && c.kind() == kind)
        .map(|c| &c.answer)
        .collect();
    others.shuffle(&mut rng);

    for candidate in own.into_iter().chain(others) {
        if options.len() == MAX_OPTIONS {
            break;
        }
        if candidate.trim().is_empty() {
            continue;
        }
        let k = AnswerKey::new(candidate);
        if taken.iter().any(|t| t.same_as(&k)) {
            continue;
        }
        taken.push(k);
        options.push(candidate.trim().to_owned());
    }
    if options.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.shuffle(&mut rng);
    let correct_index = order.iter().position(|&i| i == 0)?;
    let options = order.into_iter().map(|i| options[i].clone()).collect();
    Some(Choices {
        options,
        correct_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;

    fn deck() -> Vec<Card> {
        vec![
            card("a", "actor", "Kim Jong Un"),
            card("b", "actor", "Vladimir Putin"),
            card("c", "actor", "Xi Jinping"),
            card("d", "actor", "Moon Jae-in"),
            card("e", "actor", "Yoon Suk Yeol"),
            card("f", "place", "Pyongyang"),
            card("g", "actor", "vladimir putin"),
            card("h", "actor", "Kim Jong-un"),
        ]
    }

    #[test]
    fn four_options_one_right_no_duplicates() {
        let d = deck();
        for seed in 0..50 {
            let c = choices(&d[0], &d, seed).unwrap();
            assert_eq!(c.options.len(), 4);
            assert_eq!(c.options[c.correct_index], "Kim Jong Un");
            let keys: Vec<String> = c.options.iter().map(|o| AnswerKey::new(o).loose).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "duplicate in {:?}", c.options);
            }
            assert!(
                !c.options
                    .iter()
                    .any(|o| o == "Pyongyang" || o == "Kim Jong-un")
            );
        }
    }

    #[test]
    fn deterministic_for_a_seed_and_varied_across_seeds() {
        let d = deck();
        assert_eq!(choices(&d[0], &d, 7), choices(&d[0], &d, 7));
        let distinct: std::collections::HashSet<Vec<String>> = (0..40)
            .map(|s| choices(&d[0], &d, s).unwrap().options)
            .collect();
        assert!(distinct.len() > 5);
        let positions: std::collections::HashSet<usize> = (0..40)
            .map(|s| choices(&d[0], &d, s).unwrap().correct_index)
            .collect();
        assert_eq!(positions.len(), 4);
    }

    #[test]
    fn own_distractors_come_first() {
        let d = deck();
        let mut c = d[0].clone();
        c.distractors = vec![
            "Kim Jong Il".into(),
            "Kim Il Sung".into(),
            "Kim Yo Jong".into(),
        ];
        for seed in 0..20 {
            let mut opts = choices(&c, &d, seed).unwrap().options;
            opts.sort();
            assert_eq!(
                opts,
                ["Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Kim Yo Jong"]
            );
        }
    }

    #[test]
    fn own_distractors_matching_the_answer_are_skipped() {
        let mut c = card("x", "number", "1,000");
        c.accept = vec!["a thousand".into()];
        c.distractors = vec![
            "1000".into(),
            "one thousand".into(),
            "A Thousand".into(),
            "2,000".into(),
        ];
        let ch = choices(&c, &[], 1).unwrap();
        let mut opts = ch.options;
        opts.sort();
        assert_eq!(opts, ["1,000", "2,000"]);
    }

    #[test]
    fn dates_equal_by_value_are_skipped() {
        let c = card("x", "date", "September 2022");
        let d = vec![
            c.clone(),
            card("y", "date", "2022-09"),
            card("z", "date", "Sept. 2022"),
            card("w", "date", "2022"),
        ];
        let mut opts = choices(&c, &d, 3).unwrap().options;
        opts.sort();
        assert_eq!(opts, ["2022", "September 2022"]);
    }

    #[test]
    fn too_few_options() {
        let d = deck();
        assert_eq!(choices(&d[5], &d, 0), None);
        let two = vec![card("a", "term", "x"), card("b", "term", "y")];
        assert_eq!(choices(&two[0], &two, 0).unwrap().options.len(), 2);
    }
}
