//! Which form a card is asked in.

use rand::RngExt;

use crate::deck::{Card, Category};

use super::choice::choices;
use super::cloze::cloze;
use super::dates::read_date;
use super::normalize::value_key;
use super::rng_for;

/// How a card is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Show the prompt, reveal the answer, the learner rates themselves.
    Flip,
    /// Pick the answer among options ([`choices`]).
    MultipleChoice,
    /// Type the answer ([`super::check_typed`]).
    Typed,
    /// Fill in a sentence's blank ([`cloze`]).
    Cloze,
}

/// The form a session asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SessionForm {
    Flashcards,
    MultipleChoice,
    Typed,
    /// Each card in the form that suits it.
    #[default]
    Mixed,
}

/// Answers up to this many characters and [`SHORT_ANSWER_WORDS`] words are "short".
pub const SHORT_ANSWER_CHARS: usize = 24;
/// Answers up to this many words and [`SHORT_ANSWER_CHARS`] characters are "short".
pub const SHORT_ANSWER_WORDS: usize = 3;

/// Answers of more than this many words are never typed (nor asked as a cloze whose blank is
/// longer): nobody should have to type a sentence.
pub const MAX_TYPED_WORDS: usize = 4;

/// Multiple choice in a mixed session needs at least this many options (two is a coin toss).
const MIXED_MIN_OPTIONS: usize = 3;

fn is_long(text: &str) -> bool {
    text.split_whitespace().count() > MAX_TYPED_WORDS
}

/// Whether the card may be asked as a typed question: not an event card (its answer is an
/// event's caption, to recognise, not to recall word for word) and not a long answer.
fn may_type(card: &Card) -> bool {
    card.kind() != Category::Event && !is_long(&card.answer)
}

fn is_short(answer: &str) -> bool {
    answer.chars().count() <= SHORT_ANSWER_CHARS
        && answer.split_whitespace().count() <= SHORT_ANSWER_WORDS
}

/// Whether the answer is a date or a number (or a short answer with a number in it), which are
/// best typed.
fn is_value(card: &Card) -> bool {
    matches!(card.kind(), Category::Date | Category::Number)
        || read_date(&card.answer).is_some()
        || (is_short(&card.answer) && value_key(&card.answer).contains('\u{1}'))
}

