//! One card of the browser with its stored progress.

use chrono::{DateTime, Utc};

use crate::deck::PartialDate;
use crate::schedule::{Scheduler, State};
use crate::store::CardProgress;

/// A deck as the browser lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckInfo {
    pub id: String,
    pub title: String,
}

/// One card with its stored progress (`None`: never studied, a new card).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    /// Index of the card's deck in [`CardTable::decks`](super::CardTable::decks).
    pub deck: usize,
    pub card_id: String,
    pub category: String,
    pub prompt: String,
    pub answer: String,
    pub tags: Vec<String>,
    /// Date and event cards: the event's date and caption (see
    /// [`Card::event_caption`](crate::deck::Card::event_caption)).
    pub event: Option<(PartialDate, String)>,
    pub progress: Option<CardProgress>,
}

impl CardRow {
    #[must_use]
    pub fn state(&self) -> State {
        state_of(self.progress.as_ref())
    }

    /// When the card is next due; `None` for a new card (it has no due date yet).
    #[must_use]
    pub fn due(&self) -> Option<DateTime<Utc>> {
        due_of(self.progress.as_ref())
    }

    #[must_use]
    pub fn stability(&self) -> Option<f32> {
        self.progress.and_then(|p| p.card.stability)
    }

    #[must_use]
    pub fn difficulty(&self) -> Option<f32> {
        self.progress.and_then(|p| p.card.difficulty)
    }

    #[must_use]
    pub fn lapses(&self) -> u32 {
        self.progress.map_or(0, |p| p.card.lapses)
    }

    #[must_use]
    pub fn reps(&self) -> u32 {
        self.progress.map_or(0, |p| p.card.reps)
    }

    #[must_use]
    pub fn last_review(&self) -> Option<DateTime<Utc>> {
        self.progress.and_then(|p| p.card.last_review)
    }

    #[must_use]
    pub fn suspended(&self) -> bool {
        self.progress.is_some_and(|p| p.suspended)
    }

    #[must_use]
    pub fn leech(&self) -> bool {
        self.progress.is_some_and(|p| p.leech)
    }

    /// Whether the card is buried (hidden from the queue) at `now`.
    #[must_use]
    pub fn buried(&self, now: DateTime<Utc>) -> bool {
        self.progress
            .and_then(|p| p.buried_until)
            .is_some_and(|until| until > now)
    }

    /// Whether the card comes up in today's reviews: studied, not suspended, not buried past
    /// `day_end`, and due before `day_end`. New cards are never "due today" here.
    #[must_use]
    pub fn due_by(&self, day_end: DateTime<Utc>) -> bool {
        due_by(self.progress.as_ref(), day_end)
    }

    /// How likely the card is to be remembered at `now` (`None` for a new card).
    #[must_use]
    pub fn retrievability(&self, scheduler: &Scheduler, now: DateTime<Utc>) -> Option<f32> {
        self.progress
            .and_then(|p| scheduler.retrievability(&p.card, now))
    }
}

pub(super) fn state_of(p: Option<&CardProgress>) -> State {
    p.map_or(State::New, |p| p.card.state)
}

pub(super) fn due_of(p: Option<&CardProgress>) -> Option<DateTime<Utc>> {
    p.filter(|p| p.card.state != State::New).map(|p| p.card.due)
}

pub(super) fn due_by(p: Option<&CardProgress>, day_end: DateTime<Utc>) -> bool {
    p.is_some_and(|p| {
        p.card.state != State::New
            && !p.suspended
            && p.card.due < day_end
            && p.buried_until.is_none_or(|b| b < day_end)
    })
}
