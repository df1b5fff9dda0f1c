//! One settled drill question in the review log.

use chrono::{DateTime, Utc};

use super::question::CardRef;
use crate::schedule::Rating;
use crate::store::{Mode, NewReview};

/// One settled question for the review log: the app records one `drill` review per card.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Index into [`Drill::questions`](super::Drill::questions).
    pub question: usize,
    pub cards: Vec<CardRef>,
    /// Some team (or the class) got it right.
    pub correct: bool,
    pub secs: f64,
}

impl LogEntry {
    /// One `drill` review per card at `at`: Good when the class (a team, or most students of
    /// a live game) got it right, else Again. Drill reviews never change a card's schedule.
    /// The projector drill and the live class both log these (in one transaction, with
    /// `Collection::log_drill` or `Store::record_answers`).
    #[must_use]
    pub fn reviews(&self, at: DateTime<Utc>) -> Vec<NewReview<'_>> {
        self.cards
            .iter()
            .map(|card| NewReview {
                deck_id: &card.deck_id,
                card_id: &card.card_id,
                at,
                rating: if self.correct {
                    Rating::Good
                } else {
                    Rating::Again
                },
                mode: Mode::Drill,
                answer_given: None,
                correct: Some(self.correct),
                response_ms: (self.secs.max(0.0) * 1000.0) as u64,
                state_after: None,
            })
            .collect()
    }
}