/// The form to ask `card` in (deterministic for a seed and card).
///
/// Never `Typed` or `Cloze` for an event card or an answer (or cloze blank) of more than
/// [`MAX_TYPED_WORDS`] words: those are asked as multiple choice (with at least two options)
/// or flipped, whatever the session asks for.
///
/// - `Flashcards` → `Flip`; `Typed` → `Typed`.
/// - `MultipleChoice` → `MultipleChoice` when [`choices`] has at least two options, else `Flip`.
/// - `Mixed`: a card with a usable cloze is asked as `Cloze` one time in three; dates, numbers
///   and short answers with a number in them are `Typed`; other short answers (≤ 24 characters and ≤ 3 words) are `Typed` two
///   times in three and `MultipleChoice` otherwise; long answers are `MultipleChoice` three
///   times in four and `Flip` otherwise. Multiple choice needs three options here; without them
///   short answers are typed and long ones flipped.
#[must_use]
pub fn pick_form(card: &Card, deck_cards: &[Card], preferred: SessionForm, seed: u64) -> Form {
    let mc_options = || choices(card, deck_cards, seed).map_or(0, |c| c.options.len());
    match preferred {
        SessionForm::Flashcards => Form::Flip,
        SessionForm::Typed if may_type(card) => Form::Typed,
        SessionForm::MultipleChoice | SessionForm::Typed => {
            if mc_options() >= 2 {
                Form::MultipleChoice
            } else {
                Form::Flip
            }
        }
        SessionForm::Mixed => {
            let mut rng = rng_for(seed, "form", &card.id);
            let roll: u32 = rng.random_range(0..12);
            if card.kind() != Category::Event
                && cloze(card).is_some_and(|c| !is_long(&c.blank_answer))
                && roll < 4
            {
                return Form::Cloze;
            }
            let mc_ok = || mc_options() >= MIXED_MIN_OPTIONS;
            if !may_type(card) {
                if !roll.is_multiple_of(4) && mc_ok() {
                    Form::MultipleChoice
                } else {
                    Form::Flip
                }
            } else if is_value(card) {
                Form::Typed
            } else if is_short(&card.answer) {
                if roll.is_multiple_of(3) && mc_ok() {
                    Form::MultipleChoice
                } else {
                    Form::Typed
                }
            } else if !roll.is_multiple_of(4) && mc_ok() {
                Form::MultipleChoice
            } else {
                Form::Flip
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;
    use std::collections::HashSet;

    fn actors() -> Vec<Card> {
        ["Kim Jong Un", "Vladimir Putin", "Xi Jinping", "Moon Jae-in"]
            .iter()
            .enumerate()
            .map(|(i, a)| card(&format!("a{i}"), "actor", a))
            .collect()
    }

    fn forms(c: &Card, deck: &[Card], pref: SessionForm) -> HashSet<Form> {
        (0..200).map(|s| pick_form(c, deck, pref, s)).collect()
    }

    #[test]
    fn fixed_preferences() {
        let d = actors();
        assert_eq!(
            forms(&d[0], &d, SessionForm::Flashcards),
            HashSet::from([Form::Flip])
        );
        assert_eq!(
            forms(&d[0], &d, SessionForm::Typed),
            HashSet::from([Form::Typed])
        );
        assert_eq!(
            forms(&d[0], &d, SessionForm::MultipleChoice),
            HashSet::from([Form::MultipleChoice])
        );
        let lonely = card("p", "place", "Pyongyang");
        assert_eq!(
            forms(&lonely, &d, SessionForm::MultipleChoice),
            HashSet::from([Form::Flip])
        );
    }

    #[test]
    fn mixed_short_answers_are_mostly_typed() {
        let d = actors();
        let picks: Vec<Form> = (0..300)
            .map(|s| pick_form(&d[0], &d, SessionForm::Mixed, s))
            .collect();
        let typed = picks.iter().filter(|f| **f == Form::Typed).count();
        let mc = picks.iter().filter(|f| **f == Form::MultipleChoice).count();
        assert_eq!(typed + mc, 300);
        assert!(typed > mc && mc > 0, "typed {typed}, mc {mc}");
        let lonely = card("p", "place", "Pyongyang");
        assert_eq!(
            forms(&lonely, &d, SessionForm::Mixed),
            HashSet::from([Form::Typed])
        );
    }

    #[test]
    fn mixed_dates_and_numbers_are_typed_or_cloze() {
        let mut d = actors();
        for (i, t) in ["a treaty", "a pledge", "a bridge"].iter().enumerate() {
            d.push(card(&format!("t{i}"), "term", t));
        }
        d.push(card("d2", "date", "July 2023"));
        d.push(card("d3", "date", "May 2022"));
        d.push(card("d4", "date", "2019"));
        let date = card("d", "date", "June 2024");
        assert_eq!(
            forms(&date, &d, SessionForm::Mixed),
            HashSet::from([Form::Typed])
        );
        let num = card("n", "term", "about 8,000");
        assert_eq!(
            forms(&num, &d, SessionForm::Mixed),
            HashSet::from([Form::Typed])
        );
        let mut with_cloze = date.clone();
        with_cloze.cloze = Some("They met in {{June 2024}}.".into());
        assert_eq!(
            forms(&with_cloze, &d, SessionForm::Mixed),
            HashSet::from([Form::Typed, Form::Cloze])
        );
    }

    #[test]
    fn mixed_long_answers_are_choice_or_flip() {
        let long: Vec<Card> = [
            "a treaty on comprehensive strategic partnership",
            "a pledge of mutual military assistance",
            "an agreement on visa-free travel for tourists",
            "a plan to build a road bridge across the river",
        ]
        .iter()
        .enumerate()
        .map(|(i, a)| card(&format!("l{i}"), "term", a))
        .collect();
        assert_eq!(
            forms(&long[0], &long, SessionForm::Mixed),
            HashSet::from([Form::MultipleChoice, Form::Flip])
        );
        assert_eq!(
            forms(&long[0], &long[..2], SessionForm::Mixed),
            HashSet::from([Form::Flip])
        );
    }

    #[test]
    fn event_cards_and_long_answers_are_never_typed() {
        let events: Vec<Card> = [
            "The White House announces arms talks",
            "Kim visits eastern Russia",
            "Putin visits Pyongyang",
            "The U.S. accuses North Korea",
        ]
        .iter()
        .enumerate()
        .map(|(i, a)| card(&format!("e{i}"), "event", a))
        .collect();
        let mut short_event = events[2].clone();
        short_event.cloze = Some("In June 2024, {{Putin visits Pyongyang}}.".into());
        let mut long_date = card(
            "d",
            "date",
            "That Putin and Kim were engaged in arms negotiations",
        );
        long_date.cloze = Some(
            "The White House said {{that Putin and Kim were engaged in arms negotiations}}.".into(),
        );
        long_date.distractors = vec![
            "That North Korea had sent weapons to Russia".into(),
            "That Moscow and Pyongyang had signed a pact".into(),
            "That China had approved the river concession".into(),
        ];
        for c in [&events[0], &short_event, &long_date] {
            let mut deck = events.clone();
            deck.push(c.clone());
            for pref in [
                SessionForm::Mixed,
                SessionForm::Typed,
                SessionForm::MultipleChoice,
                SessionForm::Flashcards,
            ] {
                let seen = forms(c, &deck, pref);
                assert!(
                    !seen.contains(&Form::Typed) && !seen.contains(&Form::Cloze),
                    "{} in {pref:?}: {seen:?}",
                    c.answer
                );
            }
            assert_eq!(
                forms(c, &deck, SessionForm::Mixed),
                HashSet::from([Form::MultipleChoice, Form::Flip])
            );
            assert_eq!(
                forms(c, &deck, SessionForm::Typed),
                HashSet::from([Form::MultipleChoice])
            );
        }
        // Without options to choose from, flipped.
        long_date.distractors.clear();
        assert_eq!(
            forms(&long_date, &[], SessionForm::Typed),
            HashSet::from([Form::Flip])
        );
        // Four words may still be typed.
        let four = card("f", "term", "Global Strategic Partnership Agreement");
        assert_eq!(
            forms(&four, &[], SessionForm::Typed),
            HashSet::from([Form::Typed])
        );
    }

    #[test]
    fn deterministic() {
        let d = actors();
        for s in 0..20 {
            assert_eq!(
                pick_form(&d[1], &d, SessionForm::Mixed, s),
                pick_form(&d[1], &d, SessionForm::Mixed, s)
            );
        }
    }
}
