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

    /// A minimal card for tests.
    pub fn card(id: &str, category: &str, answer: &str) -> Card {
        Card::new(id, category, format!("prompt {id}"), answer, "source")
    }
}
