//! Presenting a card: multiple-choice options, typed-answer checking, cloze, ordering and matching. Pure, seeded.
//!
//! Nothing here touches the UI, the database or the clock. Randomness only comes from the `seed`
//! the caller passes: the same inputs and seed always give the same question.

mod answer_key;
mod choice;
mod cloze;
mod dates;
mod diff;
mod form;
pub mod grade;
mod matching;
pub mod normalize;
mod rating;
mod timeline;
mod typed;

pub use choice::{Choices, MAX_OPTIONS, choices};
pub use cloze::{Cloze, check_cloze, cloze};
pub use dates::date_order;
pub(crate) use dates::read_date;
pub use diff::{DiffSpan, diff};
pub use form::{
    Form, MAX_TYPED_WORDS, SHORT_ANSWER_CHARS, SHORT_ANSWER_WORDS, SessionForm, pick_form,
};
pub use matching::{MAX_PAIRS, MIN_PAIRS, Matching, MatchingGame, PairResult, matching};
pub use normalize::Forgiven;
pub use rating::{
    CHOICE_SLOW_BASE, CHOICE_SLOW_PER_CHAR, TYPED_SLOW_BASE, TYPED_SLOW_PER_CHAR,
    choice_slow_threshold, propose_choice_rating, propose_rating, typed_slow_threshold,
};
pub use timeline::{Event, MAX_EVENTS, MIN_EVENTS, OrderScore, Timeline, score_order, timeline};
pub use typed::{MarkKind, Marking, TYPO_MIN_LETTERS, check_text, check_typed};

use crate::deck::{Card, Deck, answer_key};

/// The authors the importers give a deck whose cards come from a file of notes rather than
/// from a text someone wrote.
const IMPORTED_AUTHORS: &[&str] = &["Imported", "Anki", "Quizlet"];

/// The card's source to show after the answer, with its label: `None` when there is none
/// worth showing — an imported card's `source` is filled with its answer when the file had no
/// source, and a cloze card's with its own sentence. An article's sentence is "From the
/// article:", any other source "Source:".
#[must_use]
pub fn shown_source<'c>(deck: &Deck, card: &'c Card) -> Option<(&'static str, &'c str)> {
    let source = card.source.trim();
    let key = answer_key(source);
    let same_as = |text: &str| answer_key(text) == key;
    let filled_cloze = card
        .cloze
        .as_deref()
        .is_some_and(|c| same_as(&c.replace("{{", "").replace("}}", "")));
    if key.is_empty()
        || same_as(&card.answer)
        || same_as(&card.prompt)
        || card.accept.iter().any(|a| same_as(a))
        || filled_cloze
    {
        return None;
    }
    let imported = IMPORTED_AUTHORS.contains(&deck.source.author.trim());
    Some((
        if imported {
            "Source:"
        } else {
            "From the article:"
        },
        source,
    ))
}

use rand::SeedableRng;
use rand::rngs::StdRng;

/// A generator for one question: the caller's seed mixed with what is being drawn and for which
/// card (FNV-1a), so one session seed gives each card and question kind its own draw.
fn rng_for(seed: u64, purpose: &str, card_id: &str) -> StdRng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in purpose.bytes().chain([0]).chain(card_id.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    StdRng::seed_from_u64(seed ^ h)
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::deck::Card;

    #[test]
    fn a_source_is_shown_only_when_there_is_one_and_labelled_by_what_it_is() {
        use crate::deck::{Deck, FORMAT_V1, Source};
        let deck = |author: &str| Deck {
            format: FORMAT_V1.into(),
            id: "d".into(),
            title: "D".into(),
            description: None,
            source: Source {
                title: "T".into(),
                author: author.into(),
                url: None,
            },
            cards: Vec::new(),
        };
        let imported = deck("Imported");
        let paris = Card::new("p", "term", "Capital of France?", "Paris", "Paris");
        assert_eq!(super::shown_source(&imported, &paris), None);
        let mut cloze = Card::new(
            "c",
            "term",
            "Fill in",
            "Canberra",
            "Canberra is in Australia.",
        );
        cloze.cloze = Some("{{Canberra}} is in Australia.".into());
        assert_eq!(super::shown_source(&imported, &cloze), None);
        let noted = Card::new("n", "term", "Capital of France?", "Paris", "Atlas, p. 12");
        assert_eq!(
            super::shown_source(&imported, &noted),
            Some(("Source:", "Atlas, p. 12"))
        );
        let article = deck("Parisa Pasandepour");
        let sentence = Card::new("s", "date", "When?", "2000", "It began in 2000.");
        assert_eq!(
            super::shown_source(&article, &sentence),
            Some(("From the article:", "It began in 2000."))
        );
    }

    /// A minimal card for tests.
    pub fn card(id: &str, category: &str, answer: &str) -> Card {
        Card::new(id, category, format!("prompt {id}"), answer, "source")
    }
}
