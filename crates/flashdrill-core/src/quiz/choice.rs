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

/// Fewest options a question made only of other cards' answers has: with one borrowed
/// distractor it would be a coin toss.
const MIN_BORROWED_OPTIONS: usize = 3;

/// What an answer is, to borrow only distractors of the same kind from other cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Date,
    Number,
    /// A name: capitalised words ("Canberra", "Kim Jong Un", "The United Nations").
    Name,
    /// Anything else, with its number of words.
    Phrase(usize),
}

impl Shape {
    fn of(answer: &str) -> Self {
        let words: Vec<&str> = answer.split_whitespace().collect();
        if super::read_date(answer).is_some() {
            return Self::Date;
        }
        if words.len() <= 3 && answer.chars().any(|c| c.is_ascii_digit()) {
            return Self::Number;
        }
        let linking = [
            "of", "the", "and", "de", "du", "la", "von", "van", "al", "bin",
        ];
        let capitalised =
            |w: &&str| w.chars().next().is_some_and(char::is_uppercase) || linking.contains(w);
        if words.len() <= 5 && words.iter().all(capitalised) {
            return Self::Name;
        }
        Self::Phrase(words.len())
    }

    /// Whether an answer of shape `other` passes for one of this shape.
    fn matches(self, other: Self) -> bool {
        match (self, other) {
            (Self::Phrase(a), Self::Phrase(b)) => a.max(b) <= 2 * a.min(b) + 1,
            (a, b) => a == b,
        }
    }
}

/// The words of `text`, lower case, for telling whether a candidate is in the question.
fn folded_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether the words of `phrase` appear, in a row, in `text` (both as [`folded_words`]).
fn contains_words(text: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase)
}

/// The card's answer and up to three distractors, shuffled (deterministic for a seed and card).
///
/// Distractors come from the card's own `distractors` first (a random three when it has more),
/// then from the answers of other cards of the same category in `deck_cards` that are of the
/// same kind as the answer (a date for a date, a number for a number, a name for a name, a
/// phrase of about as many words for a phrase) and do not appear in the card's own prompt or
/// cloze sentence (an option the question shows is no option). A candidate is
/// skipped when it is blank or the same answer as the card's answer, one of its `accept`
/// alternatives, or an option already chosen — the same leniently (case, accents, punctuation,
/// spacing, a leading "the"), by number value or by date. Returns fewer than four options when
/// the deck has too few, and `None` when there would be no distractor at all, or only one
/// borrowed from another card (the card is then not asked as multiple choice).
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
    let shape = Shape::of(&card.answer);
    let question: Vec<Vec<String>> = [Some(card.prompt.as_str()), card.cloze.as_deref()]
        .into_iter()
        .flatten()
        .map(folded_words)
        .collect();
    let in_question = |answer: &str| {
        let words = folded_words(answer);
        question.iter().any(|text| contains_words(text, &words))
    };
    let mut others: Vec<&String> = deck_cards
        .iter()
        .filter(|c| c.id != card.id && c.kind() == kind)
        .map(|c| &c.answer)
        .filter(|a| shape.matches(Shape::of(a)) && !in_question(a))
        .collect();
    others.shuffle(&mut rng);
    let own_count = own.len();

    let mut borrowed_only = true;
    for (n, candidate) in own.into_iter().chain(others).enumerate() {
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
        borrowed_only &= n >= own_count;
    }
    if options.len() < 2 || (borrowed_only && options.len() < MIN_BORROWED_OPTIONS) {
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
            card("v", "date", "August 2023"),
        ];
        let mut opts = choices(&c, &d, 3).unwrap().options;
        opts.sort();
        assert_eq!(opts, ["2022", "August 2023", "September 2022"]);
    }

    #[test]
    fn too_few_options() {
        let d = deck();
        assert_eq!(choices(&d[5], &d, 0), None);
        // One answer borrowed from another card is a coin toss: not asked as multiple choice.
        let two = vec![card("a", "term", "x"), card("b", "term", "y")];
        assert_eq!(choices(&two[0], &two, 0), None);
        let three = vec![
            card("a", "term", "xa"),
            card("b", "term", "yb"),
            card("c", "term", "zc"),
        ];
        assert_eq!(choices(&three[0], &three, 0).unwrap().options.len(), 3);
        // An author's own distractor is enough.
        let mut own = two[0].clone();
        own.distractors = vec!["w".into()];
        assert_eq!(choices(&own, &two, 0).unwrap().options.len(), 3);
    }

    /// An imported deck of capitals as cloze cards, every card a "term".
    fn capitals() -> Vec<Card> {
        let cloze = |id: &str, answer: &str, text: &str| {
            let mut c = card(id, "term", answer);
            c.prompt = "Fill in the blank".into();
            c.cloze = Some(text.into());
            c
        };
        vec![
            cloze(
                "c1",
                "Canberra",
                "{{Canberra}} is the capital of Australia.",
            ),
            cloze(
                "c2",
                "Australia",
                "Canberra is the capital of {{Australia}}.",
            ),
            cloze("c3", "Ottawa", "{{Ottawa}} is the capital of Canada."),
            cloze(
                "c4",
                "Wellington",
                "{{Wellington}} is the capital of New Zealand.",
            ),
            cloze("c5", "Bern", "{{Bern}} is the capital of Switzerland."),
            cloze("c6", "1901", "Australia federated in {{1901}}."),
            card(
                "c7",
                "term",
                "a body of water surrounded by land on three sides",
            ),
        ]
    }

    #[test]
    fn borrowed_distractors_are_of_the_answers_kind_and_never_in_the_question() {
        let d = capitals();
        for seed in 0..40 {
            let c = choices(&d[0], &d, seed).unwrap();
            assert_eq!(c.options.len(), 4);
            for option in &c.options {
                assert!(
                    !["Australia", "1901"].contains(&option.as_str())
                        && !option.starts_with("a body"),
                    "{option} offered for Canberra: {:?}",
                    c.options
                );
            }
        }
        // A year's options are years: here there is none, so no multiple choice.
        assert_eq!(choices(&d[5], &d, 0), None);
    }
}
